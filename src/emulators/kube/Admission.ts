import { isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { metadataOf, nameOf, stringField, validateObjectMeta, type NameRule } from "./ObjectMeta.ts"
import { apiVersionOf, validationKindOf, type ResourceType, type ServedVersion } from "./ResourceType.ts"
import { prepareCustomObject, strictDecodingError, unknownFieldWarning, validateAgainstSchema } from "./StructuralSchema.ts"
import { badRequest, invalid, type FieldError } from "./Status.ts"

const isCrd = (type: ResourceType): boolean => type.group === "apiextensions.k8s.io" && type.kind === "CustomResourceDefinition"

export type FieldValidation = "Ignore" | "Warn" | "Strict"

/** The name rule kube-apiserver applies per kind. */
const nameRuleOf = (type: ResourceType): NameRule => {
  if (type.custom) return "path-segment"
  if (type.group === "" && (type.kind === "Namespace" || type.kind === "ServiceAccount")) return "label"
  if (type.group === "" && type.kind === "Service") return "dns1035"
  return "subdomain"
}

/**
 * The body must be an object of this kind and version, in this namespace, with this name: the checks the
 * apiserver's decoder and request scope make before any strategy runs (all 400 BadRequest).
 */
export const checkIncoming = (
  type: ResourceType,
  version: string,
  namespace: string,
  body: Json,
  urlName: string | undefined
): JsonObject => {
  if (!isJsonObject(body)) throw badRequest(`the body of the request was in an unknown format`)
  const expectedApiVersion = apiVersionOf(type.group, version)
  const apiVersion = stringField(body, "apiVersion")
  const kind = stringField(body, "kind")
  if (type.custom && (kind === undefined || kind === "")) {
    throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`)
  }
  if (apiVersion !== undefined && apiVersion !== expectedApiVersion) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expectedApiVersion})`)
  }
  if (kind !== undefined && kind !== type.kind) {
    throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${type.kind})`)
  }
  const bodyNamespace = stringField(metadataOf(body), "namespace")
  if (type.namespaced && bodyNamespace !== undefined && bodyNamespace !== "" && bodyNamespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request")
  }
  if (urlName !== undefined && nameOf(body) !== "" && nameOf(body) !== urlName) {
    throw badRequest(`the name of the object (${nameOf(body)}) does not match the name on the URL (${urlName})`)
  }
  const metadata: Record<string, Json> = { ...metadataOf(body) }
  if (type.namespaced) metadata["namespace"] = namespace
  else delete metadata["namespace"]
  if (urlName !== undefined) metadata["name"] = urlName
  return { apiVersion: expectedApiVersion, kind: type.kind, ...body, metadata }
}

export interface Admitted {
  readonly object: JsonObject
  readonly warnings: ReadonlyArray<string>
}

/**
 * Defaults, prunes and validates an object about to be stored, in the version of the request: CRD structural
 * schemas for custom resources, the kind's strategy (prepareForCreate on create, normalize always) and
 * validation for built-ins, metadata rules for all — in the apiserver's order, strategy before validation.
 */
export const admit = (
  type: ResourceType,
  version: ServedVersion,
  object: JsonObject,
  old: JsonObject | undefined,
  fieldValidation: FieldValidation
): Admitted => {
  type.decode?.(object)
  let current = object
  const warnings: Array<string> = []
  const errors: Array<FieldError> = []
  if (version.schema !== undefined) {
    // the apiserver's order: prune, drop nulls in non-nullable fields, default; then validate
    const { value, pruned } = prepareCustomObject(version.schema, current)
    if (pruned.length > 0 && fieldValidation === "Strict") throw strictDecodingError(type.kind, version.name, pruned)
    if (fieldValidation === "Warn") warnings.push(...pruned.map(unknownFieldWarning))
    current = isJsonObject(value) ? value : current
  }
  if (old === undefined) current = type.prepareForCreate?.(current) ?? current
  else current = type.prepareForUpdate?.(current, old) ?? current
  current = type.normalize?.(current) ?? current
  if (version.schema !== undefined) {
    errors.push(...validateAgainstSchema(version.schema, current, old === undefined ? {} : { old }))
  }
  // CRD validation checks the CRD's name itself (it must be <plural>.<group>)
  if (!isCrd(type)) errors.push(...validateObjectMeta(current, nameRuleOf(type)))
  errors.push(...(type.validate?.(current, old) ?? []))
  if (errors.length > 0) throw invalid(validationKindOf(type), nameOf(current), errors)
  return { object: current, warnings }
}
