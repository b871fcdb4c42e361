import type { ImportDocument } from "./ApiDefinition.ts"

/** The methods a pass-through API forwards: everything an HTTP client (an MCP client among them) may send. */
export const PASS_THROUGH_METHODS = ["get", "post", "put", "patch", "delete", "head", "options"] as const

/**
 * An OpenAPI 3 document of wildcard operations (`/*` for every method), imported for an API that has no document of
 * its own (an MCP server). API Management answers only requests that match an operation, so a blank API would turn
 * every call away with 404; these operations forward every method and path to the backend, as the portal's
 * "wildcard operation" does.
 */
export const passThroughDocument = (title: string): ImportDocument => ({
  format: "openapi+json",
  value: JSON.stringify({
    openapi: "3.0.1",
    info: { title, version: "1.0" },
    paths: {
      "/*": Object.fromEntries(PASS_THROUGH_METHODS.map((method) => [method, {
        operationId: `pass-through-${method}`,
        summary: `${method.toUpperCase()} any path, forwarded to the implementation`,
        responses: { default: { description: "the implementation's response" } }
      }]))
    }
  })
})
