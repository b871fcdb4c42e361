import type { JsonObject } from "../Json.ts"
import { crdStatus, defaultCustomResourceDefinition, validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from "./CrdValidation.ts"
import { finalizersOf, withMetadata } from "./ObjectMeta.ts"
import type { FieldError } from "./Status.ts"

/** The cleanup finalizer apiextensions-apiserver puts on every CRD: instances are deleted before the CRD goes. */
export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"

/** apiextensions-apiserver's strategy for CustomResourceDefinitions: defaults, validation, cleanup finalizer, status. */
export const CrdStrategy = {
  validate: (crd: JsonObject, old: JsonObject | undefined): ReadonlyArray<FieldError> =>
    old === undefined ? validateCustomResourceDefinition(crd) : validateCustomResourceDefinitionUpdate(crd, old),
  prepareForCreate: (crd: JsonObject): JsonObject => {
    const finalizers = finalizersOf(crd)
    const withFinalizer = finalizers.includes(CRD_CLEANUP_FINALIZER)
      ? crd
      : withMetadata(crd, { finalizers: [...finalizers, CRD_CLEANUP_FINALIZER] })
    return { ...withFinalizer, status: crdStatus(withFinalizer, new Date()) }
  },
  normalize: (crd: JsonObject): JsonObject => defaultCustomResourceDefinition(crd)
} as const
