import { randomBytes } from "node:crypto"
import { isJsonObject, type Json, type JsonObject } from "../../Json.ts"
import { fail, invalidField, succeed, validationFailure, type ArmErrorDetail, type Outcome } from "./ArmFailure.ts"
import type { CollectionName } from "./ArmRoute.ts"
import type { PolicyFormat, PolicyReferences } from "./PolicyValidation.ts"
import { renderPolicy, validateFragment } from "./PolicyValidation.ts"

/**
 * The plainer APIM entities (everything but APIs and their policies): what a PUT must carry, the defaults
 * the service fills in, and what GET hides. Secrets are never echoed, as in APIM since 2019-12-01: an OpenID
 * Connect provider's `clientSecret`, a subscription's keys, a secret named value's `value`; each has a POST
 * action (`listSecrets`, `listValue`) that returns them.
 */
export interface KindContext {
  readonly id: string
  readonly now: () => Date
  /** The resource id prefix of the service, `/subscriptions/…/service/{name}`. */
  readonly serviceId: string
  readonly exists: (collection: CollectionName | "apis", id: string) => boolean
  readonly references: PolicyReferences
}

export interface EntityKind {
  readonly collection: CollectionName
  readonly armType: string
  /** APIM's entity word in "… not found." */
  readonly label: string
  /** Validates a PUT's properties and completes them; `previous` is the stored version on update. */
  readonly prepare: (properties: JsonObject, context: KindContext, previous: JsonObject | undefined) => Outcome<JsonObject>
  /** What GET returns; `query` carries e.g. a policy fragment's `format`. */
  readonly present: (properties: JsonObject, query: URLSearchParams) => JsonObject
  /** The body of the kind's secret-revealing POST action, when it has one. */
  readonly secrets?: { readonly action: string; readonly reveal: (properties: JsonObject) => JsonObject }
}

const required = (properties: JsonObject, names: ReadonlyArray<string>): ReadonlyArray<ArmErrorDetail> =>
  names.flatMap((name) => {
    const value = properties[name]
    return typeof value === "string" && value !== ""
      ? []
      : [{ code: "ValidationError", target: name, message: `'${name}' is required and must be a non-empty string.` }]
  })

const requireFields = (properties: JsonObject, names: ReadonlyArray<string>, then: () => Outcome<JsonObject>): Outcome<JsonObject> => {
  const missing = required(properties, names)
  return missing.length > 0 ? fail(validationFailure(missing)) : then()
}

const isAbsoluteUrl = (value: Json | undefined): boolean => typeof value === "string" && /^https?:\/\/[^\s/]+/i.test(value)

const without = (properties: JsonObject, names: ReadonlyArray<string>): JsonObject =>
  Object.fromEntries(Object.entries(properties).filter(([name]) => !names.includes(name)))

const asIs = (properties: JsonObject): JsonObject => properties

const subscriptionKey = (): string => randomBytes(16).toString("hex")

/** A subscription scope may be relative (`/products/x`) or a full resource id; APIM answers with the full id. */
const resolveScope = (scope: string, context: KindContext): Outcome<string> => {
  const relative = scope.toLowerCase().startsWith(context.serviceId.toLowerCase()) ? scope.slice(context.serviceId.length) : scope
  const match = /^\/(apis|products)(?:\/([^/]+))?\/?$/i.exec(relative)
  const kind = match?.[1]?.toLowerCase()
  const id = match?.[2]
  if (kind === "apis" && id === undefined) return succeed(`${context.serviceId}/apis`)
  if (kind === undefined || id === undefined) return fail(invalidField("scope", `Invalid subscription scope '${scope}'.`))
  const collection = kind === "apis" ? "apis" : "products"
  if (!context.exists(collection, id))
    return fail(invalidField("scope", `${collection === "apis" ? "Api" : "Product"} '${id}' referenced by the scope was not found.`))
  return succeed(`${context.serviceId}/${kind}/${id}`)
}

const openidConnectProviders: EntityKind = {
  collection: "openidConnectProviders",
  armType: "Microsoft.ApiManagement/service/openidConnectProviders",
  label: "OpenIdConnectProvider",
  prepare: (properties) =>
    requireFields(properties, ["displayName", "metadataEndpoint", "clientId"], () =>
      isAbsoluteUrl(properties["metadataEndpoint"])
        ? succeed(properties)
        : fail(invalidField("metadataEndpoint", "'metadataEndpoint' must be an absolute http or https URL."))
    ),
  present: (properties) => without(properties, ["clientSecret"]),
  secrets: { action: "listSecrets", reveal: (properties) => ({ clientSecret: properties["clientSecret"] ?? null }) }
}

const products: EntityKind = {
  collection: "products",
  armType: "Microsoft.ApiManagement/service/products",
  label: "Product",
  prepare: (properties) =>
    requireFields(properties, ["displayName"], () => {
      const state = properties["state"] ?? "notPublished"
      if (state !== "published" && state !== "notPublished")
        return fail(invalidField("state", "'state' must be 'published' or 'notPublished'."))
      return succeed({ subscriptionRequired: true, ...properties, state })
    }),
  present: asIs
}

