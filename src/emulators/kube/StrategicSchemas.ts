import type { FieldStrategy, StrategicSchema } from "./StrategicMerge.ts"

/**
 * The `patchStrategy`/`patchMergeKey` struct tags of the built-in kinds the emulator serves, transcribed from
 * k8s.io/api (v1.32; the tags are readable in any kubectl binary). Lists not named here are atomic
 * (Ingress rules/tls, EndpointSlice endpoints/ports, NetworkPolicy rules, RBAC rules/subjects, tolerations, ...).
 */

const mergeByKey = (key: string): FieldStrategy => ({ strategy: "merge", key })
const mergeSet: FieldStrategy = { strategy: "merge" }

/** ObjectMeta: finalizers merge as a set, ownerReferences by uid. */
const objectMeta = (prefix: string): StrategicSchema => ({
  [`${prefix}finalizers`]: mergeSet,
  [`${prefix}ownerReferences`]: mergeByKey("uid")
})

/** Container and EphemeralContainerCommon. */
const container = (prefix: string): StrategicSchema => ({
  [`${prefix}ports`]: mergeByKey("containerPort"),
  [`${prefix}env`]: mergeByKey("name"),
  [`${prefix}volumeMounts`]: mergeByKey("mountPath"),
  [`${prefix}volumeDevices`]: mergeByKey("devicePath")
})

const podSpec = (prefix: string): StrategicSchema => ({
  // volumes and resourceClaims are `merge,retainKeys`: retainKeys only shapes client-computed patches
  [`${prefix}volumes`]: mergeByKey("name"),
  [`${prefix}initContainers`]: mergeByKey("name"),
  ...container(`${prefix}initContainers[].`),
  [`${prefix}containers`]: mergeByKey("name"),
  ...container(`${prefix}containers[].`),
  [`${prefix}ephemeralContainers`]: mergeByKey("name"),
  ...container(`${prefix}ephemeralContainers[].`),
  [`${prefix}imagePullSecrets`]: mergeByKey("name"),
  [`${prefix}hostAliases`]: mergeByKey("ip"),
  [`${prefix}topologySpreadConstraints`]: mergeByKey("topologyKey"),
  [`${prefix}schedulingGates`]: mergeByKey("name"),
  [`${prefix}resourceClaims`]: mergeByKey("name")
})

const meta = objectMeta("metadata.")
const conditionsByType: StrategicSchema = { "status.conditions": mergeByKey("type") }

/** By `"<group>/<Kind>"`, the core group being "" (`"/Service"`, `"apps/Deployment"`). */
export const strategicSchemas: Readonly<Record<string, StrategicSchema>> = {
  "/ConfigMap": meta,
  "/Secret": meta,
  "/Namespace": { ...meta, ...conditionsByType },
  "/Service": { ...meta, "spec.ports": mergeByKey("port"), ...conditionsByType },
  "/ServiceAccount": { ...meta, secrets: mergeByKey("name") },
  "/Event": meta,
  "events.k8s.io/Event": meta,
  "networking.k8s.io/Ingress": meta,
  "networking.k8s.io/IngressClass": meta,
  "networking.k8s.io/NetworkPolicy": meta,
  "discovery.k8s.io/EndpointSlice": meta,
  "coordination.k8s.io/Lease": meta,
  "apps/Deployment": {
    ...meta,
    "spec.strategy": { strategy: "retainKeys" },
    ...objectMeta("spec.template.metadata."),
    ...podSpec("spec.template.spec."),
    ...conditionsByType
  },
  "policy/PodDisruptionBudget": { ...meta, "spec.selector": { strategy: "replace" }, ...conditionsByType },
  "rbac.authorization.k8s.io/Role": meta,
  "rbac.authorization.k8s.io/RoleBinding": meta,
  "rbac.authorization.k8s.io/ClusterRole": meta,
  "rbac.authorization.k8s.io/ClusterRoleBinding": meta,
  "apiextensions.k8s.io/CustomResourceDefinition": meta
}
