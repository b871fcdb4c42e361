import { ManagedIdentityCredential } from "@azure/identity"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { setEnv } from "./Env.ts"
import { rawRequest } from "./HttpsClient.ts"

// MSAL picks the managed-identity source once per process, so the IMDS source has this file to itself.
describe("managed identity, IMDS source (AZURE_POD_IDENTITY_AUTHORITY_HOST)", () => {
  let azure: AzureEmulator
  let restoreEnv = (): void => {}

  beforeAll(async () => {
    azure = await startAzureEmulator({ seedKeyVault: false })
    restoreEnv = setEnv({
      IDENTITY_ENDPOINT: undefined,
      IDENTITY_HEADER: undefined,
      MSI_ENDPOINT: undefined,
      IMDS_ENDPOINT: undefined,
      AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.authorityHost
    })
  })
  afterAll(async () => {
    restoreEnv()
    await azure.close()
  })

  it("issues a token on the trailing-slash IMDS path with Metadata: true", async () => {
    const credential = new ManagedIdentityCredential({ tlsOptions: { ca: azure.caPem } })
    const token = await credential.getToken("https://vault.azure.net/.default")
    expect(await azure.entra.verifyBearer(`Bearer ${token.token}`, ["https://vault.azure.net"])).toMatchObject({
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