const subscriptions: EntityKind = {
  collection: "subscriptions",
  armType: "Microsoft.ApiManagement/service/subscriptions",
  label: "Subscription",
  prepare: (properties, context, previous) =>
    requireFields(properties, ["displayName", "scope"], () => {
      const scope = resolveScope(typeof properties["scope"] === "string" ? properties["scope"] : "", context)
      if (!scope.ok) return scope
      return succeed({
        state: previous?.["state"] ?? "submitted",
        createdDate: previous?.["createdDate"] ?? context.now().toISOString(),
        primaryKey: previous?.["primaryKey"] ?? subscriptionKey(),
        secondaryKey: previous?.["secondaryKey"] ?? subscriptionKey(),
        allowTracing: false,
        ...properties,
        scope: scope.value
      })
    }),
  present: (properties) => without(properties, ["primaryKey", "secondaryKey"]),
  secrets: {
    action: "listSecrets",
    reveal: (properties) => ({ primaryKey: properties["primaryKey"] ?? null, secondaryKey: properties["secondaryKey"] ?? null })
  }
}

const tags: EntityKind = {
  collection: "tags",
  armType: "Microsoft.ApiManagement/service/tags",
  label: "Tag",
  prepare: (properties) => requireFields(properties, ["displayName"], () => succeed(properties)),
  present: asIs
}

const namedValues: EntityKind = {
  collection: "namedValues",
  armType: "Microsoft.ApiManagement/service/namedValues",
  label: "NamedValue",
  prepare: (properties) =>
    requireFields(properties, ["displayName"], () => {
      const displayName = String(properties["displayName"])
      if (!/^[A-Za-z0-9-._]+$/.test(displayName))
        return fail(invalidField("displayName", "'displayName' may contain only letters, digits, '-', '.' and '_'."))
      const fromVault = isJsonObject(properties["keyVault"]) && typeof properties["keyVault"]["secretIdentifier"] === "string"
      if (!fromVault && typeof properties["value"] !== "string")
        return fail(invalidField("value", "'value' is required unless 'keyVault' is set."))
      return succeed({ secret: false, tags: [], ...properties })
    }),
  present: (properties) => (properties["secret"] === true ? without(properties, ["value"]) : properties),
  secrets: { action: "listValue", reveal: (properties) => ({ value: properties["value"] ?? null }) }
}

const backends: EntityKind = {
  collection: "backends",
  armType: "Microsoft.ApiManagement/service/backends",
  label: "Backend",
  prepare: (properties) =>
    requireFields(properties, ["url", "protocol"], () => {
      if (!isAbsoluteUrl(properties["url"])) return fail(invalidField("url", "'url' must be an absolute http or https URL."))
      if (properties["protocol"] !== "http" && properties["protocol"] !== "soap")
        return fail(invalidField("protocol", "'protocol' must be 'http' or 'soap'."))
      return succeed(properties)
    }),
  present: asIs
}

const apiVersionSets: EntityKind = {
  collection: "apiVersionSets",
  armType: "Microsoft.ApiManagement/service/apiVersionSets",
  label: "ApiVersionSet",
  prepare: (properties) =>
    requireFields(properties, ["displayName", "versioningScheme"], () => {
      const scheme = properties["versioningScheme"]
      if (scheme !== "Segment" && scheme !== "Query" && scheme !== "Header")
        return fail(invalidField("versioningScheme", "'versioningScheme' must be 'Segment', 'Query' or 'Header'."))
      if (scheme === "Query") return requireFields(properties, ["versionQueryName"], () => succeed(properties))
      if (scheme === "Header") return requireFields(properties, ["versionHeaderName"], () => succeed(properties))
      return succeed(properties)
    }),
  present: asIs
}

const fragmentFormat = (value: Json | undefined): PolicyFormat | undefined =>
  value === undefined || value === "xml" ? "xml" : value === "rawxml" ? "rawxml" : undefined

const policyFragments: EntityKind = {
  collection: "policyFragments",
  armType: "Microsoft.ApiManagement/service/policyFragments",
  label: "PolicyFragment",
  prepare: (properties, context) =>
    requireFields(properties, ["value"], () => {
      const format = fragmentFormat(properties["format"])
      if (format === undefined) return fail(invalidField("format", "'format' must be 'xml' or 'rawxml'."))
      const valid = validateFragment(String(properties["value"]), format, context.references)
      return valid.ok ? succeed({ ...properties, format }) : valid
    }),
  present: (properties, query) => {
    const stored = fragmentFormat(properties["format"]) ?? "xml"
    const requested = query.get("format") === "rawxml" ? "rawxml" : "xml"
    return { ...properties, format: requested, value: renderPolicy(String(properties["value"] ?? ""), stored, requested) }
  }
}

export const entityKinds: Readonly<Record<CollectionName, EntityKind>> = {
  openidConnectProviders,
  products,
  subscriptions,
  tags,
  namedValues,
  backends,
  apiVersionSets,
  policyFragments
}
