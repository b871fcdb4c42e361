import { describe, expect, it } from "vitest"
import { renderPolicy } from "../../../../src/emulators/azure/apim/PolicyValidation.ts"
import {
  basicPolicy,
  expectOk,
  makeModel,
  openApiOperationCount,
  plainApi,
  swaggerOperationCount,
  tmf620OpenApi,
  tmf620Swagger
} from "./Fixtures.ts"

describe("ApimModel: APIs through the in-process door", () => {
  it("creates, updates and reads back exactly the properties written, with a new ETag on every write", async () => {
    const model = makeModel()
    const auth = { openid: { openidProviderId: "canvas", bearerTokenSendingMethods: ["authorizationHeader"] } }
    expectOk(
      model.entities.put("openidConnectProviders", "canvas", {
        properties: { displayName: "Canvas", metadataEndpoint: "https://idp.example/.well-known/openid-configuration", clientId: "c" }
      })
    )
    const created = expectOk(await model.putApi("petstore", plainApi("pets", { authenticationSettings: auth, apiVersion: "v1" })))
    expect(created.created).toBe(true)
    expect(created.value.properties).toMatchObject({ path: "pets", authenticationSettings: auth, apiVersion: "v1", apiRevision: "1" })
    const updated = expectOk(await model.putApi("PETSTORE", plainApi("pets", { displayName: "Pets" })))
    expect(updated.created).toBe(false)
    expect(updated.value.name).toBe("petstore")
    expect(updated.value.etag).not.toBe(created.value.etag)
    expect(model.getApi("petstore")?.properties["displayName"]).toBe("Pets")
  })

  it("refuses a stale If-Match with 412 and requires If-Match on update and delete", async () => {
    const model = makeModel()
    const first = expectOk(await model.putApi("a", plainApi("a"))).value
    expectOk(await model.putApi("a", plainApi("a", { description: "second" })))
    const stale = await model.putApi("a", plainApi("a"), { ifMatch: first.etag })
    expect(stale.ok ? undefined : stale.failure).toMatchObject({ status: 412, code: "PreconditionFailed" })
    const update = model.updateApi("a", { properties: { description: "x" } }, {})
    expect(update.ok ? undefined : update.failure.status).toBe(400)
    const deleteWithout = model.deleteApi("a", {})
    expect(deleteWithout.ok ? undefined : deleteWithout.failure.status).toBe(400)
    expect(expectOk(model.deleteApi("a", { ifMatch: "*" }))).toEqual({ existed: true })
    expect(expectOk(model.deleteApi("a", { ifMatch: "*" }))).toEqual({ existed: false })
  })

  it("keeps paths unique across APIs, except between revisions of one API and versions in one version set", async () => {
    const model = makeModel()
    expectOk(await model.putApi("first", plainApi("shared/path")))
    const clash = await model.putApi("second", plainApi("/Shared/Path/"))
    expect(clash.ok ? undefined : clash.failure).toEqual({
      status: 400,
      code: "ValidationError",
      message: "One or more fields contain incorrect values:",
      details: [
        {
          code: "ValidationError",
          target: "path",
          message: "Cannot create API 'second' with the same Path '/Shared/Path/' as API 'first'  unless it's a part of the same version set"
        }
      ]
    })
    expectOk(await model.putApi("first;rev=2", plainApi("shared/path")))
    expectOk(model.entities.put("apiVersionSets", "vs", { properties: { displayName: "vs", versioningScheme: "Segment" } }))
    expectOk(await model.putApi("v1", plainApi("versioned", { apiVersionSetId: `${model.serviceId}/apiVersionSets/vs`, apiVersion: "v1" })))
    expectOk(await model.putApi("v2", plainApi("versioned", { apiVersionSetId: `${model.serviceId}/apiVersionSets/vs`, apiVersion: "v2" })))
  })

  it("deletes every revision and the API's links with deleteRevisions", async () => {
    const model = makeModel()
    expectOk(await model.putApi("orders", plainApi("orders")))
    expectOk(await model.putApi("orders;rev=2", { properties: { apiRevisionDescription: "next" } }))
    expect(model.getApi("orders;rev=2")?.properties).toMatchObject({ path: "orders", apiRevision: "2", isCurrent: false })
    expect(model.getApi("orders;rev=1")?.name).toBe("orders")
    expectOk(model.entities.put("products", "starter", { properties: { displayName: "Starter" } }))
    expectOk(model.entities.put("tags", "oda", { properties: { displayName: "oda" } }))
    expectOk(model.entities.linkProductApi("starter", "orders"))
    expectOk(model.entities.assignTag("orders", "oda"))
    expectOk(await model.putApiPolicy("orders", { properties: { format: "rawxml", value: basicPolicy } }))
    expectOk(model.deleteApi("orders", { ifMatch: "*", deleteRevisions: true }))
    expect(model.counts()).toMatchObject({ apiRevisions: 0, policies: 0, productApis: 0, apiTags: 0, products: 1, tags: 1 })
  })

  it("imports the TM Forum TMF620 documents with one operation per path and method", async () => {
    const model = makeModel()
    const swagger = expectOk(await model.putApi("tmf620v4", { properties: { path: "tmf620/v4", format: "swagger-json", value: tmf620Swagger } }))
    expect(swagger.value.operations).toHaveLength(swaggerOperationCount)
    expect(swagger.value.properties).toMatchObject({
      displayName: "Product Catalog Management",
      serviceUrl: "https://serverRoot/tmf-api/productCatalogManagement/v4"
    })
    expect(swagger.value.properties["format"]).toBeUndefined()
    expect(swagger.value.properties["value"]).toBeUndefined()
    const openapi = expectOk(await model.putApi("tmf620v5", { properties: { path: "tmf620/v5", format: "openapi", value: tmf620OpenApi } }))
    expect(openapi.value.operations).toHaveLength(openApiOperationCount)
    expect(openapi.value.operations.find((op) => op.name === "retrievecategory")).toMatchObject({
      method: "GET",
      urlTemplate: "/category/{id}",
      displayName: "Retrieves a Category by ID"
    })
    expect(model.counts()["operations"]).toBe(swaggerOperationCount + openApiOperationCount)
  })

  it("refuses an invalid document with APIM's parsing error and keeps the stored API as it was", async () => {
    const model = makeModel()
    const broken = await model.putApi("x", { properties: { path: "x", format: "openapi", value: "openapi: 3.0.1\ninfo: [\n" } })
    expect(broken.ok ? undefined : broken.failure.details?.[0]).toMatchObject({
      code: "ValidationError",
      target: "representation",
      message: expect.stringMatching(/^Parsing error\(s\): \(Lin: \d+, Col: \d+, Chr: \d+\)/)
    })
    const notSwagger = await model.putApi("x", { properties: { path: "x", format: "swagger-json", value: '{"openapi":"3.0.1"}' } })
    expect(notSwagger.ok ? undefined : notSwagger.failure.details?.[0]?.message).toMatch(/^Parsing error\(s\): The input OpenAPI file is not valid/)
    expect(model.getApi("x")).toBeUndefined()
  })

  it("gives up on a link that does not answer in time", async () => {
    const never = (_url: string, signal: AbortSignal) =>
      new Promise<never>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
    const model = makeModel({ fetcher: never, linkTimeoutMs: 20 })
    const stalled = await model.putApi("x", { properties: { path: "x", format: "openapi-link", value: "http://127.0.0.1:9/doc.yaml" } })
    expect(stalled.ok ? undefined : stalled.failure.details?.[0]).toMatchObject({ target: "value", message: expect.stringContaining("no answer within 20 ms") })
  })

  it("lets a portal edit change an API behind the operator's back, with a new ETag", async () => {
    const model = makeModel()
    const before = expectOk(await model.putApi("a", plainApi("a"))).value
    const after = expectOk(model.editApi("a", { path: "moved" }))
    expect(after.properties["path"]).toBe("moved")
    expect(after.etag).not.toBe(before.etag)
  })
})

