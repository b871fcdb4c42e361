import { isJsonObject, type Json, type JsonObject } from "../../Json.ts"
import type { EmulatorRequest } from "../Http.ts"
import type { StoredApi, StoredPolicy } from "./ApiDefinitions.ts"
import { fail, succeed, type Outcome } from "./ArmFailure.ts"
import type { CollectionName } from "./ArmRoute.ts"
import { entityKinds } from "./EntityKinds.ts"
import type { StoredEntity } from "./EntityStore.ts"
import type { ImportedOperation } from "./OpenApiDocument.ts"
import { renderPolicy, type PolicyFormat } from "./PolicyValidation.ts"

/** ARM resource bodies (`{id, type, name, properties}`) and list pages as APIM writes them. */
const resource = (id: string, name: string, type: string, properties: JsonObject): JsonObject => ({ id, type, name, properties })

export const apiBody = (serviceId: string, api: StoredApi): JsonObject =>
  resource(`${serviceId}/apis/${api.name}`, api.name, "Microsoft.ApiManagement/service/apis", { ...api.properties, isOnline: true })

export const entityBody = (serviceId: string, collection: CollectionName, entity: StoredEntity, query: URLSearchParams): JsonObject => {
  const kind = entityKinds[collection]
  return resource(`${serviceId}/${collection}/${entity.name}`, entity.name, kind.armType, kind.present(entity.properties, query))
}

export const policyBody = (serviceId: string, apiName: string, policy: StoredPolicy, format: PolicyFormat): JsonObject =>
  resource(`${serviceId}/apis/${apiName}/policies/policy`, "policy", "Microsoft.ApiManagement/service/apis/policies", {
    format,
    value: renderPolicy(policy.value, policy.format, format)
  })

export const operationBody = (serviceId: string, apiName: string, operation: ImportedOperation): JsonObject =>
  resource(`${serviceId}/apis/${apiName}/operations/${operation.name}`, operation.name, "Microsoft.ApiManagement/service/apis/operations", {
    displayName: operation.displayName,
    method: operation.method,
    urlTemplate: operation.urlTemplate,
    templateParameters: operation.templateParameters.map((p) => ({ name: p.name, required: p.required, type: p.type, values: [] })),
    ...(operation.description === undefined ? {} : { description: operation.description }),
    responses: []
  })

export const tagLinkBody = (serviceId: string, apiName: string, tag: StoredEntity): JsonObject =>
  resource(`${serviceId}/apis/${apiName}/tags/${tag.name}`, tag.name, "Microsoft.ApiManagement/service/apis/tags", tag.properties)

const walk = (value: Json | undefined, keys: ReadonlyArray<string>): Json | undefined =>
  keys.reduce<Json | undefined>((current, key) => (isJsonObject(current) ? current[key] : undefined), value)

/**
 * `name` is the resource name and a bare field is a property, as APIM's filter tables list them. A path whose
 * head names a nested object of the item (apisByTags' `api/isCurrent`, `tag/id`) is read from that object.
 */
const fieldOf = (item: JsonObject, path: string): Json | undefined => {
  if (path === "name") return item["name"]
  const [head, ...rest] = path.split("/")
  if (head !== undefined && head !== "properties" && rest.length > 0 && isJsonObject(item[head])) return walk(item[head], rest)
  return walk(item["properties"], path.replace(/^properties\//, "").split("/"))
}

const literal = (text: string): Json | undefined => {
  if (text === "true" || text === "false") return text === "true"
  if (/^'.*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'")
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined
}

const clause = (text: string): ((item: JsonObject) => boolean) | undefined => {
  const comparison = /^([\w/]+)\s+(eq|ne)\s+(.+)$/i.exec(text)
  if (comparison?.[1] !== undefined && comparison[3] !== undefined) {
    const [field, operator, value] = [comparison[1], comparison[2]?.toLowerCase(), literal(comparison[3])]
    if (value === undefined) return undefined
    const equal = (item: JsonObject) => {
      const actual = fieldOf(item, field)
      return typeof actual === "string" && typeof value === "string" ? actual.toLowerCase() === value.toLowerCase() : actual === value
    }
    return operator === "eq" ? equal : (item) => !equal(item)
  }
  const call = /^(contains|startswith|endswith)\(\s*([\w/]+)\s*,\s*('.*')\s*\)$/i.exec(text)
  const needle = call?.[3] === undefined ? undefined : literal(call[3])
  if (call?.[1] === undefined || call[2] === undefined || typeof needle !== "string") return undefined
  const [fn, field] = [call[1].toLowerCase(), call[2]]
  return (item) => {
    const actual = fieldOf(item, field)
    if (typeof actual !== "string") return false
    const [haystack, wanted] = [actual.toLowerCase(), needle.toLowerCase()]
    return fn === "contains" ? haystack.includes(wanted) : fn === "startswith" ? haystack.startsWith(wanted) : haystack.endsWith(wanted)
  }
}

/** OData `$filter` as APIM list operations take it, limited to `eq`/`ne`/contains/startswith/endswith joined by `and`. */
export const filterItems = (items: ReadonlyArray<JsonObject>, filter: string | null): Outcome<ReadonlyArray<JsonObject>> => {
  if (filter === null || filter.trim() === "") return succeed(items)
  const predicates = filter.split(/\s+and\s+/i).map((part) => clause(part.trim()))
  if (predicates.some((predicate) => predicate === undefined))
    return fail({ status: 400, code: "ValidationError", message: `Invalid filter clause: '${filter}'.` })
  return succeed(items.filter((item) => predicates.every((predicate) => predicate?.(item) === true)))
}

/** `{ value, count, nextLink? }`; `$top` sets the page size (default `pageSize`), `$skip` where it starts. */
export const listPage = (items: ReadonlyArray<JsonObject>, request: EmulatorRequest, pageSize: number): JsonObject => {
  const top = Number(request.query.get("$top") ?? pageSize)
  const skip = Number(request.query.get("$skip") ?? 0)
  const size = Number.isFinite(top) && top > 0 ? top : pageSize
  const start = Number.isFinite(skip) && skip > 0 ? skip : 0
  const page = items.slice(start, start + size)
  if (start + size >= items.length) return { value: [...page], count: items.length }
  const next = new URLSearchParams(request.query)
  next.set("$skip", String(start + size))
  return { value: [...page], count: items.length, nextLink: `${request.baseUrl}${request.rawPath}?${next.toString()}` }
}
