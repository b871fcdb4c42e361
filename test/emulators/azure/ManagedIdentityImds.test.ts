import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { rawRequest } from "./HttpsClient.ts"
import { tokenFromFreshProcess } from "./ManagedIdentityHarness.ts"

// MSAL picks the managed-identity source once per process: the token here comes from a process of its own.
describe("managed identity, IMDS source (AZURE_POD_IDENTITY_AUTHORITY_HOST)", () => {
  let azure: AzureEmulator

  beforeAll(async () => {
    azure = await startAzureEmulator({ seedKeyVault: false })
  })
  afterAll(async () => {
    await azure.close()
  })

  it("issues a token on the trailing-slash IMDS path with Metadata: true", async () => {
    const token = await tokenFromFreshProcess(
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.authorityHost },
      { scope: "https://vault.azure.net/.default", caPem: azure.caPem }
    )
    expect(await azure.entra.verifyBearer(`Bearer ${token}`, ["https://vault.azure.net"])).toMatchObject({
      ok: true,
      claims: { appid: azure.entra.managedIdentities.systemAssigned().clientId }
    })
    const request = azure.logs.entra.entries().find((e) => e.path === "/metadata/identity/oauth2/token")
    expect(request?.rawPath).toBe("/metadata/identity/oauth2/token/")
    expect(request?.headers["metadata"]).toBe("true")
    expect(request?.status).toBe(200)
  })

  it("answers 400 without the Metadata header", async () => {
    const reply = await rawRequest(`${azure.authorityHost}/metadata/identity/oauth2/token?resource=https://vault.azure.net`, {
      ca: azure.caPem
    })
    expect(reply.status).toBe(400)
    expect(JSON.parse(reply.text)).toMatchObject({ error: "invalid_request" })
  })
})
