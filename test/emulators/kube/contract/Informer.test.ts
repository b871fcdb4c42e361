import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { LoggedRequest } from "../../../../src/emulators/kube/RequestLog.ts"
import { eventually, startHarness, type Harness } from "../Harness.ts"
import { at, WatchRecorder } from "./Contract.ts"

/**
 * client-node's `makeInformer` / `ListWatch` state machine (kube-emulator.md §2.6) against the emulator: list, then
 * watch from the list's resourceVersion; reconnect on a clean end; relist on 410; and — the behaviour an operator
 * must handle itself — the informer STOPS for good on a socket reset, an HTTP error on the watch or a failed list.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => h.emulator.close())

const pathOf = (namespace: string) => `/api/v1/namespaces/${namespace}/configmaps`

/** An informer with its callbacks recorded; `delays` records the reconnect back-off client-node asks for. */
interface Probe {
  readonly informer: k8s.ListWatch<k8s.V1ConfigMap>
  readonly seen: Array<string>
  readonly errors: Array<unknown>
  readonly delays: Array<number>
  /** Resolves the back-off waits; held ones stay pending until released. */
  holdDelays: boolean
  readonly release: () => void
  readonly lists: () => ReadonlyArray<LoggedRequest>
  readonly watches: () => ReadonlyArray<LoggedRequest>
}

const probe = async (
  namespace: string,
  options: { readonly labelSelector?: string; readonly list?: () => Promise<k8s.V1ConfigMapList> } = {}
): Promise<Probe> => {
  await h.core.createNamespace({ body: { metadata: { name: namespace } } })
  const path = pathOf(namespace)
  let pending: Array<() => void> = []
  const state: Probe = {
    informer: new k8s.ListWatch<k8s.V1ConfigMap>(
      path,
      new k8s.Watch(h.kc),
      options.list ?? (() => h.core.listNamespacedConfigMap({ namespace })),
      false,
      options.labelSelector,
      undefined,
      {
        delayFn: (ms) => {
          state.delays.push(ms)
          return new Promise<void>((resolve) => {
            if (state.holdDelays) pending.push(resolve)
            else resolve()
          })
        }
      }
    ),
    seen: [],
    errors: [],
    delays: [],
    holdDelays: false,
    release: () => {
      for (const resolve of pending) resolve()
      pending = []
    },
    lists: () => h.emulator.log.entries((e) => e.path === path && e.method === "GET" && e.query["watch"] !== "true"),
    watches: () => h.emulator.log.entries((e) => e.path === path && e.query["watch"] === "true")
  }
  state.informer.on("add", (o) => state.seen.push(`add ${o.metadata?.name ?? ""}`))
  state.informer.on("update", (o) => state.seen.push(`update ${o.metadata?.name ?? ""}`))
  state.informer.on("delete", (o) => state.seen.push(`delete ${o.metadata?.name ?? ""}`))
  state.informer.on("error", (e) => state.errors.push(e))
  return state
}

const cm = (name: string, labels: Record<string, string> = {}): k8s.V1ConfigMap => ({ metadata: { name, labels }, data: { k: "v" } })

/** Waits until the informer has a watch open on the emulator (the nth watch request of its path was answered). */
const watching = (p: Probe, count: number) => eventually(() => (p.watches().length >= count && h.emulator.openWatches() > 0 ? true : undefined))

