import type { AzureConnectionFacts } from "../../../src/emulators/azure/AzureEmulator.ts"
import type { Handler } from "../../../src/emulators/azure/Http.ts"

/**
 * A stand-in ARM model for the infrastructure tests: the APIM service resource and its tags. `writes` counts
 * the PUTs that reached the model, so tests can show a faulted or throttled write changed nothing.
 */
export const makeTrivialArm = (facts: AzureConnectionFacts): { readonly handler: Handler; readonly writes: () => number } => {
  const service = `/subscriptions/${facts.subscriptionId}/resourceGroups/${facts.resourceGroup}/providers/Microsoft.ApiManagement/service/${facts.serviceName}`
  const tags = new Map<string, string>()
  let writes = 0
  const handler: Handler = (request) => {
    const path = `/${request.segments.join("/")}`
    if (path.toLowerCase() === service.toLowerCase() && request.method === "GET") {
      return { status: 200, body: { id: service, name: facts.serviceName, properties: { gatewayUrl: "https://gateway.example" } } }
    }
    const tag = /\/tags\/([^/]+)$/.exec(path)?.[1]
    if (tag !== undefined && path.toLowerCase().startsWith(service.toLowerCase()) && request.method === "PUT") {
      writes += 1
      const created = !tags.has(tag)
      const body: unknown = JSON.parse(request.bodyText)
      const displayName = typeof body === "object" && body !== null && "properties" in body ? JSON.stringify(body.properties) : ""
      tags.set(tag, displayName)
      return { status: created ? 201 : 200, headers: { ETag: `"${writes}"` }, body: { id: `${service}/tags/${tag}`, name: tag, properties: { displayName: tag } } }
    }
    return { status: 404, body: { error: { code: "ResourceNotFound", message: `Not found: ${path}` } } }
  }
  return { handler, writes: () => writes }
}
