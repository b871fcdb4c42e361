import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { collectionPath, customResourceSchemas, metaSchemas, operationGroup, PATCH_PARAMETERS } from "./OpenApiSchemas.ts"
import type { ResourceType } from "./ResourceType.ts"
import type { TypeRegistry } from "./TypeRegistry.ts"

/**
 * `/openapi/v2`: a Swagger 2.0 document with the custom resources' schemas, for kubectl's client-side
 * validation and `explain` (kubectl 1.20 has no other source; 1.32 reads it only when /openapi/v3 fails).
 * Built-in kinds are left out on purpose: kubectl then skips validating them and computes their strategic
 * merge patches from its compiled-in types, which carry the same patch strategies a full schema would.
 * Every served kind gets its PATCH operation, which kubectl 1.20 searches for the `dryRun` parameter before
 * `diff` and `--dry-run=server`; the operations list no `consumes`, or kubectl would take the patch type from
 * them and, finding no schema, compute list-replacing patches instead of using its compiled-in strategies.
 */

const V2_DROPPED = new Set(["allOf", "anyOf", "oneOf", "not", "nullable"])

/**
 * apiextensions-apiserver's ToStructuralOpenAPIV2: v2 cannot say nullable, oneOf/anyOf/not or "keep unknown
 * fields", and kubectl would reject what it cannot see, so such nodes lose their type, properties or items.
 */
export const toOpenApiV2Schema = (node: JsonObject): JsonObject => {
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(node)) {
    if (V2_DROPPED.has(key)) continue
    if (key === "properties" && isJsonObject(value)) {
      const properties: Record<string, Json> = {}
      for (const [name, child] of Object.entries(value)) if (isJsonObject(child)) properties[name] = toOpenApiV2Schema(child)
      out[key] = properties
    } else if ((key === "items" || key === "additionalProperties") && isJsonObject(value)) {
      out[key] = toOpenApiV2Schema(value)
    } else {
      out[key] = value
    }
  }
  const nullableChildren = isJsonObject(node["properties"])
    ? Object.entries(node["properties"]).filter(([, child]) => isJsonObject(child) && child["nullable"] === true).map(([name]) => name)
    : []
  if (nullableChildren.length > 0 && isJsonArray(out["required"])) {
    out["required"] = out["required"].filter((r) => typeof r !== "string" || !nullableChildren.includes(r))
  }
  if (node["nullable"] === true) {
    delete out["type"]
    delete out["items"]
    delete out["properties"]
  }
  if (node["x-kubernetes-preserve-unknown-fields"] === true) {
    delete out["items"]
    delete out["properties"]
  }
  if (out["type"] === "array" && out["items"] === undefined) delete out["type"]
  if (node["x-kubernetes-int-or-string"] === true) delete out["type"]
  return out
}

const patchOperation = (type: ResourceType, version: string): JsonObject => ({
  description: `partially update the specified ${type.kind}`,
  operationId: `patch${operationGroup(type, version)}${type.namespaced ? "Namespaced" : ""}${type.kind}`,
  parameters: PATCH_PARAMETERS.map((p) => ({ name: p.name, in: "query", description: p.description, type: p.type, uniqueItems: true })),
  "x-kubernetes-action": "patch",
  "x-kubernetes-group-version-kind": { group: type.group, kind: type.kind, version }
})

export const openApiV2Document = (registry: TypeRegistry): JsonObject => {
  const paths: Record<string, Json> = {}
  for (const type of registry.all()) {
    for (const version of type.versions) paths[`${collectionPath(type, version.name)}/{name}`] = { patch: patchOperation(type, version.name) }
  }
  const definitions: Record<string, Json> = { ...metaSchemas((name) => `#/definitions/${name}`) }
  for (const type of registry.all()) {
    if (!type.custom) continue
    for (const version of type.versions) {
      if (version.schema === undefined) continue
      Object.assign(definitions, customResourceSchemas(type, version.name, toOpenApiV2Schema(version.schema), (name) => `#/definitions/${name}`, "v2"))
    }
  }
  return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths, definitions }
}
