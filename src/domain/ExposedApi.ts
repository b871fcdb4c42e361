import { Either, Schema } from "effect"
import { type ApiIntent, ApiType, type GatewayPolicies, objectKey, type ObjectKey, Segment, type Specification } from "./ApiIntent.ts"
import { apimApiId } from "./ApiNaming.ts"
import {
  type SpecPolicySettings,
  readApiKey,
  readCors,
  readOasValidation,
  readQuota,
  readRateLimit,
  readTemplate
} from "./SpecPolicies.ts"
import { describeValue, InvalidSpec, Problems } from "./SpecProblems.ts"
import { isAbsent, readHttpUrl, readPath, readPort, readServiceName, readText, required } from "./SpecReaders.ts"

/**
 * The ExposedAPI resource (oda.tmforum.org) as the API server returns it, in any of its three versions. The CRD
 * converts with strategy None, so an object created as v1beta3 and read as v1 still carries the v1beta3 shape:
 * the spec is therefore decoded leniently (every field `unknown`) and interpreted once, by `toApiIntent`, which
 * accepts every shape whatever apiVersion it was read as and reports each bad field on its own.
 */

export const GROUP = "oda.tmforum.org"
export const EXPOSED_API = { group: GROUP, version: "v1", plural: "exposedapis", kind: "ExposedAPI" } as const
/** Held on every ExposedAPI the operator has published, until its API is gone from APIM. */
export const FINALIZER = "oda.tmforum.org/apim-operator"
/** The owning ODA Component. */
export const COMPONENT_LABEL = "oda.tmforum.org/componentName"
/** `"disabled"` opts one ExposedAPI out of JWT validation (if the operator allows it); `"enabled"` forces it on. */
export const JWT_OPT_OUT_ANNOTATION = "oda.tmforum.org/jwt-validation"

const StringMap = Schema.Record({ key: Schema.String, value: Schema.String })

export const OwnerReference = Schema.Struct({
  apiVersion: Schema.String,
  kind: Schema.String,
  name: Schema.String,
  uid: Schema.String,
  controller: Schema.optional(Schema.Boolean),
  blockOwnerDeletion: Schema.optional(Schema.Boolean)
})
export type OwnerReference = typeof OwnerReference.Type

export const ExposedApiMetadata = Schema.Struct({
  name: Schema.String,
  namespace: Schema.String,
  uid: Schema.String,
  generation: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  resourceVersion: Schema.String,
  labels: Schema.optional(StringMap),
  annotations: Schema.optional(StringMap),
  finalizers: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  deletionTimestamp: Schema.optional(Schema.String),
  ownerReferences: Schema.optional(Schema.Array(OwnerReference)),
  creationTimestamp: Schema.optional(Schema.String)
})
export type ExposedApiMetadata = typeof ExposedApiMetadata.Type

const Loose = Schema.optional(Schema.Unknown)

/** Every field `unknown`: a malformed spec still decodes, and `toApiIntent` reports it field by field. */
export const ExposedApiSpec = Schema.Struct(
  {
    name: Loose,
    specification: Loose,
    apiType: Loose,
    implementation: Loose,
    path: Loose,
    port: Loose,
    developerUI: Loose,
    segment: Loose,
    apiKeyVerification: Loose,
    rateLimit: Loose,
    quota: Loose,
    OASValidation: Loose,
    CORS: Loose,
    template: Loose
  },
  // preserve-unknown-fields: fields this operator does not read (apiSDO, resources, required, ...) are kept
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)
export type ExposedApiSpec = typeof ExposedApiSpec.Type

/** Opaque: status is written back field by field, never losing what other writers own. */
export const ExposedApiStatus = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type ExposedApiStatus = typeof ExposedApiStatus.Type

