import { isJsonObject, type Json, type JsonObject } from "../../Json.ts"
import { fail, invalidField, succeed, validationFailure, type ArmErrorDetail, type Outcome } from "./ArmFailure.ts"
import { parseDefinition, type DocumentKind, type DocumentSyntax, type ImportedOperation } from "./OpenApiDocument.ts"
import type { PolicyFormat } from "./PolicyValidation.ts"

/**
 * What an API PUT does to an API's stored state: import a definition (inline or by link) or take a plain
 * description, merge it over what is stored, fill APIM's defaults, and check it. APIM's PUT on an existing
 * API behaves as an upsert: properties the request leaves out keep their values (that is how an import updates
 * an API without restating it); `format`, `value`, `wsdlSelector` and `translateRequiredQueryParameters` are
 * write-only and never stored.
 */
export interface StoredPolicy {
  readonly value: string
  readonly format: PolicyFormat
  readonly etag: string
}

export interface StoredApi {
  /** The full id as first written, e.g. "petstore" or "petstore;rev=2". */
  readonly name: string
  readonly properties: JsonObject
  readonly etag: string
  readonly operations: ReadonlyArray<ImportedOperation>
  readonly policy?: StoredPolicy
}

export interface ApiWriteContext {
  readonly id: string
  readonly existing: StoredApi | undefined
  /** The API whose revision `id` names, when `id` is `base;rev=N` for a new revision. */
  readonly revisionOf: StoredApi | undefined
  readonly others: ReadonlyArray<StoredApi>
  readonly exists: (collection: "openidConnectProviders" | "apiVersionSets", id: string) => boolean
  readonly fetchLink: (url: string) => Promise<Outcome<string>>
}

export interface ApiWrite {
  readonly properties: JsonObject
  /** undefined keeps the stored operations (no import in this request). */
  readonly operations: ReadonlyArray<ImportedOperation> | undefined
}

interface ImportFormat {
  readonly syntax: DocumentSyntax
  readonly kinds: ReadonlyArray<DocumentKind>
  readonly link: boolean
}

const both: ReadonlyArray<DocumentKind> = ["openapi", "swagger"]
const importFormats: Readonly<Record<string, ImportFormat>> = {
  openapi: { syntax: "yaml-or-json", kinds: both, link: false },
  "openapi+json": { syntax: "json", kinds: both, link: false },
  "openapi-link": { syntax: "yaml-or-json", kinds: both, link: true },
  "openapi+json-link": { syntax: "json", kinds: both, link: true },
  "swagger-json": { syntax: "json", kinds: ["swagger"], link: false },
  "swagger-link-json": { syntax: "json", kinds: ["swagger"], link: true }
}

const writeOnly = ["format", "value", "wsdlSelector", "translateRequiredQueryParameters"]
const readOnly = ["isOnline", "provisioningState"]
const protocols = ["http", "https", "ws", "wss"]

export const splitRevision = (id: string): { readonly base: string; readonly revision: string | undefined } => {
  const match = /^(.*);rev=(\d+)$/i.exec(id)
  return match?.[1] === undefined ? { base: id, revision: undefined } : { base: match[1], revision: match[2] }
}

/** The last segment of an id that may be given as a name or as a full resource id. */
export const lastSegment = (value: string): string => value.split("/").filter((part) => part !== "").at(-1) ?? value

const normalisedPath = (path: Json | undefined): string => (typeof path === "string" ? path.replace(/^\/+|\/+$/g, "").toLowerCase() : "")

const importDefinition = async (
  properties: JsonObject,
  context: ApiWriteContext
): Promise<Outcome<{ readonly derived: JsonObject; readonly operations: ReadonlyArray<ImportedOperation> } | undefined>> => {
  const format = properties["format"]
  if (format === undefined) return succeed(undefined)
  const spec = typeof format === "string" ? importFormats[format] : undefined
  if (spec === undefined) return fail(invalidField("format", `The emulator does not import '${String(format)}' definitions.`))
  const value = properties["value"]
  if (typeof value !== "string" || value === "") return fail(invalidField("value", "'value' is required when 'format' is set."))
  const text = spec.link ? await context.fetchLink(value) : succeed(value)
  if (!text.ok) return text
  const translate = properties["translateRequiredQueryParameters"] === "query" ? "query" : "template"
  const definition = parseDefinition(text.value, { syntax: spec.syntax, kinds: spec.kinds, requiredQueryParameters: translate })
  if (!definition.ok) return definition
  const { title, description, serviceUrl } = definition.value
  return succeed({
    derived: {
      ...(title === "" ? {} : { displayName: title }),
      ...(description === undefined ? {} : { description }),
      ...(serviceUrl === undefined ? {} : { serviceUrl })
    },
    operations: definition.value.operations
  })
}

const detail = (target: string, message: string): ArmErrorDetail => ({ code: "ValidationError", target, message })

