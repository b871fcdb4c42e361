import { COMPONENT_KIND, COMPONENT_PLURAL } from "../domain/ComponentStatus.ts"
import { GROUP } from "../domain/ExposedApi.ts"
import { EndpointSlices, Events, ExposedApis, Ingresses, Leases, NetworkPolicies, type ResourceRef, Secrets, Services } from "./KubeResources.ts"

/**
 * Every Kubernetes permission the operator's code needs, and why: the source of the RBAC in `k8s/` (a test keeps
 * the ClusterRole, the namespace-scoped Roles and the leader-election Role equal to this list, and checks that an
 * operator run against the emulator makes no request outside it). Add a line here when the code starts to use a
 * resource or a verb.
 */

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete"

/**
 * Where a permission is needed: in every namespace the operator watches (a ClusterRole, or a Role per watched
 * namespace), or only in the operator's own namespace (a Role there).
 */
export type PermissionScope = "watched" | "own"

export interface Permission {
  readonly resource: ResourceRef
  readonly subresource?: "status" | "finalizers"
  readonly verbs: ReadonlyArray<Verb>
  readonly scope: PermissionScope
  readonly why: string
}

/** ODA Components, in whichever version owns the ExposedAPI (RBAC does not look at versions). */
const Components: ResourceRef = { group: GROUP, version: "v1", plural: COMPONENT_PLURAL, kind: COMPONENT_KIND }

export const operatorPermissions: ReadonlyArray<Permission> = [
  {
    resource: ExposedApis,
    verbs: ["get", "list", "watch", "patch"],
    scope: "watched",
    why: "watch ExposedAPIs, read one per reconcile, add and remove the finalizer, write status (the Canvas's CRD has no /status)"
  },
  {
    resource: ExposedApis,
    subresource: "status",
    verbs: ["patch"],
    scope: "watched",
    why: "write status through /status when the installed CRD declares it"
  },
  {
    resource: ExposedApis,
    subresource: "finalizers",
    verbs: ["update"],
    scope: "watched",
    why: "owner references with blockOwnerDeletion on what it creates (OwnerReferencesPermissionEnforcement)"
  },
  {
    resource: Ingresses,
    verbs: ["get", "list", "watch", "create", "update", "delete"],
    scope: "watched",
    why: "the Ingress of each ExposedAPI: watch its own (label selector), create, replace when it drifts, delete on finalize"
  },
  {
    resource: EndpointSlices,
    verbs: ["list", "watch"],
    scope: "watched",
    why: "implementation readiness: ready endpoints of the implementation Service"
  },
  {
    resource: Events,
    verbs: ["create", "patch"],
    scope: "watched",
    why: "Events on ExposedAPIs (events.k8s.io/v1); repeats update the Event's series"
  },
  {
    resource: Secrets,
    verbs: ["get", "create", "update", "delete"],
    scope: "watched",
    why: "API keys (apiKeyVerification): the subscription's keys in a Secret owned by the ExposedAPI, removed when verification is turned off"
  },
  {
    resource: NetworkPolicies,
    verbs: ["get", "create", "update", "delete"],
    scope: "watched",
    why: "gateway-only traffic (GATEWAY_ONLY_TRAFFIC): a NetworkPolicy owned by each ExposedAPI, removed when turned off"
  },
  {
    resource: Services,
    verbs: ["get"],
    scope: "watched",
    why: "gateway-only traffic: the implementation Service's pod selector and target port"
  },
  {
    resource: Components,
    verbs: ["get", "patch"],
    scope: "watched",
    why: "the parent ODA Component's entry for the API (url, developerUI, ready), through the object when its CRD has no /status"
  },
  {
    resource: Components,
    subresource: "status",
    verbs: ["patch"],
    scope: "watched",
    why: "the parent Component's entry, through /status when its CRD declares it"
  },
  {
    resource: Leases,
    verbs: ["get", "create", "update"],
    scope: "own",
    why: "leader election: one Lease in the operator's namespace"
  }
]

/** `resource` or `resource/subresource`, as RBAC rules name it. */
export const ruleResource = (permission: Permission): string =>
  permission.subresource === undefined ? permission.resource.plural : `${permission.resource.plural}/${permission.subresource}`
