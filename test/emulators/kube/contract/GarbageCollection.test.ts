import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventually, failureOf, mergePatch, type Harness } from "../Harness.ts"
import { startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 2 item 9: ownerReference garbage collection (asynchronous, like kube-controller-manager's collector). */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
  await h.core.createNamespace({ body: { metadata: { name: "gc-other" } } })
})
afterAll(async () => h.emulator.close())

const ns = "default"

interface Owner {
  readonly name: string
  readonly uid: string
}

const ownerRef = (owner: Owner, extra: Partial<k8s.V1OwnerReference> = {}): k8s.V1OwnerReference => ({
  apiVersion: `${widgets.group}/v1`, kind: "Widget", name: owner.name, uid: owner.uid, ...extra
})

const createOwner = async (name: string, finalizers: ReadonlyArray<string> = []): Promise<Owner> => {
  const created = await h.custom.createNamespacedCustomObject({
    ...widgets,
    namespace: ns,
    body: widget(name, { size: 1 }, finalizers.length === 0 ? {} : { finalizers })
  })
  return { name, uid: created.metadata.uid }
}

const createDependent = async (name: string, refs: ReadonlyArray<k8s.V1OwnerReference>, namespace = ns, finalizers?: Array<string>) =>
  h.core.createNamespacedConfigMap({ namespace, body: { metadata: { name, ownerReferences: [...refs], ...(finalizers === undefined ? {} : { finalizers }) } } })

const configMapExists = (name: string, namespace = ns) => h.emulator.objects.get("v1", "ConfigMap", namespace, name) !== undefined
const widgetExists = (name: string) => h.emulator.objects.get(`${widgets.group}/v1`, "Widget", ns, name) !== undefined
const gone = (exists: () => boolean) => eventually(() => (exists() ? undefined : true))

describe("background (the default)", () => {
  it("deletes the owner at once, then its dependents, recursively", async () => {
    const owner = await createOwner("bg-owner")
    const child = await h.custom.createNamespacedCustomObject({
      ...widgets, namespace: ns, body: widget("bg-child", { size: 1 }, { ownerReferences: [ownerRef(owner)] })
    })
    await createDependent("bg-grandchild", [ownerRef({ name: "bg-child", uid: child.metadata.uid })])
    await createDependent("bg-cm", [ownerRef(owner)])
    const status = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "bg-owner" })
    expect(status.status).toBe("Success")
    expect(widgetExists("bg-owner")).toBe(false)
    await gone(() => configMapExists("bg-cm"))
    await gone(() => widgetExists("bg-child"))
    await gone(() => configMapExists("bg-grandchild"))
  })

  it("a dependent that still has another (existing) owner only loses the dangling reference", async () => {
    const first = await createOwner("two-owners-a")
    const second = await createOwner("two-owners-b")
    await createDependent("shared", [ownerRef(first), ownerRef(second)])
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "two-owners-a" })
    const released = await eventually(async () => {
      const cm = await h.core.readNamespacedConfigMap({ namespace: ns, name: "shared" })
      return cm.metadata?.ownerReferences?.length === 1 ? cm : undefined
    })
    expect(released.metadata?.ownerReferences?.[0]?.uid).toBe(second.uid)
  })
})

describe("matching is by uid", () => {
  it("collects a dependent whose owner uid never existed", async () => {
    await createDependent("orphaned-at-birth", [ownerRef({ name: "ghost", uid: "6f1c1f4e-0000-4000-8000-000000000000" })])
    await gone(() => configMapExists("orphaned-at-birth"))
  })

  it("collects a dependent that names an existing owner but with another uid", async () => {
    await createOwner("same-name")
    await createDependent("wrong-uid", [ownerRef({ name: "same-name", uid: "6f1c1f4e-0000-4000-8000-000000000001" })])
    await gone(() => configMapExists("wrong-uid"))
    expect(widgetExists("same-name")).toBe(true)
  })

  it("treats an owner in another namespace as absent", async () => {
    const owner = await createOwner("cross-ns-owner")
    await createDependent("cross-ns", [ownerRef(owner)], "gc-other")
    await gone(() => configMapExists("cross-ns", "gc-other"))
    expect(widgetExists("cross-ns-owner")).toBe(true)
  })

  it("a cluster-scoped dependent cannot have a namespaced owner: it is collected", async () => {
    const owner = await createOwner("namespaced-owner")
    const rbac = h.kc.makeApiClient(k8s.RbacAuthorizationV1Api)
    await rbac.createClusterRole({ body: { metadata: { name: "owned-cluster-role", ownerReferences: [ownerRef(owner)] }, rules: [] } })
    await gone(() => h.emulator.objects.get("rbac.authorization.k8s.io/v1", "ClusterRole", "", "owned-cluster-role") !== undefined)
    expect(widgetExists("namespaced-owner")).toBe(true)
  })

  it("refuses two controller references (422)", async () => {
    const a = await createOwner("ctl-a")
    const b = await createOwner("ctl-b")
    const failure = await failureOf(createDependent("two-controllers", [ownerRef(a, { controller: true }), ownerRef(b, { controller: true })]))
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toContain("Only one reference can have Controller set to true")
  })
})

