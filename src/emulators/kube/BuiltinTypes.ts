import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { BuiltinValidation } from "./BuiltinValidation.ts"
import { CrdStrategy } from "./CrdStrategy.ts"
import { coreEventFromEventsV1, eventsV1FromCoreEvent } from "./EventConversion.ts"
import { EventValidation } from "./EventValidation.ts"
import { metadataOf, rfc3339, stringField } from "./ObjectMeta.ts"
import type { ResourceType, ServedVersion } from "./ResourceType.ts"
import { standardVerbs } from "./ResourceType.ts"

/** The built-in kinds the operator (and kubectl against the sandbox) touches, with kube-apiserver's strategies. */

interface BuiltinSpec {
  readonly group: string
  readonly version: string
  readonly kind: string
  readonly plural: string
  readonly namespaced: boolean
  readonly shortNames?: ReadonlyArray<string>
  readonly categories?: ReadonlyArray<string>
  readonly statusSubresource?: boolean
  readonly tracksGeneration?: boolean
  readonly allowUnconditionalUpdate?: boolean
  readonly allowCreateOnUpdate?: boolean
  readonly deleteReturnsObject?: boolean
  readonly storage?: string
  readonly fromStorage?: ServedVersion["fromStorage"]
  readonly toStorage?: ServedVersion["toStorage"]
  readonly fieldLabels?: ResourceType["fieldLabels"]
  readonly validate?: ResourceType["validate"]
  readonly decode?: ResourceType["decode"]
  readonly prepareForCreate?: ResourceType["prepareForCreate"]
  readonly prepareForUpdate?: ResourceType["prepareForUpdate"]
  readonly normalize?: ResourceType["normalize"]
  readonly verbs?: ReadonlyArray<string>
  readonly validationKind?: ResourceType["validationKind"]
}

const builtin = (spec: BuiltinSpec): ResourceType => ({
  group: spec.group,
  kind: spec.kind,
  listKind: `${spec.kind}List`,
  plural: spec.plural,
  singular: spec.kind.toLowerCase(),
  shortNames: spec.shortNames ?? [],
  categories: spec.categories ?? [],
  namespaced: spec.namespaced,
  versions: [
    {
      name: spec.version,
      printerColumns: [], // built-in tables are printed by BuiltinTables.ts, as kube-apiserver has its own printers
      ...(spec.fromStorage === undefined ? {} : { fromStorage: spec.fromStorage }),
      ...(spec.toStorage === undefined ? {} : { toStorage: spec.toStorage })
    }
  ],
  storageVersion: spec.version,
  storage: spec.storage ?? `${spec.group}/${spec.plural}`,
  custom: false,
  statusSubresource: spec.statusSubresource ?? false,
  tracksGeneration: spec.tracksGeneration ?? false,
  allowUnconditionalUpdate: spec.allowUnconditionalUpdate ?? true,
  allowCreateOnUpdate: spec.allowCreateOnUpdate ?? false,
  deleteReturnsObject: spec.deleteReturnsObject ?? false,
  fieldLabels: spec.fieldLabels ?? {},
  strategicKey: `${spec.group}/${spec.kind}`,
  verbs: spec.verbs ?? standardVerbs,
  ...(spec.validate === undefined ? {} : { validate: spec.validate }),
  ...(spec.decode === undefined ? {} : { decode: spec.decode }),
  ...(spec.prepareForCreate === undefined ? {} : { prepareForCreate: spec.prepareForCreate }),
  ...(spec.prepareForUpdate === undefined ? {} : { prepareForUpdate: spec.prepareForUpdate }),
  ...(spec.normalize === undefined ? {} : { normalize: spec.normalize }),
  ...(spec.validationKind === undefined ? {} : { validationKind: spec.validationKind })
})

const path = (object: JsonObject, ...keys: ReadonlyArray<string>): Json | undefined => {
  let current: Json | undefined = object
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined
    current = current[key]
  }
  return current
}