describe("makeInformer", () => {
  it("lists, then watches from the list's resourceVersion, and turns events into add/update/delete", async () => {
    await h.core.createNamespace({ body: { metadata: { name: "inf-basic" } } })
    await h.core.createNamespacedConfigMap({ namespace: "inf-basic", body: cm("one") })
    const informer = k8s.makeInformer(h.kc, pathOf("inf-basic"), () => h.core.listNamespacedConfigMap({ namespace: "inf-basic" }))
    const seen: Array<string> = []
    informer.on("add", (o) => seen.push(`add ${o.metadata?.name ?? ""}`))
    informer.on("update", (o) => seen.push(`update ${o.metadata?.name ?? ""}`))
    informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name ?? ""}`))
    await informer.start()
    const list = h.emulator.log.entries((e) => e.method === "GET" && e.path === pathOf("inf-basic") && e.query["watch"] === undefined)
    const watch = h.emulator.log.entries((e) => e.path === pathOf("inf-basic") && e.query["watch"] === "true")
    expect(list).toHaveLength(1)
    expect(watch).toHaveLength(1)
    const listed = await h.core.listNamespacedConfigMap({ namespace: "inf-basic" })
    expect(watch[0]?.query).toEqual({ watch: "true", resourceVersion: listed.metadata?.resourceVersion })
    await h.core.createNamespacedConfigMap({ namespace: "inf-basic", body: cm("two") })
    await h.core.replaceNamespacedConfigMap({ namespace: "inf-basic", name: "two", body: { ...cm("two"), data: { k: "w" } } })
    await h.core.deleteNamespacedConfigMap({ namespace: "inf-basic", name: "one" })
    await eventually(() => (seen.length === 4 ? true : undefined))
    expect(seen).toEqual(["add one", "add two", "update two", "delete one"])
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(["two"])
    expect(informer.get("two", "inf-basic")?.data).toEqual({ k: "w" })
    await informer.stop()
  })

  it("applies its labelSelector to the watch only, never to your list (pitfall P11)", async () => {
    await h.core.createNamespace({ body: { metadata: { name: "inf-labels" } } })
    await h.core.createNamespacedConfigMap({ namespace: "inf-labels", body: cm("unlabelled") })
    const informer = k8s.makeInformer(h.kc, pathOf("inf-labels"), () => h.core.listNamespacedConfigMap({ namespace: "inf-labels" }), "app=x")
    await informer.start()
    const [list] = h.emulator.log.entries((e) => e.method === "GET" && e.path === pathOf("inf-labels") && e.query["watch"] === undefined)
    const [watch] = h.emulator.log.entries((e) => e.path === pathOf("inf-labels") && e.query["watch"] === "true")
    expect(list?.query["labelSelector"]).toBeUndefined()
    expect(watch?.query["labelSelector"]).toBe("app=x")
    // the unfiltered list put a non-matching object in the cache
    expect(informer.get("unlabelled", "inf-labels")).toBeDefined()
    await informer.stop()
  })
})

describe("reconnects the informer handles by itself", () => {
  it("a clean end of the stream: reconnect from the last resourceVersion at once, no relist", async () => {
    const p = await probe("inf-clean")
    await p.informer.start()
    await h.core.createNamespacedConfigMap({ namespace: "inf-clean", body: cm("a") })
    await eventually(() => (p.seen.includes("add a") ? true : undefined))
    const lastSeen = p.informer.latestResourceVersion()
    expect(h.emulator.faults.closeWatches("clean")).toBeGreaterThan(0)
    await watching(p, 2)
    expect(p.watches()[1]?.query["resourceVersion"]).toBe(lastSeen)
    expect(p.lists()).toHaveLength(1)
    expect(p.delays).toEqual([]) // the first reconnect does not wait
    await h.core.createNamespacedConfigMap({ namespace: "inf-clean", body: cm("b") })
    await eventually(() => (p.seen.includes("add b") ? true : undefined))
    expect(p.errors).toEqual([])
    await p.informer.stop()
  })

  it("backs off 1 s, 2 s, ... between reconnects without events, and an event resets the back-off", async () => {
    const p = await probe("inf-backoff")
    await p.informer.start()
    for (let n = 2; n <= 4; n++) {
      h.emulator.faults.closeWatches("clean")
      await watching(p, n)
    }
    expect(p.delays).toEqual([1000, 2000])
    await h.core.createNamespacedConfigMap({ namespace: "inf-backoff", body: cm("reset") })
    await eventually(() => (p.seen.includes("add reset") ? true : undefined))
    h.emulator.faults.closeWatches("clean")
    await watching(p, 5)
    expect(p.delays).toEqual([1000, 2000])
    await p.informer.stop()
  })

  it("an ERROR 410 event: the server closes the stream and the informer relists", async () => {
    const p = await probe("inf-expired")
    await p.informer.start()
    expect(h.emulator.faults.expireWatches()).toBeGreaterThan(0)
    await eventually(() => (p.lists().length === 2 && p.watches().length === 2 ? true : undefined))
    expect(p.watches()[1]?.query["resourceVersion"]).not.toBe("")
    expect(p.errors).toEqual([])
    await p.informer.stop()
  })

  it("a resume point compacted away: the reconnect gets ERROR 410 and the informer relists, catching up with what it missed", async () => {
    const p = await probe("inf-compacted")
    await h.core.createNamespacedConfigMap({ namespace: "inf-compacted", body: cm("before") })
    await p.informer.start()
    await h.core.createNamespacedConfigMap({ namespace: "default", body: cm("elsewhere-inf-compacted") })
    h.emulator.faults.compactHistory()
    h.emulator.faults.closeWatches("clean")
    await eventually(() => (p.lists().length === 2 ? true : undefined))
    await watching(p, 3)
    expect(p.seen).toEqual(["add before"]) // the relist found nothing new
    await h.core.createNamespacedConfigMap({ namespace: "inf-compacted", body: cm("after") })
    await eventually(() => (p.seen.includes("add after") ? true : undefined))
    await p.informer.stop()
  })

  it("an HTTP 410 on the watch request: relist", async () => {
    const p = await probe("inf-http410")
    await p.informer.start()
    h.emulator.faults.failNext(1, 410, { match: { watch: true, path: pathOf("inf-http410") } })
    h.emulator.faults.closeWatches("clean")
    await eventually(() => (p.lists().length === 2 && p.watches().length === 3 ? true : undefined))
    expect(p.watches().map((w) => w.status)).toEqual([200, 410, 200])
    expect(p.errors).toEqual([])
    await p.informer.stop()
  })

  it("a list without metadata.resourceVersion makes it watch with resourceVersion= (empty), which the server treats as unset (P13)", async () => {
    const p = await probe("inf-no-rv", {
      list: async () => {
        const list = await h.core.listNamespacedConfigMap({ namespace: "inf-no-rv" })
        return { ...list, metadata: {} }
      }
    })
    await h.core.createNamespacedConfigMap({ namespace: "inf-no-rv", body: cm("x") })
    await p.informer.start()
    await watching(p, 1)
    expect(p.watches()[0]?.query["resourceVersion"]).toBe("")
    expect(p.watches()[0]?.status).toBe(200)
    await h.core.createNamespacedConfigMap({ namespace: "inf-no-rv", body: cm("y") })
    await eventually(() => (p.seen.includes("add y") ? true : undefined))
    expect(p.seen).toEqual(["add x", "add y"])
    await p.informer.stop()
  })
})

describe("failures that STOP the informer (the operator must restart it on `error`)", () => {
  /** Proves the stopped informer made no new request: a raw watch opened after the error sees a write the informer never gets. */
  const provesStopped = async (p: Probe, namespace: string, watchesBefore: number) => {
    const control = await WatchRecorder.open(h.kc, pathOf(namespace), { resourceVersion: String(h.emulator.store.resourceVersion), timeoutSeconds: 60 })
    await h.core.createNamespacedConfigMap({ namespace, body: cm("while-stopped") })
    await control.nextAbout("ADDED", "while-stopped")
    control.close()
    expect(p.informer.get("while-stopped", namespace)).toBeUndefined()
    expect(p.watches().filter((w) => w.query["timeoutSeconds"] === undefined)).toHaveLength(watchesBefore)
  }

  it("a socket reset mid-stream: one `error` (TypeError: terminated), no retry; start() resumes from the last resourceVersion", async () => {
    const p = await probe("inf-reset")
    await p.informer.start()
    expect(h.emulator.faults.closeWatches("reset")).toBeGreaterThan(0)
    await eventually(() => (p.errors.length > 0 ? true : undefined))
    expect(p.errors).toHaveLength(1)
    const error = p.errors[0]
    expect(error).toBeInstanceOf(TypeError)
    expect(at(error, "message")).toBe("terminated")
    await provesStopped(p, "inf-reset", 1)
    await p.informer.start()
    await eventually(() => (p.seen.includes("add while-stopped") ? true : undefined))
    expect(p.lists()).toHaveLength(1) // start() kept the resourceVersion: the watch replayed what was missed
    await p.informer.stop()
  })

  it("HTTP 500 on the watch request: one `error` with statusCode 500, no retry", async () => {
    const p = await probe("inf-500")
    await p.informer.start()
    h.emulator.faults.failNext(1, 500, { match: { watch: true, path: pathOf("inf-500") } })
    h.emulator.faults.closeWatches("clean")
    await eventually(() => (p.errors.length > 0 ? true : undefined))
    expect(at(p.errors[0], "statusCode")).toBe(500)
    expect(p.watches().map((w) => w.status)).toEqual([200, 500])
    await provesStopped(p, "inf-500", 2)
    await p.informer.stop()
  })

  it("a failed list: one `error` (the ApiException), no watch at all", async () => {
    const p = await probe("inf-list-fails")
    h.emulator.faults.failNext(1, 503, { match: { method: "GET", watch: false, path: pathOf("inf-list-fails") } })
    await p.informer.start()
    expect(p.errors).toHaveLength(1)
    expect(p.errors[0]).toBeInstanceOf(k8s.ApiException)
    expect(at(p.errors[0], "code")).toBe(503)
    expect(p.watches()).toEqual([])
    await p.informer.stop()
  })
})

describe("stop()", () => {
  it("during a back-off wait still sends one more watch request after stop (P10)", async () => {
    const p = await probe("inf-stop")
    await p.informer.start()
    h.emulator.faults.closeWatches("clean")
    await watching(p, 2)
    p.holdDelays = true
    h.emulator.faults.closeWatches("clean")
    await eventually(() => (p.delays.length === 1 ? true : undefined))
    await p.informer.stop()
    const before = p.watches().length
    p.release()
    await eventually(() => (p.watches().length === before + 1 ? true : undefined))
    await eventually(() => (h.emulator.openWatches() > 0 ? true : undefined))
    // that stray watch stays open until the emulator closes: teardown must tolerate it
    expect(h.emulator.faults.closeWatches("clean")).toBeGreaterThan(0)
  })
})
