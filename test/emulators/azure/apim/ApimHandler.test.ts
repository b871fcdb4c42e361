import { describe, expect, it } from "vitest"
import { makeApimEmulator } from "../../../../src/emulators/azure/apim/ApimHandler.ts"
import { emulatorRequest, resourceGroup, serviceName, subscriptionId } from "./Fixtures.ts"

const P = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${serviceName}`

const request = (method: string, path: string, body = "", headers: Record<string, string> = {}) =>
  emulatorRequest(method, path, { body, headers })

describe("makeApimHandler: answers outside the SDK's happy paths", () => {
  const { handler } = makeApimEmulator({ subscriptionId, resourceGroup, serviceName })

  it("answers ARM's 404s for another resource group or service, matching the base path case-insensitively", async () => {
    const otherGroup = await handler(request("GET", P.replace(resourceGroup, "elsewhere")))
    expect(otherGroup).toMatchObject({ status: 404, body: { error: { code: "ResourceGroupNotFound" } } })
    const otherService = await handler(request("GET", P.replace(serviceName, "other-apim")))
    expect(otherService).toMatchObject({ status: 404, body: { error: { code: "ResourceNotFound" } } })
    const shouting = await handler(request("GET", P.replace("resourceGroups", "RESOURCEGROUPS").replace("Microsoft.ApiManagement", "microsoft.apimanagement")))
    expect(shouting.status).toBe(200)
  })

  it("refuses a body that is not JSON, an unsupported method and an unknown route", async () => {
    const garbage = await handler(request("PUT", `${P}/apis/a`, "{not json", { "content-type": "application/json" }))
    expect(garbage).toMatchObject({ status: 400, body: { error: { code: "InvalidRequestContent" } } })
    expect((await handler(request("POST", `${P}/apis/a`))).status).toBe(405)
    expect((await handler(request("GET", `${P}/gateways`))).status).toBe(404)
  })

  it("answers HEAD errors without a body and missing policies with 404", async () => {
    expect(await handler(request("HEAD", `${P}/apis/none`))).toEqual({ status: 404 })
    await handler(request("PUT", `${P}/apis/a`, JSON.stringify({ properties: { displayName: "A", path: "a" } })))
    expect(await handler(request("GET", `${P}/apis/a/policies/policy`))).toMatchObject({ status: 404, body: { error: { code: "ResourceNotFound" } } })
  })
})