describe("ApimModel: policies", () => {
  it("stores a policy and renders it by meaning for format=xml", async () => {
    const model = makeModel()
    expectOk(await model.putApi("a", plainApi("a")))
    const stored = expectOk(await model.putApiPolicy("a", { properties: { format: "rawxml", value: basicPolicy } })).value
    expect(stored.value).toBe(basicPolicy)
    const rendered = renderPolicy(stored.value, stored.format, "xml")
    expect(rendered).toContain('\t<inbound>\r\n\t\t<base />')
    expect(rendered).toContain("@(context.Request.Headers.GetValueOrDefault(&quot;Host&quot;,&quot;&quot;))")
  })

  it("refuses unknown sections and elements, misplaced policies and missing fragments, naming line and column", async () => {
    const model = makeModel()
    expectOk(await model.putApi("a", plainApi("a")))
    const value = "<policies>\n  <inbound>\n    <rate-limt calls=\"1\" />\n    <include-fragment fragment-id=\"auth\" />\n  </inbound>\n  <backend><cors /></backend>\n  <sideband />\n</policies>"
    const refused = await model.putApiPolicy("a", { properties: { format: "xml", value } })
    expect(refused.ok ? undefined : refused.failure.details?.map((d) => [d.target, d.message])).toEqual([
      ["rate-limt", "Error in element 'rate-limt' on line 3, column 6: Unrecognized policy element 'rate-limt'."],
      ["include-fragment", "Error in element 'include-fragment' on line 4, column 6: Policy fragment with id 'auth' could not be found."],
      ["cors", "Error in element 'cors' on line 6, column 13: Policy section is not allowed in the specified scope"],
      ["sideband", "Error in element 'sideband' on line 7, column 4: Policy section is not allowed in the specified scope"]
    ])
    expectOk(model.entities.put("policyFragments", "auth", { properties: { value: "<fragment><base /></fragment>", format: "xml" } }))
    const withFragment = await model.putApiPolicy("a", { properties: { format: "xml", value: "<policies><inbound><include-fragment fragment-id=\"auth\" /></inbound></policies>" } })
    expect(withFragment.ok).toBe(true)
    const inUse = model.entities.delete("policyFragments", "auth", { ifMatch: "*" })
    expect(inUse.ok ? undefined : inUse.failure.status).toBe(400)
  })

  it("refuses malformed XML with .NET's line and position, and unescaped expressions in xml format", async () => {
    const model = makeModel()
    expectOk(await model.putApi("a", plainApi("a")))
    const malformed = await model.putApiPolicy("a", { properties: { format: "rawxml", value: "<policies>\n<inbound>\n</policies>" } })
    expect(malformed.ok ? undefined : malformed.failure.details?.[0]).toMatchObject({
      target: "representation",
      message: expect.stringMatching(/Line 3, position \d+\.$/)
    })
    const unescaped = await model.putApiPolicy("a", { properties: { format: "xml", value: basicPolicy } })
    expect(unescaped.ok).toBe(false)
  })
})

