import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer } from "effect"
import { makeAzureEmulator } from "../../src/emulators/azure/AzureEmulator.ts"
import { fromCredential } from "../../src/services/AzureIdentity.ts"
import { make as makeConfig, targetSources } from "../../src/services/OperatorConfig.ts"
import { clientSecretCredential } from "../emulators/azure/SdkClients.ts"

const withEnv = (env: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("OperatorConfig", () => {
  it.live("reads the target from the environment first, then from Key Vault secrets", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const azure = yield* makeAzureEmulator()
        const settings = yield* makeConfig.pipe(
          Effect.provide(fromCredential(clientSecretCredential(azure), azure.caPem)),
          Effect.provide(withEnv({ KEY_VAULT_URL: azure.keyVaultUrl, APIM_SERVICE_NAME: "from-env", INGRESS_CLASS: "nginx" }))
        )
        expect(settings.target).toEqual({
          apimServiceName: "from-env",
          resourceGroup: azure.resourceGroup,
          subscriptionId: azure.subscriptionId,
          tenantId: azure.tenantId,
          clientId: azure.clientId
        })
        expect(settings.ingressClassName).toBe("nginx")
        expect(settings.jwtAudiences).toEqual([azure.clientId, `api://${azure.clientId}`])
        expect(settings.openIdMetadataUrl).toBe(`https://login.microsoftonline.com/${azure.tenantId}/v2.0/.well-known/openid-configuration`)
        // the environment wins without a Key Vault round-trip for that secret
        const reads = azure.logs.keyVault.entries().map((e) => e.path)
        expect(reads.some((p) => p.includes("apim-service-name"))).toBe(false)
        expect(reads.some((p) => p.includes("resource-group"))).toBe(true)
      })
    ))

  it.live("stops with one message naming every missing fact and where it was looked for", () =>
    Effect.gen(function*() {
      const exit = yield* makeConfig.pipe(
        Effect.provide(fromCredential({ getToken: async () => null })),
        Effect.provide(withEnv({ RESOURCE_GROUP: "rg" })),
        Effect.exit
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const message = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error.message : ""
      for (const source of targetSources.filter((s) => s.key !== "resourceGroup")) {
        expect(message).toContain(source.secret)
        expect(message).toContain(source.env)
      }
      expect(message).not.toContain("resource-group")
      expect(message).toContain("KEY_VAULT_URL or KEY_VAULT_NAME")
    }))
})