export class ExposedApi extends Schema.Class<ExposedApi>("ExposedApi")({
  apiVersion: Schema.optionalWith(Schema.String, { default: () => `${GROUP}/v1` }),
  kind: Schema.optionalWith(Schema.String, { default: () => EXPOSED_API.kind }),
  metadata: ExposedApiMetadata,
  spec: Schema.optionalWith(ExposedApiSpec, { default: () => ({}) }),
  status: Schema.optional(ExposedApiStatus)
}) {
  get key(): ObjectKey {
    return objectKey(this.metadata.namespace, this.metadata.name)
  }

  get isDeleting(): boolean {
    return this.metadata.deletionTimestamp !== undefined
  }

  hasFinalizer(name: string): boolean {
    return this.metadata.finalizers.includes(name)
  }
}

/** What the operator's configuration decides about every ExposedAPI. */
export interface IntentSettings extends SpecPolicySettings {
  /** JWT validation for resources without the opt-out annotation. */
  readonly jwtValidationDefault: boolean
  /** Whether `oda.tmforum.org/jwt-validation: disabled` is honoured; when false it makes the resource invalid. */
  readonly allowJwtOptOut: boolean
}

export const DEFAULT_INTENT_SETTINGS: IntentSettings = {
  quotaRenewalPeriodSeconds: 3600,
  apiKeyHeaderName: "Ocp-Apim-Subscription-Key",
  apiKeyQueryName: "subscription-key",
  jwtValidationDefault: true,
  allowJwtOptOut: false
}

/** The single interpretation of the ODA contract: an ExposedAPI of any version, normalised, or every problem in it. */
export const toApiIntent = (api: ExposedApi, settings: IntentSettings): Either.Either<ApiIntent, InvalidSpec> => {
  const problems = new Problems()
  const { spec, metadata } = api
  const apiName = required(problems, "spec.name", spec.name, HINTS.name, (p, field, value) =>
    readText(p, field, value, { what: "the API's name", maxLength: 300 }))
  const service = required(problems, "spec.implementation", spec.implementation, HINTS.implementation, readServiceName)
  const path = required(problems, "spec.path", spec.path, HINTS.path, (p, field, value) =>
    readPath(p, field, value, { dropTrailingSlash: true }))
  const port = required(problems, "spec.port", spec.port, HINTS.port, readPort)
  const apiType = required(problems, "spec.apiType", spec.apiType, HINTS.apiType, readApiType)
  const specification = readSpecification(problems, spec.specification)
  if (apiType === "openapi" && isAbsentSpecification(spec.specification))
    problems.report("spec.specification", `is required when spec.apiType is "openapi": ${HINTS.specification}`)
  const developerUI = isAbsent(spec.developerUI)
    ? undefined
    : readPath(problems, "spec.developerUI", spec.developerUI, { dropTrailingSlash: false })
  const segment = readSegment(problems, spec.segment)
  const component = componentOf(metadata.labels)
  const jwtValidation = readJwtValidation(problems, metadata.annotations, settings)
  const policies: Partial<GatewayPolicies> = {
    ...defined("rateLimit", readRateLimit(problems, spec.rateLimit)),
    ...defined("quota", readQuota(problems, spec.quota, settings)),
    ...defined("apiKey", readApiKey(problems, spec.apiKeyVerification, settings)),
    ...defined("cors", readCors(problems, spec.CORS)),
    ...defined("oasValidation", readOasValidation(problems, spec.OASValidation)),
    ...defined("template", readTemplate(problems, spec.template))
  }

  const error = problems.toError()
  if (error !== undefined) return Either.left(error)
  if (apiName === undefined || service === undefined || path === undefined || port === undefined || apiType === undefined)
    return Either.left(unreadable) // unreachable: each undefined above was reported
  if (segment === undefined || jwtValidation === undefined) return Either.left(unreadable)
  return Either.right({
    key: api.key,
    namespace: metadata.namespace,
    name: metadata.name,
    uid: metadata.uid,
    generation: metadata.generation,
    apiName,
    apiId: apimApiId(metadata.namespace, metadata.name),
    displayName: apiName,
    path,
    implementation: { service, port },
    apiType,
    ...defined("specification", specification),
    ...defined("developerUI", developerUI),
    segment,
    ...defined("component", component),
    policies: { ...policies, jwtValidation }
  })
}

const unreadable = new InvalidSpec({ problems: [{ field: "spec", message: "could not be read" }] })

