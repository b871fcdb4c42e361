import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventually, mergePatch, type Harness } from "../Harness.ts"
import { at, nameOf, rvOf, startWidgetHarness, WatchRecorder, widget, widgets } from "./Contract.ts"

/** Tier 1 item 4 and Tier 2 item 17, through client-node's raw `Watch`. */

const HISTORY = 20
let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness({ historySize: HISTORY, bookmarkIntervalMs: 50 })
  await h.core.createNamespace({ body: { metadata: { name: "watch-a" } } })
  await h.core.createNamespace({ body: { metadata: { name: "watch-b" } } })
})
afterAll(async () => h.emulator.close())

const configMaps = (namespace: string) => `/api/v1/namespaces/${namespace}/configmaps`
const widgetPath = (namespace: string) => `/apis/${widgets.group}/v1/namespaces/${namespace}/widgets`
const configMap = (name: string, labels: Record<string, string> = {}): k8s.V1ConfigMap => ({ metadata: { name, labels }, data: { k: "v" } })

describe("starting points", () => {
  it.each([["unset", undefined], ["empty", ""], ["0", "0"]])(
    "resourceVersion %s: synthetic ADDED for every current object (etcd order), then live events",
    async (_label, resourceVersion) => {
      const namespace = `start-${_label}`
      await h.core.createNamespace({ body: { metadata: { name: namespace } } })
      await h.core.createNamespacedConfigMap({ namespace, body: configMap("b") })
      await h.core.createNamespacedConfigMap({ namespace, body: configMap("a") })
      const watch = await WatchRecorder.open(h.kc, configMaps(namespace), { resourceVersion })
      await h.core.createNamespacedConfigMap({ namespace, body: configMap("c") })
      await watch.nextAbout("ADDED", "c")
      expect(watch.summary()).toEqual(["ADDED a", "ADDED b", "ADDED c"])
      watch.close()
    }
  )

  it("resourceVersion N replays every retained event after N, in order, then goes live", async () => {
    const first = await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("r1") })
    await h.core.patchNamespacedConfigMap({ namespace: "watch-a", name: "r1", body: { data: { k: "w" } } }, mergePatch)
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("r2") })
    await h.core.deleteNamespacedConfigMap({ namespace: "watch-a", name: "r1" })
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-a"), { resourceVersion: rvOf(first) })
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("r3") })
    await watch.nextAbout("ADDED", "r3")
    expect(watch.summary()).toEqual(["MODIFIED r1", "ADDED r2", "DELETED r1", "ADDED r3"])
    const rvs = watch.events.map((e) => Number(rvOf(e.object)))
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b))
    expect(rvs[0]).toBeGreaterThan(Number(rvOf(first)))
    watch.close()
  })

  it("a resourceVersion older than the retained window: HTTP 200, one ERROR 410 Expired event, then a clean close", async () => {
    const start = await h.core.createNamespacedConfigMap({ namespace: "watch-b", body: configMap("old") })
    for (let i = 0; i < HISTORY + 2; i++) {
      await h.core.patchNamespacedConfigMap({ namespace: "watch-b", name: "old", body: { data: { n: String(i) } } }, mergePatch)
    }
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-b"), { resourceVersion: rvOf(start) })
    expect(await watch.untilEnded()).toBeNull()
    expect(watch.events).toHaveLength(1)
    const event = watch.events[0]
    expect(event?.type).toBe("ERROR")
    expect(event?.object).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: expect.stringMatching(new RegExp(`^too old resource version: ${rvOf(start)} \\(\\d+\\)$`)),
      reason: "Expired",
      code: 410
    })
    const logged = h.emulator.log.entries((e) => e.query["watch"] === "true" && e.query["resourceVersion"] === rvOf(start))
    expect(logged.map((e) => e.status)).toEqual([200])
  })

  it("a resourceVersion inside the window is replayed, not expired", async () => {
    const start = await h.core.createNamespacedConfigMap({ namespace: "watch-b", body: configMap("recent") })
    for (let i = 0; i < HISTORY - 5; i++) {
      await h.core.patchNamespacedConfigMap({ namespace: "watch-b", name: "recent", body: { data: { n: String(i) } } }, mergePatch)
    }
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-b"), { resourceVersion: rvOf(start) })
    await eventuallyCount(watch, HISTORY - 5)
    expect(watch.events.every((e) => e.type === "MODIFIED")).toBe(true)
    expect(watch.ended).toBe(false)
    watch.close()
  })
})

const eventuallyCount = async (watch: WatchRecorder, count: number) => watch.next(() => watch.events.length >= count)

