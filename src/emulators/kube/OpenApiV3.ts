import { createHash } from "node:crypto"
import type { Json, JsonObject } from "../Json.ts"
import {
  collectionPath,
  customResourceSchemas,
  definitionName,
  groupVersionPrefix,
  LIST_PARAMETERS,
  metaSchemas,
  operationGroup,
  PATCH,
  PATCH_PARAMETERS,
  type QueryParameter
} from "./OpenApiSchemas.ts"
import { apiVersionOf, type ResourceType } from "./ResourceType.ts"
import type { TypeRegistry } from "./TypeRegistry.ts"

/**
 * `/openapi/v3` (the index of group-versions) and `/openapi/v3/{api/v1 | apis/{group}/{version}}`.
 *
 * kubectl 1.32 reads the PATCH operations to learn that the server validates fields itself (the
 * `fieldValidation` query parameter), so it sends `fieldValidation=Strict` instead of validating client-side,
 * and which patch types a kind accepts (strategic merge for built-ins, not for custom resources). `kubectl
 * explain` reads the custom resources' schemas. Built-in kinds get their operations but no schemas: with none,
 * kubectl computes their strategic merge patches from its compiled-in types, which carry kube's patch strategies.
 */

const ref = (name: string): string => `#/components/schemas/${name}`

const BUILTIN_PATCH_TYPES = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]
const CUSTOM_PATCH_TYPES = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]

const query = ({ name, description, type }: QueryParameter): JsonObject => ({ name, in: "query", description, schema: { type, uniqueItems: true } })

const pathParameter = (name: string, description: string): JsonObject => ({
  name,
  in: "path",
  description,
  required: true,
  schema: { type: "string", uniqueItems: true }
})

const patchParameters = PATCH_PARAMETERS.map(query)
const writeParameters = PATCH_PARAMETERS.filter((p) => p.name !== "force").map(query)
const deleteParameters = PATCH_PARAMETERS.filter((p) => p.name === "dryRun").map(query)
const listParameters = LIST_PARAMETERS.map(query)
const pretty = query({ name: "pretty", description: "If 'true', then the output is pretty printed.", type: "string" })

