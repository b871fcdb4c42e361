import { isJsonObject, type Json, type JsonObject } from "../Json.ts"
import type { ResourceType } from "./ResourceType.ts"

/**
 * The schemas both OpenAPI documents publish: apimachinery's meta types, and one kind and list schema per
 * custom resource version (the CRD's openAPIV3Schema with apiVersion, kind and metadata as the apiextensions
 * apiserver adds them). `ref` turns a definition name into a reference (`#/definitions/…` in v2,
 * `#/components/schemas/…` in v3).
 */

export type RefOf = (name: string) => string

export const META = "io.k8s.apimachinery.pkg.apis.meta.v1"
export const OBJECT_META = `${META}.ObjectMeta`
export const LIST_META = `${META}.ListMeta`
export const PATCH = `${META}.Patch`

const string = (description: string): JsonObject => ({ type: "string", description })
const int64 = (description: string): JsonObject => ({ type: "integer", format: "int64", description })
const stringMap = (description: string): JsonObject => ({ type: "object", additionalProperties: { type: "string", default: "" }, description })

const API_VERSION_DESCRIPTION =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values."
const KIND_DESCRIPTION =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase."

/** The meta.k8s.io/v1 definitions a custom resource schema refers to, with kube's list semantics. */
export const metaSchemas = (ref: RefOf): Readonly<Record<string, JsonObject>> => ({
  [`${META}.Time`]: { type: "string", format: "date-time", description: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON." },
  [`${META}.FieldsV1`]: { type: "object", description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format." },
  [PATCH]: { type: "object", description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body." },
  [`${META}.OwnerReference`]: {
    type: "object",
    description: "OwnerReference contains enough information to let you identify an owning object.",
    required: ["apiVersion", "kind", "name", "uid"],
    properties: {
      apiVersion: string("API version of the referent."),
      blockOwnerDeletion: { type: "boolean", description: "If true, AND if the owner has the \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed." },
      controller: { type: "boolean", description: "If true, this reference points to the managing controller." },
      kind: string("Kind of the referent."),
      name: string("Name of the referent."),
      uid: string("UID of the referent.")
    },
    "x-kubernetes-map-type": "atomic"
  },
  [`${META}.ManagedFieldsEntry`]: {
    type: "object",
    description: "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.",
    properties: {
      apiVersion: string("APIVersion defines the version of this resource that this field set applies to."),
      fieldsType: string("FieldsType is the discriminator for the different fields format and version."),
      fieldsV1: { $ref: ref(`${META}.FieldsV1`), description: "FieldsV1 holds the first JSON version format as described in the \"FieldsV1\" type." },
      manager: string("Manager is an identifier of the workflow managing these fields."),
      operation: string("Operation is the type of operation which lead to this ManagedFieldsEntry being created."),
      subresource: string("Subresource is the name of the subresource used to update that object."),
      time: { $ref: ref(`${META}.Time`), description: "Time is the timestamp of when the ManagedFields entry was added." }
    }
  },
  [LIST_META]: {
    type: "object",
    description: "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
    properties: {
      continue: string("continue may be set if the user set a limit on the number of items returned."),
      remainingItemCount: int64("remainingItemCount is the number of subsequent items in the list which are not included in this list response."),
      resourceVersion: string("String that identifies the server's internal version of this object."),
      selfLink: string("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.")
    }
  },
  [OBJECT_META]: {
    type: "object",
    description: "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
    properties: {
      annotations: stringMap("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."),
      creationTimestamp: { $ref: ref(`${META}.Time`), description: "CreationTimestamp is a timestamp representing the server time when this object was created." },
      deletionGracePeriodSeconds: int64("Number of seconds allowed for this object to gracefully terminate before it will be removed from the system."),
      deletionTimestamp: { $ref: ref(`${META}.Time`), description: "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted." },
      finalizers: {
        type: "array",
        items: { type: "string", default: "" },
        description: "Must be empty before the object is deleted from the registry.",
        "x-kubernetes-list-type": "set",
        "x-kubernetes-patch-strategy": "merge"
      },
      generateName: string("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
      generation: int64("A sequence number representing a specific generation of the desired state."),
      labels: stringMap("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
      managedFields: {
        type: "array",
        items: { $ref: ref(`${META}.ManagedFieldsEntry`) },
        description: "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.",
        "x-kubernetes-list-type": "atomic"
      },
      name: string("Name must be unique within a namespace."),
      namespace: string("Namespace defines the space within which each name must be unique."),
      ownerReferences: {
        type: "array",
        items: { $ref: ref(`${META}.OwnerReference`) },
        description: "List of objects depended by this object.",
        "x-kubernetes-list-map-keys": ["uid"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "uid",
        "x-kubernetes-patch-strategy": "merge"
      },
      resourceVersion: string("An opaque value that represents the internal version of this object."),
      selfLink: string("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."),
      uid: string("UID is the unique in time and space value for this object.")
    }
  }
})

/** `oda.tmforum.org` → `org.tmforum.oda`: how kube names the definitions of custom resources. */
export const definitionName = (group: string, version: string, kind: string): string =>
  `${group.split(".").reverse().join(".")}.${version}.${kind}`

const gvk = (group: string, version: string, kind: string): JsonObject => ({ group, kind, version })

/**
 * The kind and list schemas of one served version of a custom resource, `convert` adapting the CRD's schema to
 * the document's dialect. `metadata` is replaced by ObjectMeta as the apiextensions apiserver does: v2 refers to
 * it directly, v3 wraps the reference in allOf so that it can carry a description.
 */
export const customResourceSchemas = (
  type: ResourceType,
  version: string,
  schema: JsonObject,
  ref: RefOf,
  dialect: "v2" | "v3"
): Readonly<Record<string, JsonObject>> => {
  const name = definitionName(type.group, version, type.kind)
  const properties = isJsonObject(schema["properties"]) ? schema["properties"] : {}
  const metadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
  const metadata: Json = dialect === "v2"
    ? { $ref: ref(OBJECT_META) }
    : { allOf: [{ $ref: ref(OBJECT_META) }], description: metadataDescription }
  const envelope = { apiVersion: string(API_VERSION_DESCRIPTION), kind: string(KIND_DESCRIPTION) }
  return {
    [name]: {
      ...schema,
      properties: { ...envelope, ...properties, metadata },
      "x-kubernetes-group-version-kind": [gvk(type.group, version, type.kind)]
    },
    [definitionName(type.group, version, type.listKind)]: {
      type: "object",
      description: `${type.listKind} is a list of ${type.kind}`,
      required: ["items"],
      properties: {
        ...envelope,
        items: { type: "array", items: { $ref: ref(name) }, description: `List of ${type.plural}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md` },
        metadata: dialect === "v2" ? { $ref: ref(LIST_META) } : { allOf: [{ $ref: ref(LIST_META) }], description: "Standard list metadata." }
      },
      "x-kubernetes-group-version-kind": [gvk(type.group, version, type.listKind)]
    }
  }
}

/** A query parameter of the API's operations, in either dialect (v2 puts `type` on it, v3 in a schema). */
export interface QueryParameter {
  readonly name: string
  readonly description: string
  readonly type: "string" | "boolean" | "integer"
}

/** PATCH's query parameters; kubectl looks for `fieldValidation` (1.32, v3) and `dryRun` (1.20, v2) among them. */
export const PATCH_PARAMETERS: ReadonlyArray<QueryParameter> = [
  { name: "dryRun", description: "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed", type: "string" },
  { name: "fieldManager", description: "fieldManager is a name associated with the actor or entity that is making these changes.", type: "string" },
  {
    name: "fieldValidation",
    description: "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict",
    type: "string"
  },
  { name: "force", description: "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.", type: "boolean" }
]

export const LIST_PARAMETERS: ReadonlyArray<QueryParameter> = [
  { name: "allowWatchBookmarks", description: "allowWatchBookmarks requests watch events with type \"BOOKMARK\".", type: "boolean" },
  { name: "continue", description: "The continue option should be set when retrieving more results from the server.", type: "string" },
  { name: "fieldSelector", description: "A selector to restrict the list of returned objects by their fields. Defaults to everything.", type: "string" },
  { name: "labelSelector", description: "A selector to restrict the list of returned objects by their labels. Defaults to everything.", type: "string" },
  { name: "limit", description: "limit is a maximum number of responses to return for a list call.", type: "integer" },
  { name: "resourceVersion", description: "resourceVersion sets a constraint on what resource versions a request may be served from.", type: "string" },
  { name: "timeoutSeconds", description: "Timeout for the list/watch call.", type: "integer" },
  { name: "watch", description: "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", type: "boolean" }
]

/** `/api/v1` or `/apis/{group}/{version}`. */
export const groupVersionPrefix = (type: ResourceType, version: string): string =>
  type.group === "" ? `/api/${version}` : `/apis/${type.group}/${version}`

/** Where a kind's objects are listed and created (`{namespace}` templated for namespaced kinds). */
export const collectionPath = (type: ResourceType, version: string): string =>
  type.namespaced ? `${groupVersionPrefix(type, version)}/namespaces/{namespace}/${type.plural}` : `${groupVersionPrefix(type, version)}/${type.plural}`

/** `customresourcedefinitions` in `apiextensions.k8s.io` → `ApiextensionsV1`; custom groups read reversed. */
export const operationGroup = (type: ResourceType, version: string): string => {
  const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)
  const labels = type.group === "" ? ["core"] : type.custom ? type.group.split(".").reverse() : type.group.replace(/\.k8s\.io$/, "").split(".")
  return `${labels.flatMap((l) => l.split("-")).map(capitalize).join("")}${capitalize(version)}`
}
