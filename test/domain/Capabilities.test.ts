import { describe, expect, it } from "vitest"
import { type Capability, capabilitiesOf, type CapabilityContext } from "../../src/domain/Capabilities.ts"
import { COMPONENT_LABEL } from "../../src/domain/ExposedApi.ts"
import { exposedApi, intentOf } from "./Fixtures.ts"

const context: CapabilityContext = { gatewayOnlyTraffic: false, specRefreshInterval: "10m" }
const labels = { [COMPONENT_LABEL]: "r1-productcatalogmanagement" }

const capabilities = (changes: Record<string, unknown> = {}, ctx: CapabilityContext = context, meta: Record<string, unknown> = { labels }) => {
  const api = exposedApi(changes, meta)
  return capabilitiesOf(api.spec, intentOf(api), ctx)
}

const entry = (list: ReadonlyArray<Capability>, field: string): Capability | undefined => list.find((c) => c.field === field)

describe("capabilitiesOf: the ODA example", () => {
  const list = capabilities()

  it("has one entry per field, each with an outcome and a detail", () => {
    expect(new Set(list.map((c) => c.field)).size).toBe(list.length)
    for (const c of list) {
      expect(["honoured", "mapped", "ignored"]).toContain(c.outcome)
      expect(c.detail.length).toBeGreaterThan(10)
    }
  })

  it("lists the API fields first, in the CRD's order, then the gateway policies", () => {
    const fields = list.map((c) => c.field)
    expect(fields.slice(0, 10)).toEqual([
      "spec.name",
      "spec.specification",
      "spec.apiType",
      "spec.implementation",
      "spec.path",
      "spec.port",
      "spec.developerUI",
      "spec.segment",
      `metadata.labels["${COMPONENT_LABEL}"]`,
      "spec.apiSDO"
    ])
    expect(fields).toContain("spec.CORS.allowOrigins")
    expect(fields).toContain("spec.rateLimit")
    expect(fields).toContain("spec.quota")
    expect(fields).toContain("spec.apiKeyVerification")
    expect(fields).toContain("spec.OASValidation.allowUnspecifiedCookies")
    expect(fields).toContain("jwtValidation")
  })

  it.each([
    ["spec.name", "honoured", "display name"],
    ["spec.specification", "honoured", "imported inline"],
    ["spec.apiType", "honoured", "operations of its OpenAPI document"],
    ["spec.implementation", "honoured", "Service r1-prodcatapi"],
    ["spec.path", "honoured", "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4"],
    ["spec.port", "honoured", "8080"],
    ["spec.developerUI", "mapped", "gateway URL"],
    ["spec.segment", "mapped", "segment:coreFunction (coreFunction when absent)"],
    [`metadata.labels["${COMPONENT_LABEL}"]`, "mapped", "component:r1-productcatalogmanagement"],
    ["spec.apiSDO", "ignored", "kept as written"],
    ["spec.OASValidation.allowUnspecifiedCookies", "ignored", "no cookie section"],
    ["spec.rateLimit", "honoured", "rate-limit-by-key"]
  ])("%s is %s", (field, outcome, detail) => {
    expect(entry(list, field)).toMatchObject({ outcome, detail: expect.stringContaining(detail) })
  })

  it("tells how often the document is fetched again", () => {
    expect(entry(list, "spec.specification")?.detail).toContain("every 10m")
  })
})

describe("capabilitiesOf: field by field", () => {
  it("reports resources and required as kept, not interpreted", () => {
    const list = capabilities({ resources: [{ name: "productOffering" }], required: true })
    expect(entry(list, "spec.resources")).toMatchObject({ outcome: "ignored", detail: expect.stringContaining("kept as written") })
    expect(entry(list, "spec.required")).toMatchObject({ outcome: "ignored", detail: expect.stringContaining("kept as written") })
  })

  it("leaves out optional fields the spec does not set", () => {
    const list = capabilities({ developerUI: undefined, apiSDO: undefined, quota: undefined }, context, {})
    const fields = list.map((c) => c.field)
    for (const absent of ["spec.developerUI", "spec.apiSDO", "spec.quota", "spec.resources", "spec.required", `metadata.labels["${COMPONENT_LABEL}"]`]) {
      expect(fields).not.toContain(absent)
    }
  })

  it("names the segment as written when the spec sets it", () => {
    expect(entry(capabilities({ segment: "managementFunction" }), "spec.segment")?.detail).toBe("the API's APIM tag segment:managementFunction")
  })

  it("says when only the first of several specifications is published", () => {
    const list = capabilities({ specification: [{ url: "https://example.com/v4.json" }, { url: "https://example.com/v5.json" }] })
    expect(entry(list, "spec.specification")).toMatchObject({ outcome: "mapped", detail: expect.stringContaining("only the first of 2") })
  })

  it("reports an mcp API as a pass-through without import", () => {
    const list = capabilities({ apiType: "mcp", specification: undefined })
    expect(entry(list, "spec.apiType")).toMatchObject({ outcome: "mapped", detail: expect.stringContaining("pass-through") })
  })

  it("reports metrics APIs as not published, and their gateway policies as not applied", () => {
    for (const apiType of ["prometheus", "openmetrics"]) {
      const list = capabilities({ apiType })
      expect(entry(list, "spec.apiType")).toMatchObject({ outcome: "mapped", detail: expect.stringContaining("not published") })
      expect(entry(list, "spec.specification")?.outcome).toBe("ignored")
      expect(entry(list, "spec.rateLimit")).toMatchObject({ outcome: "ignored", detail: expect.stringContaining("no gateway policy applies") })
      expect(entry(list, "jwtValidation")?.outcome).toBe("ignored")
    }
  })

  it("reports a policy section that is disabled", () => {
    const list = capabilities({ rateLimit: { enabled: false, limit: "5" } })
    expect(entry(list, "spec.rateLimit")).toEqual({ field: "spec.rateLimit", outcome: "honoured", detail: "disabled in the spec: no policy" })
  })

  it("mentions the gateway-only NetworkPolicy when the operator restricts traffic", () => {
    const on = { ...context, gatewayOnlyTraffic: true }
    expect(entry(capabilities({}, on), "spec.implementation")?.detail).toContain(
      "NetworkPolicy r1-productcatalogmanagement-productcatalogmanagement-gateway-only"
    )
    expect(entry(capabilities({ apiType: "prometheus" }, on), "spec.implementation")?.detail).toContain("not restricted")
    expect(entry(capabilities(), "spec.implementation")?.detail).not.toContain("NetworkPolicy")
  })

  it("reports fields outside the contract as ignored, sorted", () => {
    const list = capabilities({ zeta: 1, alpha: "x" })
    expect(list.slice(-2)).toEqual([
      { field: "spec.alpha", outcome: "ignored", detail: "not part of the ExposedAPI contract: kept as written, not interpreted" },
      { field: "spec.zeta", outcome: "ignored", detail: "not part of the ExposedAPI contract: kept as written, not interpreted" }
    ])
  })

  it("is the same list for the same spec (a resync writes no status)", () => {
    expect(capabilities()).toEqual(capabilities())
  })
})
