import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { APIM_API_ID_MAX_LENGTH, apimApiId, isValidApimApiId } from "../../src/domain/ApiNaming.ts"

/** Kubernetes names: namespaces are RFC 1123 labels, ExposedAPI names RFC 1123 subdomains. */
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
const subdomain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join(".").slice(0, 253))

describe("apimApiId", () => {
  it("reads as oda-<namespace>-<name>-<hash>", () => {
    expect(apimApiId("components", "r1-productcatalogmanagement")).toMatch(/^oda-components-r1-productcatalogmanagement-[0-9a-f]{8}$/)
  })

  it("is stable: a pinned value, so an operator upgrade cannot orphan published APIs", () => {
    expect(apimApiId("components", "r1-productcatalogmanagement-productcatalogmanagement")).toBe(
      apimApiId("components", "r1-productcatalogmanagement-productcatalogmanagement")
    )
    expect(apimApiId("a", "b")).toBe("oda-a-b-" + apimApiId("a", "b").slice(-8))
    expect(apimApiId("components", "api")).toBe("oda-components-api-134d88cf")
  })

  it("tells apart pairs that read the same", () => {
    expect(apimApiId("a-b", "c")).not.toBe(apimApiId("a", "b-c"))
    expect(apimApiId("a", "b.c")).not.toBe(apimApiId("a", "b-c"))
  })

  it("truncates long names to APIM's 80 characters and keeps the hash", () => {
    const id = apimApiId("n".repeat(63), "x".repeat(253))
    expect(id).toHaveLength(APIM_API_ID_MAX_LENGTH)
    expect(id).toMatch(/^oda-n+-x+-[0-9a-f]{8}$/)
    expect(apimApiId("n".repeat(63), `${"x".repeat(252)}y`)).not.toBe(id)
  })

  it("never leaves a dash before the hash doubled when truncation ends on a separator", () => {
    const namespace = "a".repeat(66)
    expect(apimApiId(namespace, "b")).toMatch(/^oda-a{66}-[0-9a-f]{8}$/)
  })

  it("is always valid for APIM, for Kubernetes names and for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.oneof(label, fc.string({ unit: "binary" })), fc.oneof(subdomain, fc.string({ unit: "binary" })), (namespace, name) => {
        const id = apimApiId(namespace, name)
        expect(isValidApimApiId(id)).toBe(true)
        expect(id).toMatch(/^oda-([a-z0-9]+(-[a-z0-9]+)*-)?[0-9a-f]{8}$/)
      }),
      { numRuns: 500 }
    )
  })

  it("is injective on generated (namespace, name) pairs", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(label, subdomain), { minLength: 2, maxLength: 200, selector: ([n, m]) => `${n}/${m}` }), (pairs) => {
        const ids = new Set(pairs.map(([namespace, name]) => apimApiId(namespace, name)))
        expect(ids.size).toBe(pairs.length)
      }),
      { numRuns: 100 }
    )
  })

  it("is injective where the readable part collides", () => {
    fc.assert(
      fc.property(label, label, label, (a, b, c) => {
        fc.pre(a !== c)
        expect(apimApiId(`${a}-${b}`, c)).not.toBe(apimApiId(a, `${b}-${c}`))
      })
    )
  })
})

describe("isValidApimApiId", () => {
  it.each(["oda-a-12345678", "x", "a".repeat(80)])("accepts %s", (id) => expect(isValidApimApiId(id)).toBe(true))
  it.each(["", "a".repeat(81), "a*b", "a#b", "a&b", "a+b", "a:b", "a<b", "a>b", "a?b", "api;rev=2"])("refuses %s", (id) =>
    expect(isValidApimApiId(id)).toBe(false))
})
