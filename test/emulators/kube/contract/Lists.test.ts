import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, type Harness } from "../Harness.ts"
import { startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 2 item 16: list order, paging, and the shape of list items. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
  for (const namespace of ["list-b", "list-a"]) await h.core.createNamespace({ body: { metadata: { name: namespace } } })
  // created out of order on purpose
  for (const [namespace, name] of [["list-b", "y"], ["list-a", "z"], ["list-b", "x"], ["list-a", "a"], ["list-a", "m"]] as const) {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace, body: widget(name) })
    await h.core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data: { n: name } } })
  }
})
afterAll(async () => h.emulator.close())

const keys = (items: ReadonlyArray<{ readonly metadata?: { readonly namespace?: string; readonly name?: string } }>) =>
  items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)

describe("order", () => {
  it("is etcd key order: namespace, then name — not creation order", async () => {
    const expected = ["list-a/a", "list-a/m", "list-a/z", "list-b/x", "list-b/y"]
    const crs = await h.custom.listClusterCustomObject(widgets)
    expect(keys(crs.items)).toEqual(expected)
    const cms = await h.core.listConfigMapForAllNamespaces({ labelSelector: "!kubernetes.io/absent" })
    expect(keys(cms.items).filter((k) => k.startsWith("list-"))).toEqual(expected)
  })
})

describe("paging", () => {
  it("limit + continue walks every item once, every page carries the first page's resourceVersion", async () => {
    const first = await h.custom.listClusterCustomObject({ ...widgets, limit: 2 })
    expect(keys(first.items)).toEqual(["list-a/a", "list-a/m"])
    expect(first.metadata.continue).toEqual(expect.any(String))
    expect(first.metadata.remainingItemCount).toBe(3)
    const listRv = first.metadata.resourceVersion
    // a write between pages does not change the pages' resourceVersion
    await h.core.createNamespacedConfigMap({ namespace: "list-a", body: { metadata: { name: "between-pages" } } })
    const second = await h.custom.listClusterCustomObject({ ...widgets, limit: 2, _continue: first.metadata.continue })
    expect(keys(second.items)).toEqual(["list-a/z", "list-b/x"])
    expect(second.metadata.resourceVersion).toBe(listRv)
    const third = await h.custom.listClusterCustomObject({ ...widgets, limit: 2, _continue: second.metadata.continue })
    expect(keys(third.items)).toEqual(["list-b/y"])
    expect(third.metadata.continue).toBeUndefined()
    expect(third.metadata.resourceVersion).toBe(listRv)
  })

  it("works for typed built-in lists", async () => {
    const page = await h.core.listNamespacedConfigMap({ namespace: "list-a", limit: 1 })
    expect(page.items).toHaveLength(1)
    const rest = await h.core.listNamespacedConfigMap({ namespace: "list-a", limit: 10, _continue: page.metadata?._continue ?? "" })
    expect(keys([...page.items, ...rest.items])).toEqual(["list-a/a", "list-a/between-pages", "list-a/m", "list-a/z"])
  })

  it("a malformed continue token is 400", async () => {
    const failure = await failureOf(h.custom.listClusterCustomObject({ ...widgets, _continue: "not-a-token" }))
    expect(failure.code).toBe(400)
  })
})

describe("shape", () => {
  it("built-in list items carry no apiVersion/kind; the list does", async () => {
    const list = await h.core.listNamespacedConfigMap({ namespace: "list-b" })
    expect(list.apiVersion).toBe("v1")
    expect(list.kind).toBe("ConfigMapList")
    expect(list.items.map((i) => [i.apiVersion, i.kind])).toEqual([[undefined, undefined], [undefined, undefined]])
    expect(list.metadata?.resourceVersion).toBe(String(h.emulator.store.resourceVersion))
  })

  it("custom resource list items carry apiVersion and kind", async () => {
    const list = await h.custom.listNamespacedCustomObject({ ...widgets, namespace: "list-b" })
    expect(list.kind).toBe("WidgetList")
    expect(list.apiVersion).toBe(`${widgets.group}/v1`)
    expect(list.items.map((i: { apiVersion: string; kind: string }) => [i.apiVersion, i.kind])).toEqual([
      [`${widgets.group}/v1`, "Widget"],
      [`${widgets.group}/v1`, "Widget"]
    ])
  })
})