describe("ApimModel: other entities", () => {
  it("hides secrets on read and reveals them through the secret actions", async () => {
    const model = makeModel()
    expectOk(await model.putApi("a", plainApi("a")))
    expectOk(model.entities.put("products", "p", { properties: { displayName: "P" } }))
    expect(model.entities.get("products", "p")?.properties).toMatchObject({ subscriptionRequired: true, state: "notPublished" })
    const subscription = expectOk(model.entities.put("subscriptions", "s", { properties: { displayName: "S", scope: "/products/p" } })).value
    expect(subscription.properties["scope"]).toBe(`${model.serviceId}/products/p`)
    const keys = expectOk(model.entities.secrets("subscriptions", "s"))
    expect(keys["primaryKey"]).toMatch(/^[0-9a-f]{32}$/)
    expectOk(model.entities.put("namedValues", "nv", { properties: { displayName: "nv", value: "hush", secret: true } }))
    expect(expectOk(model.entities.secrets("namedValues", "nv"))).toEqual({ value: "hush" })
    const refused = model.entities.delete("products", "p", { ifMatch: "*" })
    expect(refused.ok).toBe(false)
    expectOk(model.entities.delete("products", "p", { ifMatch: "*", deleteSubscriptions: true }))
    expect(model.counts()).toMatchObject({ products: 0, subscriptions: 0 })
  })

  it("checks required fields and resets to empty", () => {
    const model = makeModel()
    const missing = model.entities.put("backends", "b", { properties: { url: "not a url", protocol: "http" } })
    expect(missing.ok ? undefined : missing.failure.details?.[0]?.target).toBe("url")
    expectOk(model.entities.put("tags", "t", { properties: { displayName: "t" } }))
    model.reset()
    expect(model.counts()["tags"]).toBe(0)
  })
})
