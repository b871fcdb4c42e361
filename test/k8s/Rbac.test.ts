import { describe, expect, it } from "vitest"
import { isJsonArray, isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { operatorPermissions, ruleResource } from "../../src/services/KubePermissions.ts"
import * as KubeResources from "../../src/services/KubeResources.ts"
import { K8S_DIR, k8sPath, renderKustomization } from "./Kustomize.ts"
import { grantsFromCode, grantsOf, OPERATOR } from "./Rbac.ts"

/**
 * The RBAC in k8s/ is the code's permission table (src/services/KubePermissions.ts), no more and no less, in both
 * modes. That the table covers every request the operator makes: OperatorAccess.test.ts.
 */

const clusterWide = renderKustomization(K8S_DIR)
const namespaceScoped = renderKustomization(k8sPath("overlays/namespace-scoped"))

const watchedNamespaces = (objects: ReadonlyArray<JsonObject>): ReadonlyArray<string> => {
  const configMap = objects.find((o) => o["kind"] === "ConfigMap" && isJsonObject(o["data"]) && typeof o["data"]["WATCH_NAMESPACES"] === "string")
  const value = isJsonObject(configMap?.["data"]) ? configMap["data"]["WATCH_NAMESPACES"] : undefined
  return typeof value === "string" ? value.split(",").map((n) => n.trim()).filter((n) => n !== "") : []
}

const sorted = (grants: ReadonlySet<string>): ReadonlyArray<string> => [...grants].sort()

const rulesOf = (objects: ReadonlyArray<JsonObject>): ReadonlyArray<JsonObject> =>
  objects
    .filter((o) => o["kind"] === "Role" || o["kind"] === "ClusterRole")
    .flatMap((role) => (isJsonArray(role["rules"]) ? role["rules"].filter(isJsonObject) : []))

describe("RBAC", () => {
  it("cluster-wide: a ClusterRole with exactly the table's watched-namespace permissions, a Role for the Lease", () => {
    expect(sorted(grantsOf(clusterWide, OPERATOR))).toEqual(sorted(grantsFromCode(["*"], OPERATOR.namespace)))
  })

  it("namespace-scoped: the same permissions as a Role in each watched namespace, and nothing cluster-wide", () => {
    const watched = watchedNamespaces(namespaceScoped)
    expect(watched).toEqual(["components"])
    expect(namespaceScoped.filter((o) => o["kind"] === "ClusterRole" || o["kind"] === "ClusterRoleBinding")).toEqual([])
    expect(sorted(grantsOf(namespaceScoped, OPERATOR))).toEqual(sorted(grantsFromCode(watched, OPERATOR.namespace)))
    expect(watchedNamespaces(clusterWide)).toEqual([]) // the cluster-wide install watches every namespace
  })

  it("names every group, resource and verb: no wildcards, resource names or non-resource URLs", () => {
    for (const rule of [...rulesOf(clusterWide), ...rulesOf(namespaceScoped)]) {
      expect(Object.keys(rule).sort()).toEqual(["apiGroups", "resources", "verbs"])
      expect(JSON.stringify(rule)).not.toContain("*")
    }
  })

  it("lists every resource the Kubernetes service addresses, and every verb at most once per resource", () => {
    const refs = Object.values(KubeResources).filter(
      (value): value is KubeResources.ResourceRef => typeof value === "object" && value !== null && "plural" in value && "group" in value
    )
    expect(refs.length).toBeGreaterThan(5)
    const listed = new Set(operatorPermissions.map((p) => `${p.resource.group}/${p.resource.plural}`))
    expect(refs.map((r) => `${r.group}/${r.plural}`).filter((r) => !listed.has(r))).toEqual([])
    const lines = operatorPermissions.map((p) => `${p.resource.group}/${ruleResource(p)} ${p.scope}`)
    expect(new Set(lines).size).toBe(lines.length)
    for (const p of operatorPermissions) expect(new Set(p.verbs).size).toBe(p.verbs.length)
  })
})
