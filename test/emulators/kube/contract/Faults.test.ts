import * as k8s from "@kubernetes/client-node"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { failureOf, startHarness, type Harness } from "../Harness.ts"
import { at, failureStatus, WatchRecorder } from "./Contract.ts"

/**
 * The fault-injection hooks (kube-emulator.md §5), each seen from client-node. Not covered: a watch stall longer
 * than client-node's 30 s inactivity timeout (the TimeoutError branch) — it would cost 30 s of wall time.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await h.core.createNamespace({ body: { metadata: { name: "faults" } } })
})
afterAll(async () => h.emulator.close())
afterEach(() => {
  h.emulator.faults.clear()
  h.emulator.faults.closeWatches("clean")
})

const ns = "faults"
const path = `/api/v1/namespaces/${ns}/configmaps`
const cm = (name: string): k8s.V1ConfigMap => ({ metadata: { name }, data: { k: "v" } })

describe("failNext", () => {
  it("fails the next N matching requests with the status and a Status body, then lets requests through", async () => {
    h.emulator.faults.failNext(2, 503, { match: { path: "/configmaps/target" }, message: "etcd is sulking" })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("target") })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("bystander") })
    for (let i = 0; i < 2; i++) {
      try {
        await h.core.readNamespacedConfigMap({ namespace: ns, name: "target" })
        expect.unreachable()
      } catch (error) {
        if (!(error instanceof k8s.ApiException)) throw error
        expect(error.code).toBe(503)
        expect(error.headers["content-type"]).toBe("application/json")
        expect(JSON.parse(String(error.body))).toEqual(failureStatus(503, "ServiceUnavailable", "etcd is sulking"))
      }
    }
    expect((await h.core.readNamespacedConfigMap({ namespace: ns, name: "target" })).metadata?.name).toBe("target")
    const reads = h.emulator.log.entries((e) => e.method === "GET" && e.path === `${path}/target`)
    expect(reads.map((e) => e.status)).toEqual([503, 503, 200])
  })

  it("matches by method and by watch-ness", async () => {
    h.emulator.faults.failNext(1, 500, { match: { method: "POST" } })
    await h.core.listNamespacedConfigMap({ namespace: ns })
    expect((await failureOf(h.core.createNamespacedConfigMap({ namespace: ns, body: cm("post-fails") }))).code).toBe(500)
    h.emulator.faults.failNext(1, 500, { match: { watch: true } })
    await h.core.listNamespacedConfigMap({ namespace: ns })
    const watch = await WatchRecorder.open(h.kc, path)
    expect(at(await watch.untilEnded(), "statusCode")).toBe(500)
  })

  it("clear() cancels what is pending", async () => {
    h.emulator.faults.failNext(5, 500)
    h.emulator.faults.clear()
    await h.core.listNamespacedConfigMap({ namespace: ns })
  })
})

describe("stallNext", () => {
  it("holds the next matching request: a later request overtakes it", async () => {
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("slow") })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("fast") })
    h.emulator.faults.stallNext(1, 500, { path: "/configmaps/slow" })
    const order: Array<string> = []
    await Promise.all([
      h.core.readNamespacedConfigMap({ namespace: ns, name: "slow" }).then(() => order.push("slow")),
      h.core.readNamespacedConfigMap({ namespace: ns, name: "fast" }).then(() => order.push("fast"))
    ])
    expect(order).toEqual(["fast", "slow"])
  })
})

describe("watch faults", () => {
  it("closeWatches('clean') ends the stream: done(null)", async () => {
    const watch = await WatchRecorder.open(h.kc, path)
    expect(h.emulator.faults.closeWatches("clean")).toBe(1)
    expect(await watch.untilEnded()).toBeNull()
  })

  it("closeWatches('reset') destroys the socket: done(TypeError terminated, cause UND_ERR_SOCKET)", async () => {
    const watch = await WatchRecorder.open(h.kc, path)
    expect(h.emulator.faults.closeWatches("reset")).toBe(1)
    const error = await watch.untilEnded()
    expect(error).toBeInstanceOf(TypeError)
    expect(at(error, "message")).toBe("terminated")
    expect(at(error, "cause", "code")).toBe("UND_ERR_SOCKET")
  })

  it("expireWatches sends ERROR 410 Expired, then closes", async () => {
    const watch = await WatchRecorder.open(h.kc, path, { resourceVersion: String(h.emulator.store.resourceVersion) })
    expect(h.emulator.faults.expireWatches()).toBe(1)
    expect(await watch.untilEnded()).toBeNull()
    expect(watch.events.map((e) => [e.type, at(e.object, "code"), at(e.object, "reason")])).toEqual([["ERROR", 410, "Expired"]])
  })

  it("stallWatches holds events: a stalled stream closed before the stall ends never delivers them; a resume replays them", async () => {
    const from = String(h.emulator.store.resourceVersion)
    const stalled = await WatchRecorder.open(h.kc, path, { resourceVersion: from })
    expect(h.emulator.faults.stallWatches(60_000)).toBe(1)
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("held-back") })
    const control = await WatchRecorder.open(h.kc, path, { resourceVersion: from })
    await control.nextAbout("ADDED", "held-back")
    h.emulator.faults.closeWatches("clean")
    await stalled.untilEnded()
    expect(stalled.events).toEqual([])
    const resumed = await WatchRecorder.open(h.kc, path, { resourceVersion: from })
    await resumed.nextAbout("ADDED", "held-back")
  })

  it("stallWatches with a short stall delivers the held events afterwards, in order", async () => {
    const watch = await WatchRecorder.open(h.kc, path, { resourceVersion: String(h.emulator.store.resourceVersion) })
    h.emulator.faults.stallWatches(100)
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("late-1") })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("late-2") })
    await watch.nextAbout("ADDED", "late-2")
    expect(watch.summary()).toEqual(["ADDED late-1", "ADDED late-2"])
  })

  it("bookmarkWatches sends a BOOKMARK to watches that allow them", async () => {
    const watch = await WatchRecorder.open(h.kc, path, { allowWatchBookmarks: true, resourceVersion: String(h.emulator.store.resourceVersion) })
    expect(h.emulator.faults.bookmarkWatches()).toBe(1)
    const bookmark = await watch.next((e) => e.type === "BOOKMARK")
    expect(at(bookmark.object, "metadata", "resourceVersion")).toBe(String(h.emulator.store.resourceVersion))
  })

  it("compactHistory(N): resuming before N gets ERROR 410, resuming at N replays", async () => {
    const before = await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("compact-1") })
    const through = await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("compact-2") })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: cm("compact-3") })
    h.emulator.faults.compactHistory(Number(through.metadata?.resourceVersion))
    const tooOld = await WatchRecorder.open(h.kc, path, { resourceVersion: before.metadata?.resourceVersion })
    expect(await tooOld.untilEnded()).toBeNull()
    expect(tooOld.events.map((e) => [e.type, at(e.object, "code")])).toEqual([["ERROR", 410]])
    const atN = await WatchRecorder.open(h.kc, path, { resourceVersion: through.metadata?.resourceVersion })
    await atN.nextAbout("ADDED", "compact-3")
    expect(atN.summary()).toEqual(["ADDED compact-3"])
  })
})
