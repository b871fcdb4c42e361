import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { describeValue, InvalidSpec, Problems } from "../../src/domain/SpecProblems.ts"
import { readCount, readCsv, readHttpUrl, readPath } from "../../src/domain/SpecReaders.ts"

const pathCharacter = fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%/?#\\ \t<>\"{}|^`é\u0000".split(""))
const pathLike = fc.oneof(
  fc.array(pathCharacter, { maxLength: 30 }).map((chars) => `/${chars.join("")}`),
  fc.string({ unit: "binary", maxLength: 40 })
)

describe("readPath", () => {
  it("accepts only paths that Ingress (pathType Prefix) and URLs take as they are", () => {
    fc.assert(
      fc.property(pathLike, fc.boolean(), (raw, dropTrailingSlash) => {
        const problems = new Problems()
        const path = readPath(problems, "spec.path", raw, { dropTrailingSlash })
        if (path === undefined) {
          expect(problems.list).toHaveLength(1)
          return
        }
        expect(problems.list).toHaveLength(0)
        expect(path.startsWith("/")).toBe(true)
        // the API server's rules for Prefix paths (networking/validation: invalidPathSequences, invalidPathSuffixes)
        for (const sequence of ["//", "/./", "/../", "%2f", "%2F"]) expect(path).not.toContain(sequence)
        expect(path.endsWith("/..") || path.endsWith("/.")).toBe(false)
        expect(new URL(`http://host${path}`).pathname).toBe(path)
        if (dropTrailingSlash && path !== "/") expect(path.endsWith("/")).toBe(false)
      }),
      { numRuns: 2000 }
    )
  })

  it("normalises one trailing slash and keeps the root", () => {
    const read = (raw: string) => readPath(new Problems(), "f", raw, { dropTrailingSlash: true })
    expect(read("/a/")).toBe("/a")
    expect(read("/")).toBe("/")
    expect(read("/a//")).toBeUndefined()
  })
})

describe("readHttpUrl", () => {
  it("returns URLs that parse back to themselves with an http(s) scheme and no credentials", () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), (raw) => {
        const url = readHttpUrl(new Problems(), "u", raw)
        if (url === undefined) return
        const parsed = new URL(url)
        expect(parsed.href).toBe(url)
        expect(["http:", "https:"]).toContain(parsed.protocol)
        expect(parsed.username + parsed.password).toBe("")
      })
    )
  })
})

describe("readCount", () => {
  it("reads exactly the positive integers, as strings or numbers", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_147_483_647 }), (n) => {
        expect(readCount(new Problems(), "f", String(n))).toBe(n)
        expect(readCount(new Problems(), "f", n)).toBe(n)
      })
    )
    for (const bad of ["", " ", "+1", "0x10", "1_000", "١٢", "Infinity", Number.POSITIVE_INFINITY, Number.NaN, null, {}]) {
      expect(readCount(new Problems(), "f", bad)).toBeUndefined()
    }
  })
})

describe("readCsv", () => {
  it("splits, trims, drops empty and repeated items", () => {
    expect(readCsv(new Problems(), "f", " a, b ,,a ,c", "x")).toEqual(["a", "b", "c"])
    expect(readCsv(new Problems(), "f", undefined, "x, y")).toEqual(["x", "y"])
  })
})

describe("describeValue and InvalidSpec", () => {
  it.each([
    ["eighty", '"eighty"'],
    ["a\nb", '"a\\nb"'],
    ["\u2028\u202e\u0085", '"\\u2028\\u202e\\u0085"'],
    [42, "42"],
    [false, "false"],
    [null, "null"],
    [undefined, "undefined"],
    [[], "an empty list"],
    [[1, 2], "a list of 2"],
    [{ a: 1 }, "an object"],
    ["x".repeat(100), `"${"x".repeat(60)}"… (100 characters)`]
  ])("describes %j as %s", (value, text) => {
    expect(describeValue(value)).toBe(text)
  })

  it("says one problem plainly", () => {
    const error = new InvalidSpec({ problems: [{ field: "spec.port", message: "must be an integer between 1 and 65535, got 0" }] })
    expect(error.message).toBe("invalid spec: spec.port must be an integer between 1 and 65535, got 0")
    expect(error._tag).toBe("InvalidSpec")
  })

  it("collects nothing into no error", () => {
    expect(new Problems().toError()).toBeUndefined()
  })
})
