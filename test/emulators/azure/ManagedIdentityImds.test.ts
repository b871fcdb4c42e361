import { ManagedIdentityCredential } from "@azure/identity"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { generateCertificates, type Certificates } from "../../../src/emulators/azure/Certificates.ts"
import { makeEntra, type Entra } from "../../../src/emulators/azure/Entra.ts"
import { startHttpsFront, type HttpsFront } from "../../../src/emulators/azure/HttpsFront.ts"
import { setEnv } from "./Env.ts"
import { rawRequest } from "./HttpsClient.ts"

// MSAL picks the managed-identity source once per process, so the IMDS source has this file to itself.
describe("managed identity, IMDS source (AZURE_POD_IDENTITY_AUTHORITY_HOST)", () => {
  let certificates: Certificates
  let entra: Entra
  let front: HttpsFront
  let restoreEnv = (): void => {}

  beforeAll(async () => {
    certificates = await generateCertificates()
    entra = await makeEntra()
    front = await startHttpsFront({ certificates, handler: entra.handler })
    restoreEnv = setEnv({
      IDENTITY_ENDPOINT: undefined,
      IDENTITY_HEADER: undefined,
      MSI_ENDPOINT: undefined,
      IMDS_ENDPOINT: undefined,
      AZURE_POD_IDENTITY_AUTHORITY_HOST: front.url
    })
  })
  afterAll(async () => {
    restoreEnv()
    await front.close()
  })

  it("issues a token on the trailing-slash IMDS path with Metadata: true", async () => {
    const credential = new ManagedIdentityCredential({ tlsOptions: { ca: certificates.caPem } })
    const token = await credential.getToken("https://vault.azure.net/.default")
    expect(await entra.verifyBearer(`Bearer ${token.token}`, ["https://vault.azure.net"])).toMatchObject({
      ok: true,
      claims: { appid: entra.managedIdentities.systemAssigned().clientId }
    })
    const request = front.log.entries().find((e) => e.path === "/metadata/identity/oauth2/token")
    expect(request?.rawPath).toBe("/metadata/identity/oauth2/token/")
    expect(request?.headers["metadata"]).toBe("true")
    expect(request?.status).toBe(200)
  })

  it("answers 400 without the Metadata header", async () => {
    const reply = await rawRequest(`${front.url}/metadata/identity/oauth2/token?resource=https://vault.azure.net`, {
      ca: certificates.caPem
    })
    expect(reply.status).toBe(400)
    expect(JSON.parse(reply.text)).toMatchObject({ error: "invalid_request" })
  })
})
