import type { GatewayPolicies } from "../ApiIntent.ts"

/**
 * `apiKeyVerification` needs no policy element: APIM checks subscription keys itself when the API says
 * `subscriptionRequired`, reading the key from the header and the query parameter the API names. These are
 * the API definition's settings for it, in the shape of the ARM API contract.
 */
export interface SubscriptionKeySettings {
  readonly subscriptionRequired: boolean
  readonly subscriptionKeyParameterNames: { readonly header: string; readonly query: string }
}

export const defaultSubscriptionKeyHeader = "Ocp-Apim-Subscription-Key"
export const defaultSubscriptionKeyQuery = "subscription-key"

/**
 * APIM always accepts the key in both places; the ODA `location` renames the one it names and the other
 * keeps APIM's default name.
 */
export const subscriptionKeySettings = (policies: Pick<GatewayPolicies, "apiKey">): SubscriptionKeySettings => {
  const apiKey = policies.apiKey
  return {
    subscriptionRequired: apiKey !== undefined,
    subscriptionKeyParameterNames: {
      header: apiKey?.location === "header" ? apiKey.name : defaultSubscriptionKeyHeader,
      query: apiKey?.location === "query" ? apiKey.name : defaultSubscriptionKeyQuery
    }
  }
}
