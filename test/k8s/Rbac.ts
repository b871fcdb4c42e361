import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../../src/emulators/Json.ts"
import type { LoggedRequest } from "../../src/emulators/kube/RequestLog.ts"
import { operatorPermissions, ruleResource } from "../../src/services/KubePermissions.ts"

/**
 * Kubernetes RBAC as the API server's authorizer applies it, for the tests: what a set of manifests grants one
 * service account, and which access a logged request needs.
 */

export interface Subject {
  readonly namespace: string
  readonly name: string
}

/** One access: `namespace` is undefined for requests across all namespaces (a cluster-wide list or watch). */
export interface Access {
  readonly verb: string
  readonly group: string
  /** `plural` or `plural/subresource`. */
  readonly resource: string
  readonly namespace: string | undefined
}

const strings = (value: Json | undefined): ReadonlyArray<string> => (isJsonArray(value) ? value.filter((v) => typeof v === "string") : [])
const field = (object: JsonObject, key: string): JsonObject => {
  const value = object[key]
  return isJsonObject(value) ? value : {}
}
const text = (object: JsonObject, key: string): string => {
  const value = object[key]
  return typeof value === "string" ? value : ""
}

/** A grant as `namespace|group|resource|verb`, with `*` for every namespace (a ClusterRoleBinding). */
export type Grant = string
export const grant = (namespace: string, group: string, resource: string, verb: string): Grant => `${namespace}|${group}|${resource}|${verb}`

const rulesOf = (role: JsonObject): ReadonlyArray<JsonObject> => {
  const rules = role["rules"]
  return isJsonArray(rules) ? rules.filter(isJsonObject) : []
}

const expand = (namespace: string, rules: ReadonlyArray<JsonObject>): ReadonlyArray<Grant> =>
  rules.flatMap((rule) =>
    strings(rule["apiGroups"]).flatMap((group) =>
      strings(rule["resources"]).flatMap((resource) => strings(rule["verbs"]).map((verb) => grant(namespace, group, resource, verb)))
    )
  )

/** Everything the manifests grant the subject, through ClusterRoleBindings and RoleBindings. */
export const grantsOf = (objects: ReadonlyArray<JsonObject>, subject: Subject): ReadonlySet<Grant> => {
  const find = (kind: string, namespace: string, name: string) =>
    objects.find((o) => o["kind"] === kind && text(field(o, "metadata"), "name") === name && (kind === "ClusterRole" || text(field(o, "metadata"), "namespace") === namespace))
  const grants = new Set<Grant>()
  for (const binding of objects.filter((o) => o["kind"] === "ClusterRoleBinding" || o["kind"] === "RoleBinding")) {
    const subjects = isJsonArray(binding["subjects"]) ? binding["subjects"].filter(isJsonObject) : []
    const bound = subjects.some((s) => text(s, "kind") === "ServiceAccount" && text(s, "name") === subject.name && text(s, "namespace") === subject.namespace)
    if (!bound) continue
    const namespace = binding["kind"] === "ClusterRoleBinding" ? "*" : text(field(binding, "metadata"), "namespace")
    const ref = field(binding, "roleRef")
    const role = find(text(ref, "kind"), namespace, text(ref, "name"))
    if (role === undefined) throw new Error(`${String(binding["kind"])} ${text(field(binding, "metadata"), "name")} refers to a missing ${text(ref, "kind")}`)
    for (const g of expand(namespace, rulesOf(role))) grants.add(g)
  }
  return grants
}

/** Whether the grants allow the access (no wildcards: the operator's manifests use none, a test checks it). */
export const allows = (grants: ReadonlySet<Grant>, access: Access): boolean =>
  grants.has(grant("*", access.group, access.resource, access.verb)) ||
  (access.namespace !== undefined && grants.has(grant(access.namespace, access.group, access.resource, access.verb)))

/** The grants the code's permission table asks for, when the operator watches `watched` (`*`: every namespace). */
export const grantsFromCode = (watched: ReadonlyArray<string>, ownNamespace: string): ReadonlySet<Grant> =>
  new Set(
    operatorPermissions.flatMap((permission) =>
      (permission.scope === "own" ? [ownNamespace] : watched).flatMap((namespace) =>
        permission.verbs.map((verb) => grant(namespace, permission.resource.group, ruleResource(permission), verb))
      )
    )
  )

/**
 * The access a request needs, read from its method and path as the API server's request-info resolver does;
 * undefined for non-resource paths (discovery, /version, /openapi), which every authenticated user may read.
 */
export const accessOf = (request: Pick<LoggedRequest, "method" | "path" | "query">): Access | undefined => {
  const parts = request.path.split("?")[0]?.split("/").filter((p) => p !== "").map(decodeURIComponent) ?? []
  const [prefix, ...rest] = parts
  const afterVersion = prefix === "api" ? rest.slice(1) : prefix === "apis" ? rest.slice(2) : undefined
  if (afterVersion === undefined || afterVersion.length === 0) return undefined
  const group = prefix === "api" ? "" : rest[0] ?? ""
  const namespaced = afterVersion[0] === "namespaces" && afterVersion.length >= 3
  const [plural, name, subresource] = namespaced ? afterVersion.slice(2) : afterVersion
  const namespace = namespaced ? afterVersion[1] : undefined
  if (plural === undefined) return undefined
  const watching = request.query["watch"] === "true" || request.query["watch"] === "1"
  const verb = (() => {
    switch (request.method) {
      case "GET":
        return name !== undefined ? "get" : watching ? "watch" : "list"
      case "POST":
        return "create"
      case "PUT":
        return "update"
      case "PATCH":
        return "patch"
      case "DELETE":
        return name !== undefined ? "delete" : "deletecollection"
      default:
        return request.method.toLowerCase()
    }
  })()
  return { verb, group, resource: subresource === undefined ? plural : `${plural}/${subresource}`, namespace }
}

/** The operator's service account in k8s/. */
export const OPERATOR: Subject = { namespace: "oda-apim-operator", name: "oda-apim-operator" }