const operations = (type: ResourceType, version: string): Readonly<Record<string, JsonObject>> => {
  const group = operationGroup(type, version)
  const scoped = type.namespaced ? "Namespaced" : ""
  const gvk: JsonObject = { group: type.group, version, kind: type.kind }
  const objectSchema: JsonObject = type.custom ? { $ref: ref(definitionName(type.group, version, type.kind)) } : { type: "object" }
  const listSchema: JsonObject = type.custom ? { $ref: ref(definitionName(type.group, version, type.listKind)) } : { type: "object" }
  const json = (schema: JsonObject): JsonObject => ({ content: { "application/json": { schema } } })
  const ok = (schema: JsonObject, created = false): JsonObject => ({
    "200": { description: "OK", ...json(schema) },
    ...(created ? { "201": { description: "Created", ...json(schema) } } : {}),
    "401": { description: "Unauthorized" }
  })
  const operation = (action: string, verb: string, what: string, extra: JsonObject): JsonObject => ({
    tags: [group.charAt(0).toLowerCase() + group.slice(1)],
    description: `${what}`,
    operationId: `${verb}${group}${scoped}${type.kind}${action === "patchStatus" || action === "readStatus" || action === "replaceStatus" ? "Status" : ""}`,
    ...extra,
    "x-kubernetes-action": action.replace(/Status$/, ""),
    "x-kubernetes-group-version-kind": gvk
  })
  const body = (schema: JsonObject): JsonObject => ({ requestBody: { content: { "*/*": { schema } }, required: true } })
  const patch = (status: boolean): JsonObject =>
    operation(status ? "patchStatus" : "patch", "patch", `partially update ${status ? "status of " : ""}the specified ${type.kind}`, {
      parameters: patchParameters,
      requestBody: {
        content: Object.fromEntries((type.custom ? CUSTOM_PATCH_TYPES : BUILTIN_PATCH_TYPES).map((t) => [t, { schema: { $ref: ref(PATCH) } }])),
        required: true
      },
      responses: ok(objectSchema, true)
    })
  const write = (action: string, verb: string, what: string): JsonObject =>
    operation(action, verb, what, { parameters: writeParameters, ...body(objectSchema), responses: ok(objectSchema, true) })
  const list = operation("list", "list", `list or watch objects of kind ${type.kind}`, { parameters: listParameters, responses: ok(listSchema) })
  const prefix = groupVersionPrefix(type, version)
  const collection = collectionPath(type, version)
  const scopeParameters = type.namespaced ? [pathParameter("namespace", "object name and auth scope, such as for teams and projects")] : []
  const item = (extra: ReadonlyArray<JsonObject>): JsonObject => ({
    parameters: [pathParameter("name", `name of the ${type.kind}`), ...scopeParameters, pretty, ...extra]
  })
  const paths: Record<string, JsonObject> = {
    [collection]: {
      get: list,
      post: write("post", "create", `create a ${type.kind}`),
      delete: operation("deletecollection", "deleteCollection", `delete collection of ${type.kind}`, { parameters: listParameters, responses: ok({ type: "object" }) }),
      parameters: [...scopeParameters, pretty]
    },
    [`${collection}/{name}`]: {
      get: operation("get", "read", `read the specified ${type.kind}`, { responses: ok(objectSchema) }),
      put: write("put", "replace", `replace the specified ${type.kind}`),
      patch: patch(false),
      delete: operation("delete", "delete", `delete a ${type.kind}`, { parameters: deleteParameters, responses: ok({ type: "object" }) }),
      ...item([])
    }
  }
  if (type.statusSubresource) {
    paths[`${collection}/{name}/status`] = {
      get: operation("getStatus", "read", `read status of the specified ${type.kind}`, { responses: ok(objectSchema) }),
      put: write("putStatus", "replace", `replace status of the specified ${type.kind}`),
      patch: patch(true),
      ...item([])
    }
  }
  if (type.namespaced) {
    paths[`${prefix}/${type.plural}`] = { get: { ...list, operationId: `list${group}${type.kind}ForAllNamespaces` }, parameters: [] }
  }
  return paths
}

/** `api/v1`, `apis/{group}/{version}`: the keys of the index. */
const groupVersionPath = (group: string, version: string): string => (group === "" ? `api/${version}` : `apis/${group}/${version}`)

const groupVersions = (registry: TypeRegistry): ReadonlyArray<{ readonly group: string; readonly version: string }> => {
  const seen = new Map<string, { readonly group: string; readonly version: string }>()
  for (const type of registry.all()) for (const v of type.versions) seen.set(apiVersionOf(type.group, v.name), { group: type.group, version: v.name })
  return [...seen.values()]
}

/** The OpenAPI v3 document of one group-version, or undefined when nothing is served there. */
export const openApiV3GroupVersion = (registry: TypeRegistry, group: string, version: string): JsonObject | undefined => {
  const types = registry.all().filter((t) => t.group === group && t.versions.some((v) => v.name === version))
  if (types.length === 0) return undefined
  const paths: Record<string, Json> = {}
  const schemas: Record<string, Json> = { ...metaSchemas(ref) }
  for (const type of [...types].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
    Object.assign(paths, operations(type, version))
    const schema = type.versions.find((v) => v.name === version)?.schema
    if (type.custom && schema !== undefined) Object.assign(schemas, customResourceSchemas(type, version, schema, ref, "v3"))
  }
  const custom = types.every((t) => t.custom)
  return {
    openapi: "3.0.0",
    info: custom ? { title: "Kubernetes CRD Swagger", version: "v0.1.0" } : { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas }
  }
}

/** The hash kube appends to each group-version URL: it changes whenever the document does. */
const hashOf = (document: JsonObject): string => createHash("sha512").update(JSON.stringify(document)).digest("hex").toUpperCase()

/** `/openapi/v3`: where each group-version's document lives. */
export const openApiV3Index = (registry: TypeRegistry): JsonObject => {
  const paths: Record<string, Json> = {}
  for (const { group, version } of groupVersions(registry)) {
    const document = openApiV3GroupVersion(registry, group, version)
    if (document === undefined) continue
    const path = groupVersionPath(group, version)
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(document)}` }
  }
  return { paths }
}
