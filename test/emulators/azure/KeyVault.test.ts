import type { SecretClient } from "@azure/keyvault-secrets"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { rawRequest } from "./HttpsClient.ts"
import { secretClient } from "./SdkClients.ts"

describe("Key Vault emulator with the real SecretClient", () => {
  let azure: AzureEmulator
  let client: SecretClient

  beforeAll(async () => {
    azure = await startAzureEmulator()
    client = secretClient(azure)
  })
  afterAll(() => azure.close())
  beforeEach(() => azure.logs.keyVault.clear())

  it("answers the first request with a challenge, then accepts the Entra token", async () => {
    const fresh = secretClient(azure)
    const secret = await fresh.getSecret("apim-service-name")
    expect(secret.value).toBe(azure.serviceName)
    const [challenged, retried] = azure.logs.keyVault.entries()
    expect(challenged?.headers["authorization"]).toBeUndefined()
    expect(challenged?.status).toBe(401)
    expect(retried?.headers["authorization"]).toMatch(/^Bearer /)
    expect(retried?.status).toBe(200)
    expect(retried?.rawPath).toBe("/secrets/apim-service-name/")

    const challenge = await rawRequest(`${azure.keyVaultUrl}/secrets/x/?api-version=7.6`, { ca: azure.caPem })
    expect(challenge.headers["www-authenticate"]).toBe(
      `Bearer authorization="${azure.authorityHost}/${azure.tenantId}", resource="https://vault.azure.net"`
    )
  })

  it("seeds the operator's configuration secrets", async () => {
    const values = await Promise.all(
      ["apim-service-name", "resource-group", "subscription-id", "aad-tenant-id", "aad-client-id"].map(async (name) => (await client.getSecret(name)).value)
    )
    expect(values).toEqual([azure.serviceName, azure.resourceGroup, azure.subscriptionId, azure.tenantId, azure.clientId])
  })

  it("sets, gets latest and a given version, lists versions", async () => {
    const first = await client.setSecret("backend-key", "one", { contentType: "text/plain", tags: { team: "oda" } })
    const second = await client.setSecret("backend-key", "two")
    expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/)
    expect(first.properties.id).toBe(`${azure.keyVaultUrl}/secrets/backend-key/${first.properties.version}`)
    expect(first.properties.createdOn).toBeInstanceOf(Date)
    expect(first.properties.tags).toEqual({ team: "oda" })
    expect((await client.getSecret("backend-key")).value).toBe("two")
    const pinned = await client.getSecret("backend-key", { version: first.properties.version ?? "" })
    expect([pinned.value, pinned.properties.contentType]).toEqual(["one", "text/plain"])
    const versions: Array<string | undefined> = []
    for await (const properties of client.listPropertiesOfSecretVersions("backend-key")) versions.push(properties.version)
    expect(versions.sort()).toEqual([first.properties.version, second.properties.version].sort())
  })

  it("lists secrets across nextLink pages", async () => {
    for (let i = 0; i < 30; i++) azure.keyVault.secrets.set(`bulk-${i}`, String(i))
    const names: Array<string> = []
    for await (const properties of client.listPropertiesOfSecrets()) names.push(properties.name)
    expect(names.filter((n) => n.startsWith("bulk-"))).toHaveLength(30)
    expect(azure.logs.keyVault.entries().filter((e) => e.path === "/secrets").length).toBeGreaterThan(1)
  })

  it("refuses a disabled secret with 403 SecretDisabled and a missing one with 404 SecretNotFound", async () => {
    azure.keyVault.secrets.set("retired", "v")
    azure.keyVault.secrets.update("retired", undefined, { enabled: false })
    const refusal: unknown = await client.getSecret("retired").catch((error: unknown) => error)
    expect(refusal).toMatchObject({ statusCode: 403, code: "Forbidden", message: "Operation get is not allowed on a disabled secret." })
    expect(JSON.stringify(refusal)).toContain("SecretDisabled")

    await expect(client.getSecret("nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "SecretNotFound",
      message: expect.stringContaining("A secret with (name/id) nope was not found in this key vault")
    })
  })

  it("disables through updateSecretProperties and soft-deletes", async () => {
    const created = await client.setSecret("to-disable", "v")
    await client.updateSecretProperties("to-disable", created.properties.version ?? "", { enabled: false })
    expect(azure.keyVault.secrets.get("to-disable")?.enabled).toBe(false)

    await client.setSecret("to-delete", "v")
    const poller = await client.beginDeleteSecret("to-delete", { intervalInMs: 10 })
    const deleted = await poller.pollUntilDone()
    expect(deleted.name).toBe("to-delete")
    await expect(client.getSecret("to-delete")).rejects.toMatchObject({ statusCode: 404 })
    await expect(client.setSecret("to-delete", "again")).rejects.toMatchObject({ statusCode: 409 })
    await client.purgeDeletedSecret("to-delete")
    expect((await client.setSecret("to-delete", "again")).value).toBe("again")
  })

  it("answers an invalid or wrong-audience token with the challenge", async () => {
    const url = `${azure.keyVaultUrl}/secrets/apim-service-name/?api-version=7.6`
    const invalid = await rawRequest(url, { headers: { Authorization: "Bearer garbage" }, ca: azure.caPem })
    expect(invalid.status).toBe(401)
    expect(invalid.headers["www-authenticate"]).toContain('resource="https://vault.azure.net"')
    const armToken = await azure.entra.issueToken(azure.clientId, "https://management.azure.com/.default")
    const wrongAudience = await rawRequest(url, { headers: { Authorization: `Bearer ${armToken.accessToken}` }, ca: azure.caPem })
    expect(wrongAudience.status).toBe(401)
    const vaultToken = await azure.entra.issueToken(azure.clientId, "https://vault.azure.net/.default")
    const ok = await rawRequest(url, { headers: { Authorization: `Bearer ${vaultToken.accessToken}` }, ca: azure.caPem })
    expect(ok.status).toBe(200)
  })
})