describe("event contents", () => {
  it("DELETED carries the last stored state with the deletion's new resourceVersion; objects carry apiVersion and kind", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: "watch-a", body: widget("del", { size: 3 }, { labels: { l: "1" } }) })
    const watch = await WatchRecorder.open(h.kc, widgetPath("watch-a"), { resourceVersion: created.metadata.resourceVersion })
    await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: "watch-a", name: "del", body: { spec: { size: 4 } } }, mergePatch)
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: "watch-a", name: "del" })
    const deleted = await watch.nextAbout("DELETED", "del")
    const modified = await watch.nextAbout("MODIFIED", "del")
    expect(at(deleted.object, "spec", "size")).toBe(4)
    expect(at(deleted.object, "metadata", "labels")).toEqual({ l: "1" })
    expect(Number(rvOf(deleted.object))).toBeGreaterThan(Number(rvOf(modified.object)))
    expect(at(deleted.object, "apiVersion")).toBe(`${widgets.group}/v1`)
    expect(at(deleted.object, "kind")).toBe("Widget")
    watch.close()
  })

  it("built-in event objects carry apiVersion and kind too (list items do not)", async () => {
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-a"), {})
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("kinded") })
    const added = await watch.nextAbout("ADDED", "kinded")
    expect(at(added.object, "apiVersion")).toBe("v1")
    expect(at(added.object, "kind")).toBe("ConfigMap")
    watch.close()
  })

  it("a namespaced watch sees only its namespace; a cluster-wide watch sees all", async () => {
    const scoped = await WatchRecorder.open(h.kc, configMaps("watch-b"), { resourceVersion: String(h.emulator.store.resourceVersion) })
    const everywhere = await WatchRecorder.open(h.kc, "/api/v1/configmaps", { resourceVersion: String(h.emulator.store.resourceVersion) })
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("ns-a") })
    await h.core.createNamespacedConfigMap({ namespace: "watch-b", body: configMap("ns-b") })
    await scoped.nextAbout("ADDED", "ns-b")
    await everywhere.nextAbout("ADDED", "ns-b")
    expect(scoped.summary()).toEqual(["ADDED ns-b"])
    expect(everywhere.summary()).toEqual(["ADDED ns-a", "ADDED ns-b"])
    scoped.close()
    everywhere.close()
  })
})

describe("selectors on watches", () => {
  it("an update that starts matching is ADDED; one that stops matching is DELETED with the previous content and a new resourceVersion", async () => {
    const from = String(h.emulator.store.resourceVersion)
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-a"), { resourceVersion: from, labelSelector: "tier=web" })
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("sel", { tier: "db" }) })
    await h.core.patchNamespacedConfigMap({ namespace: "watch-a", name: "sel", body: { metadata: { labels: { tier: "web" } } } }, mergePatch)
    await h.core.patchNamespacedConfigMap({ namespace: "watch-a", name: "sel", body: { data: { k: "changed" } } }, mergePatch)
    const left = await h.core.patchNamespacedConfigMap({ namespace: "watch-a", name: "sel", body: { metadata: { labels: { tier: "db" } } } }, mergePatch)
    const deleted = await watch.nextAbout("DELETED", "sel")
    expect(watch.summary()).toEqual(["ADDED sel", "MODIFIED sel", "DELETED sel"])
    expect(at(deleted.object, "metadata", "labels")).toEqual({ tier: "web" })
    expect(at(deleted.object, "data", "k")).toBe("changed")
    expect(rvOf(deleted.object)).toBe(left.metadata?.resourceVersion)
    watch.close()
  })

  it("field selectors filter watches too", async () => {
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-a"), { fieldSelector: "metadata.name=picked" })
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("ignored") })
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: configMap("picked") })
    await watch.nextAbout("ADDED", "picked")
    expect(watch.summary()).toEqual(["ADDED picked"])
    watch.close()
  })
})

describe("bookmarks", () => {
  it("arrive periodically on watches that asked (the real server: about once a minute; here bookmarkIntervalMs)", async () => {
    const watch = await WatchRecorder.open(h.kc, widgetPath("watch-a"), { allowWatchBookmarks: true, resourceVersion: String(h.emulator.store.resourceVersion) })
    await watch.next(() => watch.events.filter((e) => e.type === "BOOKMARK").length >= 2)
    expect(watch.summary()).toEqual([])
    watch.close()
  })

  it("only watches that asked with allowWatchBookmarks get them: kind, apiVersion and the current resourceVersion", async () => {
    await eventually(() => (h.emulator.openWatches() === 0 ? true : undefined)) // earlier watches are gone
    const withBookmarks = await WatchRecorder.open(h.kc, widgetPath("watch-b"), { allowWatchBookmarks: true })
    const without = await WatchRecorder.open(h.kc, widgetPath("watch-b"), {})
    expect(h.emulator.faults.bookmarkWatches()).toBe(1)
    const bookmark = await withBookmarks.next((e) => e.type === "BOOKMARK")
    expect(bookmark.object).toEqual({ kind: "Widget", apiVersion: `${widgets.group}/v1`, metadata: { resourceVersion: String(h.emulator.store.resourceVersion) } })
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: "watch-b", body: widget("after-bookmark") })
    await without.nextAbout("ADDED", "after-bookmark")
    expect(without.events.map((e) => e.type)).toEqual(["ADDED"])
    withBookmarks.close()
    without.close()
  })
})

describe("the stream itself", () => {
  it("flushes headers at once: a watch on an empty collection resolves Watch.watch() and stays open", async () => {
    await h.core.createNamespace({ body: { metadata: { name: "watch-empty" } } })
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-empty"))
    expect(watch.ended).toBe(false)
    expect(watch.events).toEqual([])
    const served = h.emulator.log.entries((e) => e.path === configMaps("watch-empty") && e.query["watch"] === "true")
    expect(served.map((e) => e.status)).toEqual([200])
    watch.close()
  })

  it("ends cleanly (done(null)) after timeoutSeconds", async () => {
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-a"), { timeoutSeconds: 1, resourceVersion: String(h.emulator.store.resourceVersion) })
    expect(await watch.untilEnded()).toBeNull()
  })

  it("sends one JSON document per line", async () => {
    const watch = await WatchRecorder.open(h.kc, configMaps("watch-a"), { labelSelector: "lines=yes" })
    await h.core.createNamespacedConfigMap({ namespace: "watch-a", body: { metadata: { name: "multi", labels: { lines: "yes" } }, data: { text: "a\nb\nc" } } })
    const added = await watch.nextAbout("ADDED", "multi")
    expect(at(added.object, "data", "text")).toBe("a\nb\nc")
    expect(nameOf(added.object)).toBe("multi")
    watch.close()
  })
})
