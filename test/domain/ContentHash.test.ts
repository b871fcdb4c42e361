import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { canonicalJson, contentHash } from "../../src/domain/ContentHash.ts"

/** The same JSON value with every object's keys in another order. */
const reordered = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((item: unknown) => reordered(item, seed))
  if (typeof value !== "object" || value === null) return value
  const entries = Object.entries(value)
  const rotated = entries.map((_, index) => entries[(index + seed) % entries.length]).reverse()
  return Object.fromEntries(rotated.flatMap((entry) => (entry === undefined ? [] : [[entry[0], reordered(entry[1], seed + 1)]])))
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and follows JSON.stringify otherwise", () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: "x" }, undefined, () => 1], u: undefined, n: Number.NaN })).toBe(
      '{"a":[{"c":"x","d":null},null,null],"b":1,"n":null}'
    )
    expect(canonicalJson(undefined)).toBe("null")
    expect(canonicalJson(new Date("2025-01-02T03:04:05Z"))).toBe('"2025-01-02T03:04:05.000Z"')
    expect(canonicalJson({ "10": 1, "2": 2, b: 3 })).toBe('{"10":1,"2":2,"b":3}')
  })

  it("parses back to the same JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
      })
    )
  })
})

describe("contentHash", () => {
  it("is 16 hex digits, pinned", () => {
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/)
    expect(contentHash({ a: 1 })).toBe("015abd7f5cc57a2d") // sha256('{"a":1}')
  })

  it("does not depend on key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(10), (value, seed) => {
        expect(contentHash(reordered(value, seed))).toBe(contentHash(value))
      })
    )
  })

  it("differs for different values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b))
        expect(contentHash(a)).not.toBe(contentHash(b))
      })
    )
  })

  it("tells apart values that differ in type or by one element", () => {
    expect(contentHash("1")).not.toBe(contentHash(1))
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]))
    expect(contentHash({ a: null })).not.toBe(contentHash({}))
    expect(contentHash({ a: undefined })).toBe(contentHash({}))
  })
})
