import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fastPolling, restErrorOf, rg, startApimContract, svc, type ApimContract } from "./ApimClientFixture.ts"

describe("APIM emulator: entities beside APIs through the real ApiManagementClient", () => {
  let contract: ApimContract

  beforeAll(async () => {
    contract = await startApimContract()
    await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "catalog", { displayName: "Catalog", path: "catalog", protocols: ["https"] }, fastPolling)
  })
  afterAll(() => contract.close())

  it("creates an OpenID Connect provider, hides its secret, and lets an API use it", async () => {
    const created = await contract.client.openIdConnectProvider.createOrUpdate(rg, svc, "canvas-idp", {
      displayName: "Canvas IdP",
      metadataEndpoint: "https://idp.example/.well-known/openid-configuration",
      clientId: "client",
      clientSecret: "s3cret"
    })
    expect(created).toMatchObject({ displayName: "Canvas IdP", clientId: "client" })
    expect(created.clientSecret).toBeUndefined()
    expect((await contract.client.openIdConnectProvider.listSecrets(rg, svc, "canvas-idp")).clientSecret).toBe("s3cret")
    const authenticationSettings = { openid: { openidProviderId: "canvas-idp", bearerTokenSendingMethods: ["authorizationHeader"] } }
    const api = await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "secured", { displayName: "S", path: "secured", protocols: ["https"], authenticationSettings }, fastPolling)
    expect(api.authenticationSettings).toEqual(authenticationSettings)
    const unknown = await restErrorOf(
      contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "secured2", { displayName: "S", path: "secured2", protocols: ["https"], authenticationSettings: { openid: { openidProviderId: "nobody" } } }, fastPolling)
    )
    expect([unknown.statusCode, unknown.code]).toEqual([400, "ValidationError"])
  })

  it("links an API to a product, answers 204 to HEAD, and unlinks it", async () => {
    const product = await contract.client.product.createOrUpdate(rg, svc, "starter", { displayName: "Starter", subscriptionRequired: false, state: "published" })
    expect(product).toMatchObject({ displayName: "Starter", subscriptionRequired: false, state: "published" })
    const linked = await contract.client.productApi.createOrUpdate(rg, svc, "starter", "catalog")
    expect(linked.path).toBe("catalog")
    expect((await contract.client.productApi.checkEntityExists(rg, svc, "starter", "catalog")).body).toBe(true)
    const listed = []
    for await (const api of contract.client.productApi.listByProduct(rg, svc, "starter")) listed.push(api.name)
    expect(listed).toEqual(["catalog"])
    await contract.client.productApi.delete(rg, svc, "starter", "catalog")
    const unlinked = await restErrorOf(contract.client.productApi.checkEntityExists(rg, svc, "starter", "catalog"))
    expect(unlinked.statusCode).toBe(404)
  })

  it("assigns a tag to an API and detaches it", async () => {
    await contract.client.tag.createOrUpdate(rg, svc, "oda-component-productcatalog", { displayName: "productcatalog" })
    const assigned = await contract.client.tag.assignToApi(rg, svc, "catalog", "oda-component-productcatalog")
    expect(assigned.displayName).toBe("productcatalog")
    expect((await contract.client.tag.getByApi(rg, svc, "catalog", "oda-component-productcatalog")).name).toBe("oda-component-productcatalog")
    expect((await contract.client.tag.getEntityStateByApi(rg, svc, "catalog", "oda-component-productcatalog")).eTag).toMatch(/^"/)
    await contract.client.tag.detachFromApi(rg, svc, "catalog", "oda-component-productcatalog")
    const detached = await restErrorOf(contract.client.tag.getByApi(rg, svc, "catalog", "oda-component-productcatalog"))
    expect(detached.statusCode).toBe(404)
    const missingTag = await restErrorOf(contract.client.tag.assignToApi(rg, svc, "catalog", "no-such-tag"))
    expect([missingTag.statusCode, missingTag.message]).toEqual([404, "Tag not found."])
  })

  it("creates backends and version sets and uses a version set for two versions on one path", async () => {
    const backend = await contract.client.backend.createOrUpdate(rg, svc, "catalog-svc", {
      url: "http://catalog.ns.svc.cluster.local:8080",
      protocol: "http",
      tls: { validateCertificateChain: true, validateCertificateName: true }
    })
    expect(backend).toMatchObject({ url: "http://catalog.ns.svc.cluster.local:8080", protocol: "http" })
    const versionSet = await contract.client.apiVersionSet.createOrUpdate(rg, svc, "catalog-versions", { displayName: "Catalog", versioningScheme: "Segment" })
    expect(versionSet.versioningScheme).toBe("Segment")
    const apiVersionSetId = versionSet.id ?? ""
    for (const version of ["v4", "v5"])
      await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, `catalog-${version}`, { displayName: "Catalog", path: "tmf620", protocols: ["https"], apiVersion: version, apiVersionSetId }, fastPolling)
    expect((await contract.client.api.get(rg, svc, "catalog-v5")).apiVersionSetId).toBe(apiVersionSetId)
    const badQuery = await restErrorOf(contract.client.apiVersionSet.createOrUpdate(rg, svc, "bad", { displayName: "Bad", versioningScheme: "Query" }))
    expect([badQuery.statusCode, badQuery.code]).toEqual([400, "ValidationError"])
  })

  it("creates a subscription with generated keys revealed only by listSecrets", async () => {
    await contract.client.product.createOrUpdate(rg, svc, "gold", { displayName: "Gold" })
    const created = await contract.client.subscription.createOrUpdate(rg, svc, "gold-sub", { displayName: "Gold sub", scope: "/products/gold" })
    expect(created.scope).toBe(`${contract.model.serviceId}/products/gold`)
    expect(created.primaryKey).toBeUndefined()
    const secrets = await contract.client.subscription.listSecrets(rg, svc, "gold-sub")
    expect(secrets.primaryKey).toMatch(/^[0-9a-f]{32}$/)
    expect(secrets.secondaryKey).not.toBe(secrets.primaryKey)
    await contract.client.subscription.regeneratePrimaryKey(rg, svc, "gold-sub")
    expect((await contract.client.subscription.listSecrets(rg, svc, "gold-sub")).primaryKey).not.toBe(secrets.primaryKey)
    const withSubscriptions = await restErrorOf(contract.client.product.delete(rg, svc, "gold", "*"))
    expect(withSubscriptions.statusCode).toBe(400)
    await contract.client.product.delete(rg, svc, "gold", "*", { deleteSubscriptions: true })
    expect((await restErrorOf(contract.client.subscription.get(rg, svc, "gold-sub"))).statusCode).toBe(404)
  })

  it("lists with $filter and pages with nextLink", async () => {
    contract.model.wire.pageSize = 2
    try {
      for (const n of [1, 2, 3]) await contract.client.tag.createOrUpdate(rg, svc, `page-${n}`, { displayName: `page ${n}` })
      const names = []
      for await (const tag of contract.client.tag.listByService(rg, svc, { filter: "startswith(name,'page-')" })) names.push(tag.name)
      expect(names).toEqual(["page-1", "page-2", "page-3"])
      const requests = contract.front.log.entries().filter((entry) => entry.path.endsWith("/tags") && entry.method === "GET")
      expect(requests.at(-1)?.query.get("$skip")).toBe("2")
    } finally {
      contract.model.wire.pageSize = 100
    }
  })
})
