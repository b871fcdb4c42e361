import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { rawRequest } from "./HttpsClient.ts"
import { tokenFromFreshProcess } from "./ManagedIdentityHarness.ts"

// MSAL picks the managed-identity source once per process: every token here comes from a process of its own.
describe("managed identity, App Service source (IDENTITY_ENDPOINT + IDENTITY_HEADER)", () => {
  let azure: AzureEmulator
  let appService: Record<string, string> = {}

  beforeAll(async () => {
    azure = await startAzureEmulator({ seedKeyVault: false })
    appService = { IDENTITY_ENDPOINT: `${azure.authorityHost}/msi/token`, IDENTITY_HEADER: azure.entra.managedIdentities.identityHeader() }
  })
  afterAll(async () => {
    await azure.close()
  })

  it("issues tokens for the system-assigned and a user-assigned identity", async () => {
    const token = await tokenFromFreshProcess(appService, { scope: "https://vault.azure.net/.default", caPem: azure.caPem })
    expect(await azure.entra.verifyBearer(`Bearer ${token}`, ["https://vault.azure.net"])).toMatchObject({
      ok: true,
      claims: { appid: azure.entra.managedIdentities.systemAssigned().clientId, tid: azure.entra.tenantId() }
    })
    const request = azure.logs.entra.entries().find((e) => e.path === "/msi/token")
    expect(request?.query.get("api-version")).toBe("2019-08-01")
    expect(request?.query.get("resource")).toBe("https://vault.azure.net")
    expect(request?.headers["x-identity-header"]).toBe(azure.entra.managedIdentities.identityHeader())

    const userAssigned = azure.entra.managedIdentities.addUserAssigned()
    const userToken = await tokenFromFreshProcess(appService, {
      scope: "https://management.azure.com/.default",
      caPem: azure.caPem,
      clientId: userAssigned.clientId
    })
    expect(await azure.entra.verifyBearer(`Bearer ${userToken}`, ["https://management.azure.com"])).toMatchObject({
      ok: true,
      claims: { appid: userAssigned.clientId, oid: userAssigned.objectId }
    })
  })

  it("answers 400, never 404, without the identity header or for an unknown identity", async () => {
    const url = `${azure.authorityHost}/msi/token?api-version=2019-08-01&resource=https://vault.azure.net`
    expect((await rawRequest(url, { ca: azure.caPem })).status).toBe(400)
    const unknown = await rawRequest(`${url}&client_id=${crypto.randomUUID()}`, {
      headers: { "X-IDENTITY-HEADER": azure.entra.managedIdentities.identityHeader() },
      ca: azure.caPem
    })
    expect(unknown.status).toBe(400)
  })
})