describe("foreground", () => {
  it("marks the owner (deletionTimestamp + foregroundDeletion), deletes dependents, and removes the owner once no blocking dependent is left", async () => {
    const owner = await createOwner("fg-owner")
    await createDependent("fg-blocking", [ownerRef(owner, { blockOwnerDeletion: true })], ns, ["test/slow"])
    await createDependent("fg-plain", [ownerRef(owner)])
    const marked = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "fg-owner", propagationPolicy: "Foreground" })
    expect(marked.metadata.deletionTimestamp).toBeDefined()
    expect(marked.metadata.finalizers).toEqual(["foregroundDeletion"])
    await gone(() => configMapExists("fg-plain"))
    const blocking = await eventually(async () => {
      const cm = await h.core.readNamespacedConfigMap({ namespace: ns, name: "fg-blocking" })
      return cm.metadata?.deletionTimestamp === undefined ? undefined : cm
    })
    expect(blocking.metadata?.finalizers).toContain("test/slow")
    // the owner waits for its blocking dependent
    const waiting = await h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "fg-owner" })
    expect(waiting.metadata.finalizers).toEqual(["foregroundDeletion"])
    await h.core.patchNamespacedConfigMap({ namespace: ns, name: "fg-blocking", body: { metadata: { finalizers: null } } }, mergePatch)
    await gone(() => configMapExists("fg-blocking"))
    await gone(() => widgetExists("fg-owner"))
  })

  it("does not wait for a dependent without blockOwnerDeletion", async () => {
    const owner = await createOwner("fg-nonblocking-owner")
    await createDependent("fg-nonblocking", [ownerRef(owner)], ns, ["test/slow"])
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "fg-nonblocking-owner", propagationPolicy: "Foreground" })
    await gone(() => widgetExists("fg-nonblocking-owner"))
    const dependent = await h.core.readNamespacedConfigMap({ namespace: ns, name: "fg-nonblocking" })
    expect(dependent.metadata?.deletionTimestamp).toBeDefined()
    await h.core.patchNamespacedConfigMap({ namespace: ns, name: "fg-nonblocking", body: { metadata: { finalizers: null } } }, mergePatch)
  })
})

describe("orphan", () => {
  it("marks the owner with the orphan finalizer, strips the ownerReferences from dependents, then deletes the owner", async () => {
    const owner = await createOwner("orphan-owner")
    const other = await createOwner("orphan-other")
    await createDependent("orphan-dep", [ownerRef(owner), ownerRef(other)])
    const marked = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "orphan-owner", propagationPolicy: "Orphan" })
    expect(marked.metadata.finalizers).toEqual(["orphan"])
    await gone(() => widgetExists("orphan-owner"))
    const dependent = await h.core.readNamespacedConfigMap({ namespace: ns, name: "orphan-dep" })
    expect(dependent.metadata?.ownerReferences?.map((r) => r.name)).toEqual(["orphan-other"])
  })

  it("orphanDependents=true (the legacy option) orphans too", async () => {
    const owner = await createOwner("legacy-orphan-owner")
    await createDependent("legacy-orphan-dep", [ownerRef(owner)])
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "legacy-orphan-owner", orphanDependents: true })
    await gone(() => widgetExists("legacy-orphan-owner"))
    const dependent = await h.core.readNamespacedConfigMap({ namespace: ns, name: "legacy-orphan-dep" })
    expect(dependent.metadata?.ownerReferences).toBeUndefined()
  })
})

describe("pausing the controllers", () => {
  it("nothing is collected while paused; resuming catches up", async () => {
    const owner = await createOwner("paused-owner")
    await createDependent("paused-dep", [ownerRef(owner)])
    h.emulator.faults.pauseControllers()
    try {
      await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "paused-owner" })
      // several round trips later, the dependent is still there
      for (let i = 0; i < 5; i++) await h.core.readNamespacedConfigMap({ namespace: ns, name: "paused-dep" })
      expect(configMapExists("paused-dep")).toBe(true)
    } finally {
      h.emulator.faults.resumeControllers()
    }
    await gone(() => configMapExists("paused-dep"))
  })
})
