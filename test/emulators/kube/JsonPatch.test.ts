import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Json, JsonObject } from "../../../src/emulators/Json.ts"
import { applyJsonPatch } from "../../../src/emulators/kube/Patch.ts"
import { StatusError, type Status } from "../../../src/emulators/kube/Status.ts"
import { badRequestStatus, statusOf } from "./StatusOf.ts"

/** What a real apiserver answers when evanphx/json-patch refuses an operation (observed on v1.3x clusters). */
const notApplied: Status = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "the server rejected our request due to an error in our request",
  reason: "Invalid",
  details: {},
  code: 422
}

const foo: JsonObject = {
  apiVersion: "example.com/v1",
  kind: "Foo",
  metadata: { name: "a", resourceVersion: "7", annotations: { keep: "1" } },
  spec: { size: 1, tags: ["x", "y"] }
}

describe("applyJsonPatch: RFC 6902 operations", () => {
  it.each([
    ["add a member", [{ op: "add", path: "/spec/color", value: "red" }], { size: 1, tags: ["x", "y"], color: "red" }],
    ["add replaces an existing member", [{ op: "add", path: "/spec/size", value: 3 }], { size: 3, tags: ["x", "y"] }],
    ["add inserts into a list", [{ op: "add", path: "/spec/tags/1", value: "m" }], { size: 1, tags: ["x", "m", "y"] }],
    ["add appends with -", [{ op: "add", path: "/spec/tags/-", value: "z" }], { size: 1, tags: ["x", "y", "z"] }],
    ["add without a value adds null", [{ op: "add", path: "/spec/color" }], { size: 1, tags: ["x", "y"], color: null }],
    ["remove", [{ op: "remove", path: "/spec/tags/0" }], { size: 1, tags: ["y"] }],
    ["replace", [{ op: "replace", path: "/spec/size", value: { n: 2 } }], { size: { n: 2 }, tags: ["x", "y"] }],
    ["move", [{ op: "move", from: "/spec/size", path: "/spec/count" }], { tags: ["x", "y"], count: 1 }],
    ["copy", [{ op: "copy", from: "/spec/tags", path: "/spec/labels" }], { size: 1, tags: ["x", "y"], labels: ["x", "y"] }],
    ["test then replace", [{ op: "test", path: "/spec/size", value: 1 }, { op: "replace", path: "/spec/size", value: 5 }], { size: 5, tags: ["x", "y"] }],
    ["escaped pointer tokens", [{ op: "add", path: "/spec/a~1b~0c", value: 1 }], { size: 1, tags: ["x", "y"], "a/b~c": 1 }]
  ] as ReadonlyArray<readonly [string, Json, Json]>)("%s", (_name, patch, spec) => {
    const result = applyJsonPatch(foo, patch)
    expect(result).toEqual({ ...foo, spec })
  })

  it("guards on resourceVersion with test, the optimistic-lock idiom", () => {
    const guarded = (resourceVersion: string): Json => [
      { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
      { op: "replace", path: "/spec/size", value: 2 }
    ]
    expect(applyJsonPatch(foo, guarded("7"))).toMatchObject({ spec: { size: 2 } })
    expect(statusOf(() => applyJsonPatch(foo, guarded("6")))).toEqual(notApplied)
  })

  it("lets `test` with null pass for an absent key, as evanphx v4 does", () => {
    expect(applyJsonPatch(foo, [{ op: "test", path: "/metadata/annotations/missing", value: null }])).toEqual(foo)
    expect(applyJsonPatch(foo, [{ op: "test", path: "/metadata/annotations/missing" }])).toEqual(foo)
    expect(statusOf(() => applyJsonPatch(foo, [{ op: "test", path: "/metadata/annotations/keep", value: null }]))).toEqual(notApplied)
    expect(statusOf(() => applyJsonPatch(foo, [{ op: "test", path: "/nothing/here", value: null }]))).toEqual(notApplied)
  })

  it("treats a null document as an empty patch", () => {
    expect(applyJsonPatch(foo, null)).toEqual(foo)
    expect(applyJsonPatch(foo, [])).toEqual(foo)
  })
})

describe("applyJsonPatch: errors", () => {
  it.each([
    ["a failed test", [{ op: "test", path: "/spec/size", value: 2 }]],
    ["removing a missing member", [{ op: "remove", path: "/spec/affinity" }]],
    ["replacing a missing member", [{ op: "replace", path: "/spec/missing", value: 1 }]],
    ["adding under a missing parent", [{ op: "add", path: "/status/phase", value: "Ready" }]],
    ["an index past the end", [{ op: "add", path: "/spec/tags/5", value: "z" }]],
    ["moving from a missing member", [{ op: "move", from: "/spec/nope", path: "/spec/x" }]],
    ["an unknown op", [{ op: "merge", path: "/spec", value: {} }]],
    ["a missing op", [{ path: "/spec" }]],
    ["a missing path", [{ op: "add", value: 1 }]],
    ["a move without from", [{ op: "move", path: "/spec/x" }]],
    ["a null operation", [null]]
  ] as ReadonlyArray<readonly [string, Json]>)("%s is the generic 422", (_name, patch) => {
    expect(statusOf(() => applyJsonPatch(foo, patch))).toEqual(notApplied)
  })

  it.each([
    // client-node's default content type with a merge-style body
    ["an object body", { spec: { size: 2 } }, "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp"],
    ["a string body", "x", "error decoding patch: json: cannot unmarshal string into Go value of type []handlers.jsonPatchOp"],
    ["a number element", [1], "error decoding patch: json: cannot unmarshal number into Go value of type handlers.jsonPatchOp"],
    ["a list element", [[]], "error decoding patch: json: cannot unmarshal array into Go value of type handlers.jsonPatchOp"],
    ["a non-string op", [{ op: 1, path: "/a" }], "error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string"],
    ["a non-string path", [{ op: "add", path: ["a"], value: 1 }], "error decoding patch: json: cannot unmarshal array into Go struct field jsonPatchOp.path of type string"],
    ["a non-string from", [{ op: "copy", from: true, path: "/a" }], "error decoding patch: json: cannot unmarshal bool into Go struct field jsonPatchOp.from of type string"]
  ] as ReadonlyArray<readonly [string, Json, string]>)("%s is a 400", (_name, patch, message) => {
    expect(statusOf(() => applyJsonPatch(foo, patch))).toEqual(badRequestStatus(message))
  })

  it("caps a patch at 10000 operations with 413", () => {
    const patch = Array.from({ length: 10001 }, () => ({ op: "test", path: "/kind", value: "Foo" }))
    expect(statusOf(() => applyJsonPatch(foo, patch))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001",
      reason: "RequestEntityTooLarge",
      code: 413
    })
    expect(applyJsonPatch(foo, patch.slice(1))).toEqual(foo)
  })
})

