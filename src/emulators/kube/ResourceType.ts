import type { Json, JsonObject } from "../Json.ts"
import type { FieldError } from "./Status.ts"

/** An additionalPrinterColumn, as CRDs declare them and as built-in tables are described. */
export interface PrinterColumn {
  readonly name: string
  readonly type: "integer" | "number" | "string" | "boolean" | "date"
  readonly jsonPath: string
  readonly description?: string
  readonly format?: string
  readonly priority?: number
}

/** Per-version facts of a served version. */
export interface ServedVersion {
  readonly name: string
  /** CRDs: the version's openAPIV3Schema; built-ins: none (their validation is code). */
  readonly schema?: JsonObject | undefined
  readonly printerColumns: ReadonlyArray<PrinterColumn>
  /** Converts a stored object (storage version) into this version; identity for CRDs ("None" strategy). */
  readonly fromStorage?: (stored: JsonObject) => JsonObject
  /** Converts a request body in this version into the storage version. */
  readonly toStorage?: (object: JsonObject) => JsonObject
}

/**
 * Everything the store needs to know about one kind: its names, where it lives on the wire, and the
 * strategy choices kube-apiserver makes for it (generation, unconditional update, create on update, ...).
 */
export interface ResourceType {
  readonly group: string
  readonly kind: string
  readonly listKind: string
  readonly plural: string
  readonly singular: string
  readonly shortNames: ReadonlyArray<string>
  readonly categories: ReadonlyArray<string>
  readonly namespaced: boolean
  /** Served versions, the preferred one first. */
  readonly versions: ReadonlyArray<ServedVersion>
  readonly storageVersion: string
  /**
   * Objects of several API groups may share one storage (core/v1 and events.k8s.io/v1 Events): the store keys
   * objects, resourceVersions and watches by this name.
   */
  readonly storage: string
  /** A custom resource: strategic merge is refused (415) and list items carry apiVersion and kind. */
  readonly custom: boolean
  readonly statusSubresource: boolean
  /** metadata.generation is tracked (custom resources, Ingress, Deployment, EndpointSlice, ...). */
  readonly tracksGeneration: boolean
  /** PUT without metadata.resourceVersion is allowed (false for custom resources and Leases). */
  readonly allowUnconditionalUpdate: boolean
  /** PUT to a missing object creates it (Leases, Events). */
  readonly allowCreateOnUpdate: boolean
  /** DELETE answers with the deleted object instead of a Status (Services). */
  readonly deleteReturnsObject: boolean
  /** Field selector labels beyond metadata.name and metadata.namespace, with how to read them. */
  readonly fieldLabels: Readonly<Record<string, (object: JsonObject) => Json | undefined>>
  /** Kind-specific validation of an object about to be stored (old is absent on create). */
  readonly validate?: (object: JsonObject, old: JsonObject | undefined) => ReadonlyArray<FieldError>
  /** Rejects what the apiserver cannot even decode (400), e.g. a MicroTime without six fractional digits. */
  readonly decode?: (object: JsonObject) => void
  /** Server-set fields and defaults on create (e.g. a Service's clusterIP, a Namespace's phase). */
  readonly prepareForCreate?: (object: JsonObject) => JsonObject
  /** Server-allocated values an update may omit and the server keeps (e.g. a Service's clusterIP). */
  readonly prepareForUpdate?: (object: JsonObject, old: JsonObject) => JsonObject
  /** Kind-specific normalisation on every write (e.g. a Secret's stringData folded into data). */
  readonly normalize?: (object: JsonObject) => JsonObject
  /**
   * The kind 422 Invalid errors name, when not this one: rest.BeforeCreate/BeforeUpdate take the first kind the
   * scheme knows for the internal type, so events.k8s.io Events fail as core `Event`.
   */
  readonly validationKind?: { readonly group: string; readonly kind: string }
  /** The strategic-merge description for built-ins ("group/Kind" key into the patch schemas). */
  readonly strategicKey?: string
  readonly verbs: ReadonlyArray<string>
}

export const apiVersionOf = (group: string, version: string): string => (group === "" ? version : `${group}/${version}`)

export const servedVersion = (type: ResourceType, version: string): ServedVersion | undefined =>
  type.versions.find((v) => v.name === version)

export const qualifiedResource = (type: ResourceType) => ({ group: type.group, resource: type.plural })

export const standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] as const

export const validationKindOf = (type: ResourceType): { readonly group: string; readonly kind: string } =>
  type.validationKind ?? { group: type.group, kind: type.kind }
