import type { JsonObject } from "../Json.ts"
import type { TypeRegistry } from "./TypeRegistry.ts"

/**
 * OpenAPI documents for kubectl: `/openapi/v2` and `/openapi/v3[/…]`. This minimal version serves empty but
 * well-formed documents; kubectl then falls back to its compiled-in knowledge of built-in kinds.
 */
export const openApiDocument = (_registry: TypeRegistry, path: ReadonlyArray<string>, _accept: string): JsonObject | undefined => {
  if (path[0] === "v2") return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths: {}, definitions: {} }
  if (path[0] === "v3" && path.length === 1) return { paths: {} }
  return undefined
}