const checkFields = (properties: JsonObject, context: ApiWriteContext): ReadonlyArray<ArmErrorDetail> => {
  const problems: Array<ArmErrorDetail> = []
  const { displayName, path, serviceUrl, authenticationSettings, apiVersionSetId } = properties
  if (typeof displayName !== "string" || displayName.length === 0 || displayName.length > 300)
    problems.push(detail("displayName", "'displayName' is required and must be 1 to 300 characters long."))
  if (typeof path !== "string" || path.length > 400)
    problems.push(detail("path", "'path' is required and must be at most 400 characters long."))
  if (serviceUrl !== undefined && (typeof serviceUrl !== "string" || !/^(https?|wss?):\/\/[^\s/]+/i.test(serviceUrl)))
    problems.push(detail("serviceUrl", "'serviceUrl' must be an absolute URL."))
  const listed = properties["protocols"]
  if (!Array.isArray(listed) || listed.length === 0 || !listed.every((p: Json) => typeof p === "string" && protocols.includes(p)))
    problems.push(detail("protocols", `'protocols' must list one or more of ${protocols.join(", ")}.`))
  const openid = isJsonObject(authenticationSettings) ? authenticationSettings["openid"] : undefined
  const providerId = isJsonObject(openid) ? openid["openidProviderId"] : undefined
  if (typeof providerId === "string" && !context.exists("openidConnectProviders", lastSegment(providerId)))
    problems.push(detail("openidProviderId", `OpenID Connect provider '${providerId}' was not found.`))
  if (typeof apiVersionSetId === "string" && !context.exists("apiVersionSets", lastSegment(apiVersionSetId)))
    problems.push(detail("apiVersionSetId", `Api version set '${apiVersionSetId}' was not found.`))
  return problems
}

/**
 * Paths are unique across APIs; revisions of one API share theirs, and so do versions in one version set
 * (Azure/apiops#343, Azure/azure-powershell#11027: the service's message has two spaces before "unless").
 */
const checkPathConflict = (properties: JsonObject, context: ApiWriteContext): ArmErrorDetail | undefined => {
  const base = splitRevision(context.id).base.toLowerCase()
  const path = normalisedPath(properties["path"])
  const versionSet = properties["apiVersionSetId"]
  const clash = context.others.find((other) => {
    if (splitRevision(other.name).base.toLowerCase() === base) return false
    if (normalisedPath(other.properties["path"]) !== path) return false
    const otherSet = other.properties["apiVersionSetId"]
    const sameSet =
      typeof versionSet === "string" &&
      typeof otherSet === "string" &&
      lastSegment(versionSet).toLowerCase() === lastSegment(otherSet).toLowerCase()
    return !sameSet
  })
  if (clash === undefined) return undefined
  const [clashPath, owner] = [String(properties["path"]), splitRevision(clash.name).base]
  return detail(
    "path",
    `Cannot create API '${context.id}' with the same Path '${clashPath}' as API '${owner}'  unless it's a part of the same version set`
  )
}

const defaultsFor = (context: ApiWriteContext): JsonObject => {
  const revision = splitRevision(context.id).revision
  if (context.revisionOf !== undefined)
    return { ...context.revisionOf.properties, apiRevision: revision ?? "1", isCurrent: false }
  return { protocols: ["https"], subscriptionRequired: true, type: "http", apiRevision: revision ?? "1", isCurrent: true }
}

const strip = (properties: JsonObject, names: ReadonlyArray<string>): JsonObject =>
  Object.fromEntries(Object.entries(properties).filter(([name]) => !names.includes(name)))

export const prepareApiWrite = async (body: Json, context: ApiWriteContext): Promise<Outcome<ApiWrite>> => {
  const properties = isJsonObject(body) ? body["properties"] : undefined
  if (!isJsonObject(properties)) return fail(invalidField("properties", "'properties' is required."))
  const imported = await importDefinition(properties, context)
  if (!imported.ok) return imported
  const given = strip(properties, [...writeOnly, ...readOnly])
  const merged: JsonObject = {
    ...(context.existing?.properties ?? defaultsFor(context)),
    ...imported.value?.derived,
    ...given
  }
  const problems = checkFields(merged, context)
  if (problems.length > 0) return fail(validationFailure(problems))
  const conflict = checkPathConflict(merged, context)
  if (conflict !== undefined) return fail(validationFailure([conflict]))
  return succeed({ properties: merged, operations: imported.value?.operations })
}

/** PATCH (`api.update`): the given descriptive properties over the stored ones, checked like a PUT. */
export const prepareApiUpdate = (body: Json, context: ApiWriteContext): Outcome<JsonObject> => {
  const properties = isJsonObject(body) ? body["properties"] : undefined
  if (!isJsonObject(properties) || context.existing === undefined) return fail(invalidField("properties", "'properties' is required."))
  const merged = { ...context.existing.properties, ...strip(properties, [...writeOnly, ...readOnly]) }
  const problems = checkFields(merged, context)
  const conflict = checkPathConflict(merged, context)
  const all = conflict === undefined ? problems : [...problems, conflict]
  return all.length > 0 ? fail(validationFailure(all)) : succeed(merged)
}
