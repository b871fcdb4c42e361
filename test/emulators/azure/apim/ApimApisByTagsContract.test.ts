import type { ApiListByTagsOptionalParams, TagResourceContract } from "@azure/arm-apimanagement"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../../src/emulators/azure/AzureEmulator.ts"
import { rawRequest } from "../HttpsClient.ts"
import { armClient, clientSecretCredential, fixedToken } from "../SdkClients.ts"
import { fastPolling, restErrorOf, rg, startApimContract, svc, type ApimContract } from "./ApimClientFixture.ts"

type Client = ApimContract["client"]

const collect = async (client: Client, resourceGroup: string, service: string, options: ApiListByTagsOptionalParams) => {
  const items: Array<TagResourceContract> = []
  for await (const item of client.api.listByTags(resourceGroup, service, options)) items.push(item)
  return items
}

/** (API id, tag id) as the operator would key them: the last segment of each resource id. */
const pairOf = (item: TagResourceContract): readonly [string | undefined, string | undefined] => [
  item.api?.id?.split("/").at(-1),
  item.tag?.id?.split("/").at(-1)
]

describe("APIM emulator: api.listByTags through the real ApiManagementClient", () => {
  let contract: ApimContract

  const putApi = (apiId: string, displayName: string, path: string) =>
    contract.client.api.beginCreateOrUpdateAndWait(
      rg,
      svc,
      apiId,
      { displayName, path, protocols: ["https"], serviceUrl: `http://${path}.ns.svc.cluster.local` },
      fastPolling
    )

  beforeAll(async () => {
    contract = await startApimContract()
    await contract.client.tag.createOrUpdate(rg, svc, "t-alpha", { displayName: "Alpha tag" })
    await contract.client.tag.createOrUpdate(rg, svc, "t-beta", { displayName: "Beta tag" })
    // Created out of name order, and zeta's tags assigned out of order, so the listing's order is its own.
    await putApi("zeta", "Zeta API", "zeta")
    await putApi("mid", "Mid API", "mid")
    await putApi("beta-api", "Beta API", "beta")
    await putApi("alpha-api", "Alpha API", "alpha")
    await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "beta-api;rev=2", { apiRevisionDescription: "two" }, fastPolling)
    await contract.client.tag.assignToApi(rg, svc, "zeta", "t-beta")
    await contract.client.tag.assignToApi(rg, svc, "zeta", "t-alpha")
    await contract.client.tag.assignToApi(rg, svc, "beta-api", "t-alpha")
    await contract.client.tag.assignToApi(rg, svc, "alpha-api", "t-beta")
  })
  afterAll(() => contract.close())

  it("lists every (API, tag) pair and the untagged API once, ordered by API then tag, across pages", async () => {
    contract.model.wire.pageSize = 2
    try {
      const items = await collect(contract.client, rg, svc, { includeNotTaggedApis: true })
      expect(items.map(pairOf)).toEqual([
        ["alpha-api", "t-beta"],
        ["beta-api", "t-alpha"],
        ["mid", undefined],
        ["zeta", "t-alpha"],
        ["zeta", "t-beta"]
      ])
      const pages = contract.front.log.entries().filter((entry) => entry.method === "GET" && entry.path.endsWith("/apisByTags"))
      expect(pages.map((entry) => entry.query.get("$skip"))).toEqual([null, "2", "4"])
      expect(pages.every((entry) => entry.query.get("includeNotTaggedApis") === "true")).toBe(true)
    } finally {
      contract.model.wire.pageSize = 100
    }
  })

  it("describes the tag by resource id and display name, and the API as APIM's TagResourceContract does", async () => {
    const serviceId = contract.model.serviceId
    const [first, , untagged] = await collect(contract.client, rg, svc, { includeNotTaggedApis: true })
    expect(first).toEqual({
      tag: { id: `${serviceId}/tags/t-beta`, name: "Beta tag" },
      api: {
        id: `${serviceId}/apis/alpha-api`,
        name: "Alpha API",
        path: "alpha",
        serviceUrl: "http://alpha.ns.svc.cluster.local",
        protocols: ["https"],
        apiRevision: "1",
        isCurrent: true,
        isOnline: true,
        apiType: "http",
        subscriptionRequired: true
      }
    })
    expect(untagged?.tag).toBeUndefined()
    expect(untagged?.api).toMatchObject({ id: `${serviceId}/apis/mid`, name: "Mid API", isCurrent: true })
  })

  it("leaves untagged APIs out without includeNotTaggedApis", async () => {
    const items = await collect(contract.client, rg, svc, {})
    expect(items.map(pairOf)).toEqual([
      ["alpha-api", "t-beta"],
      ["beta-api", "t-alpha"],
      ["zeta", "t-alpha"],
      ["zeta", "t-beta"]
    ])
  })

  it("filters on tag/… and API fields, and refuses a filter it cannot read", async () => {
    const byTag = await collect(contract.client, rg, svc, { filter: "tag/id eq 't-alpha'" })
    expect(byTag.map(pairOf)).toEqual([
      ["beta-api", "t-alpha"],
      ["zeta", "t-alpha"]
    ])
    const byApi = await collect(contract.client, rg, svc, { includeNotTaggedApis: true, filter: "contains(api/name,'mid') and isCurrent eq true" })
    expect(byApi.map(pairOf)).toEqual([["mid", undefined]])
    const refused = await restErrorOf(collect(contract.client, rg, svc, { filter: "tag/id gt 'a'" }))
    expect([refused.statusCode, refused.code]).toEqual([400, "ValidationError"])
  })
})

describe("APIM emulator: api.listByTags behind the ARM bearer check", () => {
  let azure: AzureEmulator

  beforeAll(async () => {
    azure = await startAzureEmulator({ seedKeyVault: false })
  })
  afterAll(() => azure.close())

  it("answers a valid token, and refuses a request without Authorization or with an invalid token", async () => {
    const listed = await collect(armClient(azure, clientSecretCredential(azure)), azure.resourceGroup, azure.serviceName, { includeNotTaggedApis: true })
    expect(listed).toEqual([])
    const url =
      `${azure.armEndpoint}/subscriptions/${azure.subscriptionId}/resourceGroups/${azure.resourceGroup}` +
      `/providers/Microsoft.ApiManagement/service/${azure.serviceName}/apisByTags?api-version=2024-05-01&includeNotTaggedApis=true`
    const anonymous = await rawRequest(url, { ca: azure.caPem })
    expect(anonymous.status).toBe(401)
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: "AuthenticationFailed" } })
    const invalid = await restErrorOf(collect(armClient(azure, fixedToken("not-a-jwt")), azure.resourceGroup, azure.serviceName, {}))
    expect([invalid.statusCode, invalid.code]).toEqual([401, "InvalidAuthenticationToken"])
  })
})
