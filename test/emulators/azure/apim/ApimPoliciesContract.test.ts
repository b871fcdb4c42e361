import type { PolicyContentFormat } from "@azure/arm-apimanagement"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fastPolling, restErrorOf, rg, startApimContract, startDocumentServer, svc, type ApimContract, type DocumentServer } from "./ApimClientFixture.ts"
import { basicPolicy } from "./Fixtures.ts"

const escapedPolicy = `<policies><inbound><base /><set-variable name="host" value="@(context.Request.Headers.GetValueOrDefault(&quot;Host&quot;,&quot;&quot;))" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`

describe("APIM emulator: API policies and fragments through the real ApiManagementClient", () => {
  let contract: ApimContract
  let documents: DocumentServer

  beforeAll(async () => {
    contract = await startApimContract()
    documents = await startDocumentServer({ "/policy.xml": escapedPolicy })
    await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "orders", { displayName: "Orders", path: "orders", protocols: ["https"] }, fastPolling)
  })
  afterAll(async () => {
    await documents.close()
    await contract.close()
  })

  const putPolicy = (format: PolicyContentFormat, value: string) =>
    contract.client.apiPolicy.createOrUpdate(rg, svc, "orders", "policy", { format, value })

  /** apiPolicy.get drops `value` (Azure/azure-sdk-for-js#31566): read the raw body as the operator must. */
  const readPolicy = async (format: "xml" | "rawxml"): Promise<{ readonly format: unknown; readonly value: unknown; readonly eTag: unknown }> => {
    let raw = ""
    const result = await contract.client.apiPolicy.get(rg, svc, "orders", "policy", {
      format,
      onResponse: (response) => {
        raw = response.bodyAsText ?? ""
      }
    })
    const properties: unknown = JSON.parse(raw).properties
    return {
      format: typeof properties === "object" && properties !== null ? Reflect.get(properties, "format") : undefined,
      value: typeof properties === "object" && properties !== null ? Reflect.get(properties, "value") : undefined,
      eTag: result.eTag
    }
  }

  it("accepts rawxml, returns it as stored for format=rawxml and re-indented for format=xml", async () => {
    const stored = await putPolicy("rawxml", basicPolicy)
    expect(stored.eTag).toMatch(/^"/)
    expect(await readPolicy("rawxml")).toEqual({ format: "rawxml", value: basicPolicy, eTag: stored.eTag })
    const asXml = await readPolicy("xml")
    expect(asXml.format).toBe("xml")
    expect(asXml.value).not.toBe(basicPolicy)
    expect(asXml.value).toContain('\t\t<set-variable name="host" value="@(context.Request.Headers.GetValueOrDefault(&quot;Host&quot;,&quot;&quot;))" />')
    const head = await contract.client.apiPolicy.getEntityTag(rg, svc, "orders", "policy")
    expect(head.eTag).toBe(stored.eTag)
  })

  it("accepts xml inline and by link, answering 200 on update", async () => {
    const inline = await putPolicy("xml", escapedPolicy)
    const linked = await putPolicy("xml-link", documents.url("/policy.xml"))
    expect(linked.eTag).not.toBe(inline.eTag)
    expect((await readPolicy("rawxml")).value).toBe(escapedPolicy)
  })

  it.each<[string, string, string]>([
    ["malformed XML", "<policies><inbound></policies>", "representation"],
    ["an unknown section", "<policies><sideband /></policies>", "sideband"],
    ["an unknown element", "<policies><inbound><rate-limt calls=\"1\" /></inbound></policies>", "rate-limt"],
    ["a missing fragment", "<policies><inbound><include-fragment fragment-id=\"ghost\" /></inbound></policies>", "include-fragment"],
    ["an unescaped expression in xml", basicPolicy, "representation"]
  ])("refuses %s with 400 ValidationError", async (_case, value, target) => {
    const refused = await restErrorOf(putPolicy("xml", value))
    expect([refused.statusCode, refused.code]).toEqual([400, "ValidationError"])
    expect(refused.details).toEqual([expect.objectContaining({ code: "ValidationError", target })])
  })

  it("accepts include-fragment once the fragment exists, and deletes the policy", async () => {
    const fragment = await contract.client.policyFragment.beginCreateOrUpdateAndWait(
      rg,
      svc,
      "ghost",
      { format: "xml", value: "<fragment><set-header name=\"X-Ghost\" exists-action=\"override\"><value>1</value></set-header></fragment>", description: "d" },
      fastPolling
    )
    expect(fragment.description).toBe("d")
    const stored = await putPolicy("rawxml", "<policies><inbound><include-fragment fragment-id=\"ghost\" /></inbound></policies>")
    expect(stored.format).toBeDefined()
    const inUse = await restErrorOf(contract.client.policyFragment.delete(rg, svc, "ghost", "*"))
    expect(inUse.statusCode).toBe(400)
    await contract.client.apiPolicy.delete(rg, svc, "orders", "policy", "*")
    const gone = await restErrorOf(contract.client.apiPolicy.getEntityTag(rg, svc, "orders", "policy"))
    expect(gone.statusCode).toBe(404)
    await contract.client.policyFragment.delete(rg, svc, "ghost", "*")
  })

  it("refuses an unparsable fragment with the service's plain message", async () => {
    const refused = await restErrorOf(
      contract.client.policyFragment.beginCreateOrUpdateAndWait(rg, svc, "bad", { format: "xml", value: '<fragment><set-variable name="a" value="@(x["y"])" /></fragment>' }, fastPolling)
    )
    expect([refused.statusCode, refused.code]).toEqual([400, "ValidationError"])
    expect(refused.message).toMatch(/^The policy fragment is not a valid XML: .* Line 1, position \d+\.$/)
  })
})
