import { ApiManagementClient } from "@azure/arm-apimanagement"
import { ClientSecretCredential } from "@azure/identity"
import { SecretClient } from "@azure/keyvault-secrets"
import type { AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"

/** The real Azure SDK clients, pointed at an AzureEmulator and trusting its CA. */
export type TokenCredential = ConstructorParameters<typeof ApiManagementClient>[0]

export const clientSecretCredential = (azure: AzureEmulator): ClientSecretCredential =>
  new ClientSecretCredential(azure.tenantId, azure.clientId, azure.clientSecret, {
    authorityHost: azure.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: azure.caPem }
  })

export const secretClient = (azure: AzureEmulator): SecretClient =>
  new SecretClient(azure.keyVaultUrl, clientSecretCredential(azure), {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: azure.caPem },
    retryOptions: { maxRetries: 0 }
  })

/** A credential that always presents the given token (valid or not). */
export const fixedToken = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 })
})

/** A credential that asks the Entra model directly, skipping the token endpoint. */
export const inProcessCredential = (azure: AzureEmulator): TokenCredential => ({
  getToken: async () => {
    const issued = await azure.entra.issueToken(azure.clientId, `${azure.armEndpoint}/.default`)
    return { token: issued.accessToken, expiresOnTimestamp: issued.expiresOn * 1000 }
  }
})

export const armClient = (
  azure: AzureEmulator,
  credential: TokenCredential,
  options: { readonly maxRetries?: number; readonly credentialScopes?: Array<string> } = {}
): ApiManagementClient =>
  new ApiManagementClient(credential, azure.subscriptionId, {
    endpoint: azure.armEndpoint,
    tlsOptions: { ca: azure.caPem },
    retryOptions: { maxRetries: options.maxRetries ?? 0, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    ...(options.credentialScopes === undefined ? {} : { credentialScopes: options.credentialScopes })
  })
