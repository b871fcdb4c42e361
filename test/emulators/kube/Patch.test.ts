import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Json } from "../../../src/emulators/Json.ts"
import { decodeObjectPatch, mergePatch, patchTypeOf } from "../../../src/emulators/kube/Patch.ts"
import { badRequestStatus, statusOf } from "./StatusOf.ts"

describe("patchTypeOf", () => {
  it.each([
    ["application/json-patch+json", "json"],
    ["application/merge-patch+json", "merge"],
    ["application/strategic-merge-patch+json", "strategic"],
    ["application/apply-patch+yaml", "apply"],
    ["application/merge-patch+json; charset=utf-8", "merge"],
    ["application/json-patch+json;charset=UTF-8", "json"],
    ["application/json", undefined],
    ["application/apply-patch+cbor", undefined],
    // like PatchResource: no trimming, no case folding
    ["application/merge-patch+json ; charset=utf-8", undefined],
    ["Application/Merge-Patch+JSON", undefined],
    [undefined, undefined]
  ] as const)("%j is %j", (contentType, expected) => {
    expect(patchTypeOf(contentType)).toBe(expected)
  })
})

describe("mergePatch (RFC 7386)", () => {
  // RFC 7386 appendix A, every example
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }]
  ] as ReadonlyArray<readonly [Json, Json, Json]>)("%j + %j = %j", (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected)
  })

  it("drops nulls inside objects in lists it inserts, as evanphx/json-patch does", () => {
    expect(mergePatch({}, { a: [{ x: null, y: 1 }, null] })).toEqual({ a: [{ y: 1 }, null] })
    // an object target replaced by a list keeps the list untouched
    expect(mergePatch({ a: { k: 1 } }, { a: [{ x: null }] })).toEqual({ a: [{ x: null }] })
  })

  it("replaces lists atomically and leaves sibling fields alone", () => {
    const target = { metadata: { labels: { a: "1", b: "2" }, finalizers: ["x", "y"] }, spec: { n: 1 } }
    expect(mergePatch(target, { metadata: { labels: { b: null, c: "3" }, finalizers: ["z"] } })).toEqual({
      metadata: { labels: { a: "1", c: "3" }, finalizers: ["z"] },
      spec: { n: 1 }
    })
  })

  it("keeps a __proto__ key as data", () => {
    const patch: Json = JSON.parse("{\"__proto__\": {\"polluted\": true}}")
    const merged = mergePatch({}, patch)
    expect(Object.keys(merged ?? {})).toEqual(["__proto__"])
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
  })

  const json: fc.Arbitrary<Json> = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as Json)
  // null members dropped from every object (null list elements may stay)
  const objectWithoutNulls = fc
    .dictionary(fc.string(), fc.jsonValue())
    .map((v) => JSON.parse(JSON.stringify(v, (_k, value: unknown) => (value === null ? undefined : value))) as Json)

  it("property: merging a null-free object into itself changes nothing", () => {
    fc.assert(
      fc.property(objectWithoutNulls, (x) => {
        expect(mergePatch(x, x)).toEqual(x)
      })
    )
  })

  it("property: never mutates its arguments and is idempotent", () => {
    fc.assert(
      fc.property(json, json, (target, patch) => {
        const before = JSON.stringify([target, patch])
        const once = mergePatch(target, patch)
        expect(JSON.stringify([target, patch])).toBe(before)
        expect(mergePatch(once, patch)).toEqual(once)
      })
    )
  })
})

describe("decodeObjectPatch", () => {
  it("accepts objects", () => {
    expect(decodeObjectPatch("merge", { a: 1 })).toEqual({ a: 1 })
    expect(decodeObjectPatch("strategic", { a: 1 })).toEqual({ a: 1 })
  })

  it("treats a null strategic patch as empty and a null merge patch as invalid", () => {
    expect(decodeObjectPatch("strategic", null)).toEqual({})
    expect(statusOf(() => decodeObjectPatch("merge", null))).toMatchObject({ code: 400, reason: "BadRequest", message: "Invalid JSON Patch" })
  })

  it.each([
    ["merge", [{ op: "add" }], "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ["merge", "x", "error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}"],
    ["strategic", [], "json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ["strategic", 3, "json: cannot unmarshal number into Go value of type map[string]interface {}"],
    ["strategic", true, "json: cannot unmarshal bool into Go value of type map[string]interface {}"]
  ] as const)("a %s patch %j is a 400 %j", (patchType, body, message) => {
    expect(statusOf(() => decodeObjectPatch(patchType, body))).toEqual(badRequestStatus(message))
  })
})
