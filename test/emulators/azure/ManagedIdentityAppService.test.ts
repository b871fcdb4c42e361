import { ManagedIdentityCredential } from "@azure/identity"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { generateCertificates, type Certificates } from "../../../src/emulators/azure/Certificates.ts"
import { makeEntra, type Entra } from "../../../src/emulators/azure/Entra.ts"
import { startHttpsFront, type HttpsFront } from "../../../src/emulators/azure/HttpsFront.ts"
import { setEnv } from "./Env.ts"
import { rawRequest } from "./HttpsClient.ts"

// MSAL picks the managed-identity source once per process, so the App Service source has this file to itself.
describe("managed identity, App Service source (IDENTITY_ENDPOINT + IDENTITY_HEADER)", () => {
  let certificates: Certificates
  let entra: Entra
  let front: HttpsFront
  let restoreEnv = (): void => {}

  beforeAll(async () => {
    certificates = await generateCertificates()
    entra = await makeEntra()
    front = await startHttpsFront({ certificates, handler: entra.handler })
    restoreEnv = setEnv({
      IDENTITY_ENDPOINT: `${front.url}/msi/token`,
      IDENTITY_HEADER: entra.managedIdentities.identityHeader(),
      IDENTITY_SERVER_THUMBPRINT: undefined
    })
  })
  afterAll(async () => {
    restoreEnv()
    await front.close()
  })

  it("issues tokens for the system-assigned and a user-assigned identity", async () => {
    const system = new ManagedIdentityCredential({ tlsOptions: { ca: certificates.caPem } })
    const token = await system.getToken("https://vault.azure.net/.default")
    expect(await entra.verifyBearer(`Bearer ${token.token}`, ["https://vault.azure.net"])).toMatchObject({
      ok: true,
      claims: { appid: entra.managedIdentities.systemAssigned().clientId, tid: entra.tenantId() }
    })
    const request = front.log.entries().find((e) => e.path === "/msi/token")
    expect(request?.query.get("api-version")).toBe("2019-08-01")
    expect(request?.query.get("resource")).toBe("https://vault.azure.net")
    expect(request?.headers["x-identity-header"]).toBe(entra.managedIdentities.identityHeader())

    const userAssigned = entra.managedIdentities.addUserAssigned()
    const user = new ManagedIdentityCredential({ clientId: userAssigned.clientId, tlsOptions: { ca: certificates.caPem } })
    const userToken = await user.getToken("https://management.azure.com/.default")
    expect(await entra.verifyBearer(`Bearer ${userToken.token}`, ["https://management.azure.com"])).toMatchObject({
      ok: true,
      claims: { appid: userAssigned.clientId, oid: userAssigned.objectId }
    })
  })

  it("answers 400, never 404, without the identity header or for an unknown identity", async () => {
    const url = `${front.url}/msi/token?api-version=2019-08-01&resource=https://vault.azure.net`
    expect((await rawRequest(url, { ca: certificates.caPem })).status).toBe(400)
    const unknown = await rawRequest(`${url}&client_id=${crypto.randomUUID()}`, {
      headers: { "X-IDENTITY-HEADER": entra.managedIdentities.identityHeader() },
      ca: certificates.caPem
    })
    expect(unknown.status).toBe(400)
  })
})
