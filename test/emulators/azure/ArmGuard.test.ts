import { it as effectIt } from "@effect/vitest"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeAzureEmulator, startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { rawRequest } from "./HttpsClient.ts"
import { armClient, clientSecretCredential, fixedToken, type TokenCredential } from "./SdkClients.ts"
import { makeTrivialArm } from "./TrivialArm.ts"

describe("ARM listener: bearer enforcement", () => {
  let azure: AzureEmulator

  beforeAll(async () => {
    azure = await startAzureEmulator({ arm: (facts) => makeTrivialArm(facts).handler })
  })
  afterAll(() => azure.close())

  const serviceUrl = () =>
    `${azure.armEndpoint}/subscriptions/${azure.subscriptionId}/resourceGroups/${azure.resourceGroup}/providers/Microsoft.ApiManagement/service/${azure.serviceName}?api-version=2024-05-01`
  const clientWith = (credential: TokenCredential, credentialScopes?: Array<string>) =>
    armClient(azure, credential, credentialScopes === undefined ? {} : { credentialScopes })
  const secretCredential = () => clientSecretCredential(azure)

  it("accepts a ClientSecretCredential token for the emulator's own scope and for management.azure.com", async () => {
    const ownScope = await clientWith(secretCredential()).apiManagementService.get(azure.resourceGroup, azure.serviceName)
    expect(ownScope.gatewayUrl).toBe("https://gateway.example")
    const publicScope = await clientWith(secretCredential(), ["https://management.azure.com/.default"]).apiManagementService.get(
      azure.resourceGroup,
      azure.serviceName
    )
    expect(publicScope.gatewayUrl).toBe("https://gateway.example")
    expect(azure.logs.arm.entries().at(-1)?.responseHeaders["x-ms-ratelimit-remaining-subscription-reads"]).toBeDefined()
  })

  it("answers a request without Authorization with 401 AuthenticationFailed", async () => {
    const reply = await rawRequest(serviceUrl(), { ca: azure.caPem })
    expect(reply.status).toBe(401)
    expect(reply.headers["www-authenticate"]).toContain('error="invalid_token"')
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "AuthenticationFailed" } })
  })

  it("answers an invalid token with 401 InvalidAuthenticationToken", async () => {
    await expect(clientWith(fixedToken("not-a-jwt")).apiManagementService.get(azure.resourceGroup, azure.serviceName)).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationToken"
    })
  })

  it("answers a token for another audience with 401 InvalidAuthenticationTokenAudience", async () => {
    const vaultToken = await azure.entra.issueToken(azure.clientId, "https://vault.azure.net/.default")
    await expect(clientWith(fixedToken(vaultToken.accessToken)).apiManagementService.get(azure.resourceGroup, azure.serviceName)).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationTokenAudience"
    })
  })

  it("refuses a token signed by another Entra instance", async () => {
    const other = await startAzureEmulator({ tenantId: azure.tenantId, seedKeyVault: false })
    try {
      const foreign = await other.entra.issueToken(other.clientId, "https://management.azure.com/.default")
      await expect(clientWith(fixedToken(foreign.accessToken)).apiManagementService.get(azure.resourceGroup, azure.serviceName)).rejects.toMatchObject({
        statusCode: 401
      })
    } finally {
      await other.close()
    }
  })
})

describe("makeAzureEmulator (scoped)", () => {
  effectIt.scoped("serves while the scope is open and closes its listeners with it", () =>
    Effect.gen(function*() {
      const emulator = yield* makeAzureEmulator({ seedKeyVault: false, serviceName: "apim-x", resourceGroup: "rg-x" })
      expect(emulator.connection).toMatchObject({ serviceName: "apim-x", resourceGroup: "rg-x" })
      expect(emulator.subscriptionId).toMatch(/^[0-9a-f-]{36}$/)
      expect(Object.keys(emulator.connection).sort()).toEqual(
        ["armEndpoint", "authorityHost", "caPem", "clientId", "clientSecret", "keyVaultUrl", "resourceGroup", "serviceName", "subscriptionId", "tenantId"]
      )
      expect(emulator.keyVault.secrets.list()).toEqual([])
      const reply = yield* Effect.promise(() => rawRequest(`${emulator.authorityHost}/${emulator.tenantId}/discovery/v2.0/keys`, { ca: emulator.caPem }))
      expect(reply.status).toBe(200)
    }))
})