let nextClusterIp = 1
/** The ClusterIP allocator: 10.96.0.0/16, skipping .0.1 (the kubernetes Service). */
const allocateClusterIp = (): string => {
  nextClusterIp += 1
  return `10.96.${Math.floor(nextClusterIp / 256) % 256}.${nextClusterIp % 256}`
}

const specOf = (object: JsonObject): JsonObject => (isJsonObject(object["spec"]) ? object["spec"] : {})

/** SetDefaults_Service and SetDefaults_ServicePort: applied on every decode, so on every write. */
const defaultService = (service: JsonObject): JsonObject => {
  const spec = specOf(service)
  const ports = isJsonArray(spec["ports"]) ? spec["ports"].filter(isJsonObject) : []
  return {
    ...service,
    spec: {
      ...spec,
      type: stringField(spec, "type") ?? "ClusterIP",
      sessionAffinity: stringField(spec, "sessionAffinity") ?? "None",
      ports: ports.map((p) => ({ ...p, protocol: p["protocol"] ?? "TCP", targetPort: p["targetPort"] ?? p["port"] ?? null }))
    }
  }
}

const allocatedFields = ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] as const

/** The Service REST storage allocates a clusterIP on create. */
const prepareService = (service: JsonObject): JsonObject => {
  const spec = specOf(service)
  const type = stringField(spec, "type") ?? "ClusterIP"
  const clusterIP = stringField(spec, "clusterIP") ?? (type === "ExternalName" ? undefined : allocateClusterIp())
  return {
    ...service,
    spec: { ...spec, ...(clusterIP === undefined ? {} : { clusterIP, clusterIPs: [clusterIP], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack" }) },
    status: { loadBalancer: {} }
  }
}

/** ...and keeps it on update when the new object leaves it out (patchAllocatedValues, initIPFamilyFields). */
const keepAllocatedService = (service: JsonObject, old: JsonObject): JsonObject => {
  const spec: Record<string, Json> = { ...specOf(service) }
  const oldSpec = specOf(old)
  if ((stringField(spec, "type") ?? "ClusterIP") === "ExternalName") return service
  for (const field of allocatedFields) {
    const kept = oldSpec[field]
    if (spec[field] === undefined && kept !== undefined) spec[field] = kept
  }
  return { ...service, spec }
}

const prepareNamespace = (namespace: JsonObject): JsonObject => {
  const name = stringField(metadataOf(namespace), "name") ?? ""
  const labels = isJsonObject(metadataOf(namespace)["labels"]) ? metadataOf(namespace)["labels"] : {}
  return {
    ...namespace,
    metadata: { ...metadataOf(namespace), labels: { ...(isJsonObject(labels) ? labels : {}), "kubernetes.io/metadata.name": name } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" }
  }
}

/** Secrets fold stringData into base64 data on every write, as the apiserver's strategy does. */
const normalizeSecret = (secret: JsonObject): JsonObject => {
  const stringData = secret["stringData"]
  const data = isJsonObject(secret["data"]) ? secret["data"] : {}
  const out: Record<string, Json> = { ...secret, type: secret["type"] ?? "Opaque" }
  delete out["stringData"]
  if (isJsonObject(stringData)) {
    const merged: Record<string, Json> = { ...data }
    for (const [k, v] of Object.entries(stringData)) if (typeof v === "string") merged[k] = Buffer.from(v).toString("base64")
    out["data"] = merged
  }
  return out
}

/** metav1.Time accepts any RFC 3339 on decode and always encodes whole seconds (truncated), in UTC. */
const wholeSeconds = (object: JsonObject, fields: ReadonlyArray<string>): JsonObject => {
  const out: Record<string, Json> = { ...object }
  for (const field of fields) {
    const value = out[field]
    const date = typeof value === "string" ? new Date(value) : undefined
    if (date !== undefined && !Number.isNaN(date.getTime())) out[field] = rfc3339(date)
  }
  return out
}

const eventFieldLabels: ResourceType["fieldLabels"] = {
  "involvedObject.kind": (e) => path(e, "involvedObject", "kind"),
  "involvedObject.namespace": (e) => path(e, "involvedObject", "namespace"),
  "involvedObject.name": (e) => path(e, "involvedObject", "name"),
  "involvedObject.uid": (e) => path(e, "involvedObject", "uid"),
  "involvedObject.apiVersion": (e) => path(e, "involvedObject", "apiVersion"),
  "involvedObject.resourceVersion": (e) => path(e, "involvedObject", "resourceVersion"),
  "involvedObject.fieldPath": (e) => path(e, "involvedObject", "fieldPath"),
  reason: (e) => e["reason"],
  reportingComponent: (e) => e["reportingComponent"],
  source: (e) => path(e, "source", "component"),
  type: (e) => e["type"]
}

export const builtinTypes: ReadonlyArray<ResourceType> = [
  builtin({
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    statusSubresource: true,
    prepareForCreate: prepareNamespace,
    fieldLabels: { "status.phase": (n) => path(n, "status", "phase") }
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    namespaced: true,
    shortNames: ["svc"],
    categories: ["all"],
    statusSubresource: true,
    deleteReturnsObject: true,
    validate: BuiltinValidation.service,
    prepareForCreate: prepareService,
    prepareForUpdate: keepAllocatedService,
    normalize: defaultService
  }),
  builtin({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, shortNames: ["cm"] }),
  builtin({
    group: "",
    version: "v1",
    kind: "Secret",
    plural: "secrets",
    namespaced: true,
    normalize: normalizeSecret,
    validate: BuiltinValidation.secret,
    decode: BuiltinValidation.decodeSecret,
    fieldLabels: { type: (s) => s["type"] }
  }),
  builtin({ group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true, shortNames: ["sa"] }),
  builtin({
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    storage: "events",
    allowCreateOnUpdate: true,
    validate: EventValidation.core,
    decode: BuiltinValidation.decodeEvent,
    normalize: (event) => wholeSeconds(event, ["firstTimestamp", "lastTimestamp"]),
    fieldLabels: eventFieldLabels
  }),
  builtin({
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    storage: "events",
    allowCreateOnUpdate: true,
    fromStorage: eventsV1FromCoreEvent,
    toStorage: coreEventFromEventsV1,
    validate: EventValidation.eventsV1,
    validationKind: { group: "", kind: "Event" },
    decode: BuiltinValidation.decodeEvent,
    normalize: (event) => wholeSeconds(event, ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"]),
    fieldLabels: eventFieldLabels
  }),
  builtin({
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    plural: "ingresses",
    namespaced: true,
    shortNames: ["ing"],
    statusSubresource: true,
    tracksGeneration: true,
    validate: BuiltinValidation.ingress
  }),
  builtin({ group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false }),
  builtin({
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    namespaced: true,
    shortNames: ["netpol"],
    tracksGeneration: true
  }),
  builtin({
    group: "discovery.k8s.io",
    version: "v1",
    kind: "EndpointSlice",
    plural: "endpointslices",
    namespaced: true,
    tracksGeneration: true,
    validate: BuiltinValidation.endpointSlice
  }),
  builtin({
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    plural: "leases",
    namespaced: true,
    allowUnconditionalUpdate: false,
    allowCreateOnUpdate: true,
    validate: BuiltinValidation.lease,
    decode: BuiltinValidation.decodeLease
  }),
  builtin({
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    statusSubresource: true,
    tracksGeneration: true
  }),
  builtin({
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    namespaced: true,
    shortNames: ["pdb"],
    statusSubresource: true,
    tracksGeneration: true
  }),
  builtin({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true }),
  builtin({ group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true }),
  builtin({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false
  }),
  builtin({
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    statusSubresource: true,
    tracksGeneration: true,
    validate: CrdStrategy.validate,
    prepareForCreate: CrdStrategy.prepareForCreate,
    normalize: CrdStrategy.normalize
  })
]