describe("applyJsonPatch: properties", () => {
  const key = fc.constantFrom("a", "b", "c")
  const document = fc.dictionary(key, fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(key, fc.integer())))
  const pointer = fc.array(fc.oneof(key, fc.constantFrom("0", "1", "-")), { minLength: 1, maxLength: 3 }).map((tokens) => `/${tokens.join("/")}`)
  const operation = fc.oneof(
    fc.record({ op: fc.constant("add"), path: pointer, value: fc.oneof(fc.integer(), fc.dictionary(key, fc.integer())) }),
    fc.record({ op: fc.constant("remove"), path: pointer }),
    fc.record({ op: fc.constant("replace"), path: pointer, value: fc.integer() }),
    fc.record({ op: fc.constant("move"), from: pointer, path: pointer }),
    fc.record({ op: fc.constant("copy"), from: pointer, path: pointer }),
    fc.record({ op: fc.constant("test"), path: pointer, value: fc.integer() })
  )

  it("property: never mutates the target or the patch, and fails only with 422", () => {
    fc.assert(
      fc.property(document, fc.array(operation, { maxLength: 5 }), (target, patch) => {
        const before = JSON.stringify([target, patch])
        try {
          applyJsonPatch(target, patch)
        } catch (e) {
          expect(e instanceof StatusError && e.code).toBe(422)
        }
        expect(JSON.stringify([target, patch])).toBe(before)
      })
    )
  })

  it("property: the result never shares structure with the patch", () => {
    fc.assert(
      fc.property(document, fc.dictionary(key, fc.integer()), (target, value) => {
        const result = applyJsonPatch(target, [{ op: "add", path: "/a", value }, { op: "add", path: "/a/z", value: 1 }])
        expect(value).not.toHaveProperty("z")
        expect(result).toMatchObject({ a: { ...value, z: 1 } })
      })
    )
  })
})
