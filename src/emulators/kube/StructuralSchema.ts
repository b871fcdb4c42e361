import type { Json } from "../Json.ts"
import { applySchemaDefaults } from "./SchemaDefaults.ts"
import { validateEmbeddedResources, validateListSetsAndMaps } from "./SchemaInvariants.ts"
import type { OpenApiV3Schema } from "./SchemaNode.ts"
import { dropNonNullableNulls, pruneUnknownFields } from "./SchemaPruning.ts"
import { validateValue } from "./SchemaValidation.ts"
import { badRequest, type FieldError, type StatusError } from "./Status.ts"

/**
 * CustomResourceDefinition structural schemas applied to custom objects, the way kube-apiserver does:
 * the decoder prunes unknown fields and drops non-nullable nulls (customresource_handler.go
 * schemaCoercingConverter), the defaulter fills `default:`s, and the strategy validates against the schema,
 * then embedded resources and list-type set/map uniqueness (registry/customresource/strategy.go).
 */
export type { OpenApiV3Schema } from "./SchemaNode.ts"
export { applySchemaDefaults } from "./SchemaDefaults.ts"
export { dropNonNullableNulls, pruneUnknownFields } from "./SchemaPruning.ts"
export { validateValue } from "./SchemaValidation.ts"

export interface SchemaValidationOptions {
  /**
   * The stored object on update: list-type set/map uniqueness is then only enforced when the old object
   * satisfied it (the strategy's ValidateUpdate ratchet).
   */
  readonly old?: Json
}

/**
 * Validates a whole custom object against its version's schema. Root `metadata` is validated only as far as
 * the schema constrains it (name/generateName): the store runs ObjectMeta validation itself.
 */
export const validateAgainstSchema = (schema: OpenApiV3Schema, object: Json, options: SchemaValidationOptions = {}): ReadonlyArray<FieldError> => {
  const listErrors = options.old !== undefined && validateListSetsAndMaps(schema, options.old).length > 0
    ? []
    : validateListSetsAndMaps(schema, object)
  return [...validateValue(schema, object), ...validateEmbeddedResources(schema, object), ...listErrors]
}

export interface PreparedObject {
  readonly value: Json
  /** Unknown fields the decoder dropped, for `Warning: unknown field "…"` or a Strict 400. */
  readonly pruned: ReadonlyArray<string>
}

/** Decode then default, in the apiserver's order: prune, drop non-nullable nulls, apply defaults. */
export const prepareCustomObject = (schema: OpenApiV3Schema, object: Json): PreparedObject => {
  const { value, pruned } = pruneUnknownFields(schema, object)
  return { value: applySchemaDefaults(schema, dropNonNullableNulls(schema, value)), pruned }
}

/** The `Warning` header text for one pruned field under fieldValidation=Warn (the default). */
export const unknownFieldWarning = (path: string): string => `unknown field "${path}"`

/**
 * fieldValidation=Strict: 400 BadRequest as the apiserver words it, e.g.
 * `ExposedAPI in version "v1" cannot be handled as a ExposedAPI: strict decoding error: unknown field "spec.foo"`.
 */
export const strictDecodingError = (kind: string, version: string, pruned: ReadonlyArray<string>): StatusError =>
  badRequest(
    `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${pruned.map(unknownFieldWarning).join(", ")}`
  )

