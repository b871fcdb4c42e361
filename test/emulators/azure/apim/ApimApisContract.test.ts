import type { ApiCreateOrUpdateParameter, ContentFormat } from "@azure/arm-apimanagement"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  fastPolling,
  restErrorOf,
  rg,
  startApimContract,
  startDocumentServer,
  svc,
  type ApimContract,
  type DocumentServer
} from "./ApimClientFixture.ts"
import { openApiOperationCount, swaggerOperationCount, tmf620OpenApi, tmf620Swagger } from "./Fixtures.ts"

/** The Swagger 2.0 document re-serialised compactly: `openapi+json` takes JSON of either specification. */
const tmf620Json = JSON.stringify(JSON.parse(tmf620Swagger))

describe("APIM emulator: APIs through the real ApiManagementClient", () => {
  let contract: ApimContract
  let documents: DocumentServer

  beforeAll(async () => {
    contract = await startApimContract()
    documents = await startDocumentServer({
      "/tmf620-v4.json": tmf620Swagger,
      "/tmf620-v5.yaml": tmf620OpenApi,
      "/broken.yaml": "openapi: 3.0.1\ninfo: {title: x\n"
    })
  })
  afterAll(async () => {
    await documents.close()
    await contract.close()
  })

  const put = (apiId: string, parameters: ApiCreateOrUpdateParameter, ifMatch?: string) =>
    contract.client.api.beginCreateOrUpdateAndWait(rg, svc, apiId, parameters, { ...fastPolling, ...(ifMatch === undefined ? {} : { ifMatch }) })

  const operationCount = async (apiId: string): Promise<number> => {
    let count = 0
    for await (const _operation of contract.client.apiOperation.listByApi(rg, svc, apiId)) count++
    return count
  }

  it("reads the service with its gateway and developer portal URLs", async () => {
    contract.model.setGatewayUrl("https://gw.example.net")
    const service = await contract.client.apiManagementService.get(rg, svc)
    expect(service.gatewayUrl).toBe("https://gw.example.net")
    expect(service.developerPortalUrl).toBe(`https://${svc}.developer.azure-api.net`)
    expect(service.provisioningState).toBe("Succeeded")
  })

  it("creates, reads, updates and deletes a pass-through API and reads back what it wrote", async () => {
    const parameters: ApiCreateOrUpdateParameter = {
      displayName: "Pet store",
      path: "petstore",
      protocols: ["https"],
      serviceUrl: "http://petstore.ns.svc.cluster.local:8080",
      subscriptionRequired: false,
      subscriptionKeyParameterNames: { header: "X-Key", query: "key" },
      apiVersion: "v1",
      description: "pets"
    }
    const created = await put("petstore", parameters)
    expect(created).toMatchObject({ ...parameters, name: "petstore", apiRevision: "1", isCurrent: true })
    const read = await contract.client.api.get(rg, svc, "petstore")
    expect(read).toMatchObject(parameters)
    expect(read.eTag).toMatch(/^"[A-Za-z0-9+/=]+"$/)
    const head = await contract.client.api.getEntityTag(rg, svc, "petstore")
    expect(head.eTag).toBe(read.eTag)
    const updated = await contract.client.api.update(rg, svc, "petstore", read.eTag ?? "*", { displayName: "Pets" })
    expect(updated.displayName).toBe("Pets")
    expect(updated.eTag).not.toBe(read.eTag)
    await contract.client.api.beginDeleteAndWait(rg, svc, "petstore", "*", fastPolling)
    const gone = await restErrorOf(contract.client.api.get(rg, svc, "petstore"))
    expect([gone.statusCode, gone.code, gone.message]).toEqual([404, "ResourceNotFound", "Api not found."])
    const headGone = await restErrorOf(contract.client.api.getEntityTag(rg, svc, "petstore"))
    expect([headGone.statusCode, headGone.code]).toEqual([404, undefined])
  })

  it("stores and returns every writable property the SDK sends", async () => {
    const versionSet = await contract.client.apiVersionSet.createOrUpdate(rg, svc, "everything", { displayName: "E", versioningScheme: "Segment" })
    await contract.client.openIdConnectProvider.createOrUpdate(rg, svc, "idp", {
      displayName: "IdP",
      metadataEndpoint: "https://idp.example/.well-known/openid-configuration",
      clientId: "c"
    })
    const parameters: ApiCreateOrUpdateParameter = {
      displayName: "Everything",
      description: "<b>all</b>",
      path: "everything/v1",
      protocols: ["https", "http"],
      serviceUrl: "http://everything.ns.svc.cluster.local:8080/api",
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { header: "Ocp-Apim-Subscription-Key", query: "subscription-key" },
      authenticationSettings: { openid: { openidProviderId: "idp", bearerTokenSendingMethods: ["authorizationHeader", "query"] } },
      apiType: "http",
      apiRevisionDescription: "first",
      apiVersion: "v1",
      apiVersionDescription: "version one",
      apiVersionSetId: versionSet.id ?? "",
      apiVersionSet: { id: versionSet.id ?? "", name: "E", versioningScheme: "Segment" },
      termsOfServiceUrl: "https://example.com/terms",
      contact: { name: "Canvas", url: "https://example.com", email: "canvas@example.com" },
      license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" },
      isCurrent: true
    }
    await put("everything", parameters)
    expect(await contract.client.api.get(rg, svc, "everything")).toMatchObject(parameters)
  })

  it.each<[ContentFormat, string, number]>([
    ["swagger-json", tmf620Swagger, swaggerOperationCount],
    ["openapi+json", tmf620Json, swaggerOperationCount],
    ["openapi", tmf620OpenApi, openApiOperationCount]
  ])("imports TMF620 inline as %s with one operation per path and method", async (format, value, expected) => {
    const apiId = `inline-${format.replace(/\W/g, "")}`
    const api = await put(apiId, { path: apiId, format, value })
    expect(api.displayName).toBe("Product Catalog Management")
    expect(api).not.toHaveProperty("format")
    expect(api).not.toHaveProperty("value")
    expect(await operationCount(apiId)).toBe(expected)
  })

  it.each<[ContentFormat, string, number]>([
    ["swagger-link-json", "/tmf620-v4.json", swaggerOperationCount],
    ["openapi+json-link", "/tmf620-v4.json", swaggerOperationCount],
    ["openapi-link", "/tmf620-v5.yaml", openApiOperationCount]
  ])("imports TMF620 by link as %s", async (format, path, expected) => {
    const apiId = `link-${format.replace(/\W/g, "")}`
    await put(apiId, { path: apiId, format, value: documents.url(path) })
    expect(await operationCount(apiId)).toBe(expected)
  })

  it("refuses invalid documents and failed downloads with 400 ValidationError and details", async () => {
    const broken = await restErrorOf(put("broken", { path: "broken", format: "openapi-link", value: documents.url("/broken.yaml") }))
    expect([broken.statusCode, broken.code, broken.message]).toEqual([400, "ValidationError", "One or more fields contain incorrect values:"])
    expect(broken.details).toEqual([
      expect.objectContaining({ code: "ValidationError", target: "representation", message: expect.stringMatching(/^Parsing error\(s\): /) })
    ])
    const missing = await restErrorOf(put("missing", { path: "missing", format: "openapi-link", value: documents.url("/nope.yaml") }))
    expect([missing.statusCode, missing.code]).toEqual([400, "ValidationError"])
    expect(missing.details).toEqual([expect.objectContaining({ target: "value", message: expect.stringContaining("404") })])
    const wrongKind = await restErrorOf(put("wrong", { path: "wrong", format: "swagger-json", value: '{"openapi":"3.0.1","info":{"title":"x"},"paths":{}}' }))
    expect(wrongKind.code).toBe("ValidationError")
  })

  it("answers 412 to a stale ETag on PUT and on update", async () => {
    const first = await put("etagged", { displayName: "E", path: "etagged", protocols: ["https"] })
    await put("etagged", { description: "changed" })
    const stalePut = await restErrorOf(put("etagged", { description: "again" }, first.eTag))
    expect([stalePut.statusCode, stalePut.code]).toEqual([412, "PreconditionFailed"])
    const staleUpdate = await restErrorOf(contract.client.api.update(rg, svc, "etagged", first.eTag ?? "", { description: "x" }))
    expect([staleUpdate.statusCode, staleUpdate.code]).toEqual([412, "PreconditionFailed"])
    const staleDelete = await restErrorOf(contract.client.api.beginDeleteAndWait(rg, svc, "etagged", first.eTag ?? "", fastPolling))
    expect(staleDelete.statusCode).toBe(412)
  })

  it("answers 204 to deleting a missing API, or 404 when the model is set to", async () => {
    await expect(contract.client.api.beginDeleteAndWait(rg, svc, "never-there", "*", fastPolling)).resolves.toBeDefined()
    contract.model.wire.missingDeleteStatus = 404
    try {
      const missing = await restErrorOf(contract.client.api.beginDeleteAndWait(rg, svc, "never-there", "*", fastPolling))
      expect([missing.statusCode, missing.code]).toEqual([404, "ResourceNotFound"])
    } finally {
      contract.model.wire.missingDeleteStatus = 204
    }
  })

  it("deletes all revisions with deleteRevisions=true", async () => {
    await put("revised", { displayName: "R", path: "revised", protocols: ["https"] })
    await put("revised;rev=2", { apiRevisionDescription: "two" })
    expect((await contract.client.api.get(rg, svc, "revised;rev=2")).apiRevision).toBe("2")
    await contract.client.api.beginDeleteAndWait(rg, svc, "revised", "*", { ...fastPolling, deleteRevisions: true })
    const gone = await restErrorOf(contract.client.api.get(rg, svc, "revised;rev=2"))
    expect(gone.statusCode).toBe(404)
  })

  it("keeps paths unique across APIs", async () => {
    await put("owner", { displayName: "Owner", path: "shared", protocols: ["https"] })
    const clash = await restErrorOf(put("intruder", { displayName: "Intruder", path: "shared", protocols: ["https"] }))
    expect([clash.statusCode, clash.code]).toEqual([400, "ValidationError"])
    expect(clash.details).toEqual([
      {
        code: "ValidationError",
        target: "path",
        message: "Cannot create API 'intruder' with the same Path 'shared' as API 'owner'  unless it's a part of the same version set"
      }
    ])
  })

  it("notices a portal edit: the ETag the operator holds goes stale", async () => {
    const api = await put("drifting", { displayName: "D", path: "drifting", protocols: ["https"] })
    contract.model.editApi("drifting", { path: "drifted" })
    const head = await contract.client.api.getEntityTag(rg, svc, "drifting")
    expect(head.eTag).not.toBe(api.eTag)
    expect((await contract.client.api.get(rg, svc, "drifting")).path).toBe("drifted")
  })
})
