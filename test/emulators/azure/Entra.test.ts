import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ClientSecretCredential, DefaultAzureCredential, WorkloadIdentityCredential } from "@azure/identity"
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { generateCertificates, type Certificates } from "../../../src/emulators/azure/Certificates.ts"
import { makeEntra, type AppRegistration, type Entra } from "../../../src/emulators/azure/Entra.ts"
import { startHttpsFront, type HttpsFront } from "../../../src/emulators/azure/HttpsFront.ts"
import { setEnv } from "./Env.ts"
import { rawRequest } from "./HttpsClient.ts"

const kubeIssuer = "https://oidc.kube.example/cluster-1"
const serviceAccount = "system:serviceaccount:oda:oda-apim-operator"

describe("Entra emulator with the real @azure/identity credentials", () => {
  let certificates: Certificates
  let entra: Entra
  let front: HttpsFront
  let app: AppRegistration
  let workDir: string

  beforeAll(async () => {
    certificates = await generateCertificates()
    entra = await makeEntra()
    front = await startHttpsFront({ certificates, handler: entra.handler })
    app = entra.registerClient()
    workDir = await mkdtemp(join(tmpdir(), "entra-test-"))
  })
  afterAll(async () => {
    await front.close()
    await rm(workDir, { recursive: true, force: true })
  })

  const credentialOptions = () => ({
    authorityHost: front.url,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: certificates.caPem },
    retryOptions: { maxRetries: 0 }
  })

  const fetchJwks = async (): Promise<JSONWebKeySet> => {
    const discovery = await rawRequest(`${front.url}/${entra.tenantId()}/v2.0/.well-known/openid-configuration`, {
      ca: certificates.caPem
    })
    const jwksUri: unknown = JSON.parse(discovery.text).jwks_uri
    if (typeof jwksUri !== "string") throw new Error("no jwks_uri")
    return JSON.parse((await rawRequest(jwksUri, { ca: certificates.caPem })).text)
  }

  it("ClientSecretCredential gets a token that verifies against the published JWKS", async () => {
    const credential = new ClientSecretCredential(entra.tenantId(), app.clientId, app.clientSecret ?? "", credentialOptions())
    const token = await credential.getToken("https://management.azure.com/.default")
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3_000_000)

    const { payload, protectedHeader } = await jwtVerify(token.token, createLocalJWKSet(await fetchJwks()), {
      issuer: `https://sts.windows.net/${entra.tenantId()}/`,
      audience: "https://management.azure.com"
    })
    expect(protectedHeader.alg).toBe("RS256")
    expect(payload).toMatchObject({ tid: entra.tenantId(), appid: app.clientId, oid: app.objectId, ver: "1.0" })

    const paths = front.log.entries().map((e) => `${e.method} ${e.path}`)
    expect(paths).toContain(`GET /${entra.tenantId()}/v2.0/.well-known/openid-configuration`)
    expect(paths).toContain(`POST /${entra.tenantId()}/oauth2/v2.0/token`)
  })

  it("the verifier accepts the token for its audience only", async () => {
    const credential = new ClientSecretCredential(entra.tenantId(), app.clientId, app.clientSecret ?? "", credentialOptions())
    const token = await credential.getToken("https://vault.azure.net/.default")
    expect(await entra.verifyBearer(`Bearer ${token.token}`, ["https://vault.azure.net/"])).toMatchObject({ ok: true })
    expect(await entra.verifyBearer(`Bearer ${token.token}`, ["https://management.azure.com"])).toMatchObject({ ok: false })
    expect(await entra.verifyBearer(undefined, ["https://vault.azure.net"])).toMatchObject({ ok: false, failure: "missing" })
    expect((await entra.verifyBearer("Bearer not.a.jwt", ["https://vault.azure.net"])).ok).toBe(false)
  })

  it("a wrong secret fails with invalid_client AADSTS7000215", async () => {
    const credential = new ClientSecretCredential(entra.tenantId(), app.clientId, "wrong", credentialOptions())
    await expect(credential.getToken("https://management.azure.com/.default")).rejects.toThrow(/AADSTS7000215/)
    const reply = JSON.parse(
      (
        await rawRequest(`${front.url}/${entra.tenantId()}/oauth2/v2.0/token`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "client_credentials", client_id: app.clientId, client_secret: "wrong", scope: "https://vault.azure.net/.default" }).toString(),
          ca: certificates.caPem
        })
      ).text
    )
    expect(reply).toMatchObject({ error: "invalid_client", error_codes: [7000215] })
  })

  it("an unknown tenant or client is refused", async () => {
    const otherTenant = new ClientSecretCredential(crypto.randomUUID(), app.clientId, app.clientSecret ?? "", credentialOptions())
    await expect(otherTenant.getToken("https://vault.azure.net/.default")).rejects.toThrow()
    const unknownClient = new ClientSecretCredential(entra.tenantId(), crypto.randomUUID(), "x", credentialOptions())
    await expect(unknownClient.getToken("https://vault.azure.net/.default")).rejects.toThrow(/AADSTS700016/)
  })

  it("WorkloadIdentityCredential exchanges a federated token matching a federated credential", async () => {
    const issuerKeys = await generateKeyPair("ES256")
    const jwks = { keys: [{ ...(await exportJWK(issuerKeys.publicKey)), kid: "k1", alg: "ES256" }] }
    const workload = entra.registerClient({ clientSecret: "unused" })
    entra.addFederatedCredential(workload.clientId, { issuer: kubeIssuer, subject: serviceAccount, jwks })
    const mint = (subject: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(kubeIssuer)
        .setSubject(subject)
        .setAudience("api://AzureADTokenExchange")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(issuerKeys.privateKey)

    const tokenFilePath = join(workDir, "token")
    await writeFile(tokenFilePath, await mint(serviceAccount))
    const credential = new WorkloadIdentityCredential({ tenantId: entra.tenantId(), clientId: workload.clientId, tokenFilePath, ...credentialOptions() })
    const token = await credential.getToken("https://vault.azure.net/.default")
    const verified = await entra.verifyBearer(`Bearer ${token.token}`, ["https://vault.azure.net"])
    expect(verified).toMatchObject({ ok: true, claims: { appid: workload.clientId, appidacr: "2" } })

    const wrongSubjectPath = join(workDir, "wrong-subject")
    await writeFile(wrongSubjectPath, await mint("system:serviceaccount:oda:someone-else"))
    const wrongSubject = new WorkloadIdentityCredential({ tenantId: entra.tenantId(), clientId: workload.clientId, tokenFilePath: wrongSubjectPath, ...credentialOptions() })
    await expect(wrongSubject.getToken("https://vault.azure.net/.default")).rejects.toThrow(/AADSTS700213/)
  })

  it("DefaultAzureCredential picks up the environment", async () => {
    const restoreEnv = setEnv({
      AZURE_TENANT_ID: entra.tenantId(),
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      AZURE_AUTHORITY_HOST: front.url
    })
    try {
      const credential = new DefaultAzureCredential({ disableInstanceDiscovery: true, tlsOptions: { ca: certificates.caPem } })
      const token = await credential.getToken("https://vault.azure.net/.default")
      expect(await entra.verifyBearer(`Bearer ${token.token}`, ["https://vault.azure.net"])).toMatchObject({
        ok: true,
        claims: { appid: app.clientId }
      })
    } finally {
      restoreEnv()
    }
  })

  it("a rotated secret stops working at once; issueToken serves in-process callers", async () => {
    const rotating = entra.registerClient({ clientSecret: "old" })
    entra.setClientSecret(rotating.clientId, "new")
    const old = new ClientSecretCredential(entra.tenantId(), rotating.clientId, "old", credentialOptions())
    await expect(old.getToken("https://vault.azure.net/.default")).rejects.toThrow(/AADSTS7000215/)
    const issued = await entra.issueToken(rotating.clientId, "https://management.azure.com/.default")
    expect(await entra.verifyBearer(`Bearer ${issued.accessToken}`, ["https://management.azure.com/"])).toMatchObject({ ok: true })
  })
})