/** `{ [key]: value }` when value is defined, `{}` otherwise: optional properties under exactOptionalPropertyTypes. */
const defined = <K extends string, A>(key: K, value: A | undefined): Partial<Record<K, A>> => {
  const result: Partial<Record<K, A>> = {}
  if (value !== undefined) result[key] = value
  return result
}

const apiTypesText = ApiType.literals.map((literal) => `"${literal}"`).join(", ")

/** What a missing field is for, so the message says what to write. */
const HINTS = {
  name: `the API's name as the Component defines it, e.g. "productcatalogmanagement"`,
  implementation: "the name of the Service that implements the API",
  path: `the path to the root of the API, e.g. "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4"`,
  port: "the Service port where the API is served, e.g. 8080",
  apiType: `one of ${apiTypesText}`,
  specification: "the URL of the API's OpenAPI or Swagger 2.0 document"
}

const readApiType = (problems: Problems, field: string, value: unknown): ApiType | undefined => {
  const match = ApiType.literals.find((literal) => literal === value)
  return match ?? problems.report(field, `must be one of ${apiTypesText}, got ${describeValue(value)}`)
}

/** The CRD's v1 comment: "operator will default to coreFunction if not specified". */
const readSegment = (problems: Problems, value: unknown): Segment | undefined => {
  if (isAbsent(value)) return "coreFunction"
  const match = Segment.literals.find((literal) => literal === value)
  const expected = Segment.literals.map((literal) => `"${literal}"`).join(", ")
  return match ?? problems.report("spec.segment", `must be one of ${expected}, got ${describeValue(value)}`)
}

/** A v1beta3/v1beta4 list with no entries is as good as no specification (the CRD asks for at least one). */
const isAbsentSpecification = (value: unknown): boolean => isAbsent(value) || (Array.isArray(value) && value.length === 0)

/**
 * `specification` in every shape it has had: v1 `{url, version}`, v1beta4 `[{url, version}, ...]`, v1beta3
 * `[url, ...]`, and the seed's plain `url`. Of a list only the first entry is used: one ExposedAPI publishes one API
 * (v1 made that explicit by turning the list into one object).
 */
const readSpecification = (problems: Problems, value: unknown): Specification | undefined => {
  if (isAbsentSpecification(value)) return undefined
  const [entry, field] = Array.isArray(value) ? [value[0], "spec.specification[0]"] : [value, "spec.specification"]
  if (typeof entry === "string") {
    const url = readHttpUrl(problems, field, entry)
    return url === undefined ? undefined : { url }
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return problems.report(field, `must be {url, version}, a list of them, or a list of URLs, got ${describeValue(entry)}`)
  const url = required(problems, `${field}.url`, Reflect.get(entry, "url"), HINTS.specification, readHttpUrl)
  const version = readText(problems, `${field}.version`, Reflect.get(entry, "version"), {
    what: `the specification's version, e.g. "v4.0.0"`,
    maxLength: 100
  })
  return url === undefined ? undefined : { url, ...defined("version", version) }
}

const componentOf = (labels: ExposedApiMetadata["labels"]): string | undefined => {
  const value = labels?.[COMPONENT_LABEL]?.trim()
  return value === undefined || value === "" ? undefined : value
}

const readJwtValidation = (
  problems: Problems,
  annotations: ExposedApiMetadata["annotations"],
  settings: IntentSettings
): boolean | undefined => {
  const value = annotations?.[JWT_OPT_OUT_ANNOTATION]
  if (value === undefined) return settings.jwtValidationDefault
  const field = `metadata.annotations["${JWT_OPT_OUT_ANNOTATION}"]`
  const mode = value.trim().toLowerCase()
  if (mode === "enabled") return true
  if (mode !== "disabled") return problems.report(field, `must be "enabled" or "disabled", got ${describeValue(value)}`)
  if (settings.allowJwtOptOut) return false
  return problems.report(
    field,
    `asks to disable JWT validation, which this operator's administrator does not allow: remove the annotation (JWT validation stays on)`
  )
}
