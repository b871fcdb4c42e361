import { Config, ConfigError, Context, Duration, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import { DRIFT_MODES, type DriftMode, isDriftMode } from "../domain/DriftMode.ts"
import { formatMatchLabels, type GatewaySelectors, ISTIO_GATEWAY, parseMatchLabels } from "../domain/NetworkPolicy.ts"
import { AzureIdentity } from "./AzureIdentity.ts"
import { type KeyVaultError, make as makeKeyVault } from "./KeyVault.ts"
import { checkPolicySettings, type JwtClaimSettings, jwtClaimSettings } from "./PolicySettingsConfig.ts"
import type { ProxySettings } from "./ProxyRoute.ts"
import {
  booleanSetting,
  durationSetting,
  integerSetting,
  listSetting,
  numberSetting,
  optionalStringSetting,
  stringSetting
} from "./Settings.ts"

/** Where to publish: the five facts the seed keeps in Key Vault, each also settable from the environment. */
export interface AzureTarget {
  readonly apimServiceName: string
  readonly resourceGroup: string
  readonly subscriptionId: string
  readonly tenantId: string
  readonly clientId: string
}

/** Each target fact: its Key Vault secret, and the environment variable that overrides it. */
export const targetSources: ReadonlyArray<{ readonly key: keyof AzureTarget; readonly secret: string; readonly env: string }> = [
  { key: "apimServiceName", secret: "apim-service-name", env: "APIM_SERVICE_NAME" },
  { key: "resourceGroup", secret: "resource-group", env: "RESOURCE_GROUP" },
  { key: "subscriptionId", secret: "subscription-id", env: "SUBSCRIPTION_ID" },
  { key: "tenantId", secret: "aad-tenant-id", env: "AAD_TENANT_ID" },
  { key: "clientId", secret: "aad-client-id", env: "AAD_CLIENT_ID" }
]

export interface OperatorSettings {
  readonly target: AzureTarget
  readonly armEndpoint: string
  readonly ingressClassName: string
  readonly concurrency: number
  readonly resyncInterval: Duration.Duration
  /** Namespaces to watch; empty means every namespace. */
  readonly namespaces: ReadonlyArray<string>
  readonly openIdProviderId: string
  readonly openIdMetadataUrl: string
  readonly jwtAudiences: ReadonlyArray<string>
  readonly jwtValidationDefault: boolean
  readonly allowJwtOptOut: boolean
  /** Accepted issuers, required claims and the refusal message of validate-jwt. */
  readonly jwtClaims: JwtClaimSettings
  readonly quotaRenewalPeriodSeconds: number
  readonly apiKeyHeaderName: string
  readonly apiKeyQueryName: string
  /** What to do when APIM differs from what was applied; the annotation oda.tmforum.org/drift-mode overrides it. */
  readonly driftMode: DriftMode
  /** A NetworkPolicy per published ExposedAPI admitting traffic to its implementation only from the ingress gateway. */
  readonly gatewayOnlyTraffic: { readonly enabled: boolean; readonly gateway: GatewaySelectors }
  readonly armBudget: {
    readonly writes: { readonly burst: number; readonly perSecond: number }
    readonly reads: { readonly burst: number; readonly perSecond: number }
    readonly margin: number
  }
  readonly armSdk: { readonly maxRetries: number; readonly retryDelay: Duration.Duration }
  readonly specFetch: {
    readonly timeout: Duration.Duration
    readonly maxBytes: number
    readonly allowLoopback: boolean
    readonly refreshInterval: Duration.Duration
    readonly cacheEntries: number
    readonly cacheBytes: number
    readonly proxy: ProxySettings
  }
}

export class OperatorConfig extends Context.Tag("oda/OperatorConfig")<OperatorConfig, OperatorSettings>() {}

/** Start-up stops here: one message naming every missing fact and where it was looked for. */
export class MissingConfiguration extends Schema.TaggedError<MissingConfiguration>()("MissingConfiguration", {
  missing: Schema.Array(Schema.String),
  message: Schema.String
}) {}

// ---- the settings, declared once (Settings.ts keeps their documentation) ----

const keyVaultUrl = optionalStringSetting("KEY_VAULT_URL", "Key Vault holding the target facts, e.g. https://my-vault.vault.azure.net")
const keyVaultName = optionalStringSetting("KEY_VAULT_NAME", "Key Vault name, as the seed operator takes it (https://<name>.vault.azure.net)")
const targetEnv = Object.fromEntries(
  targetSources.map((s) => [s.key, optionalStringSetting(s.env, `Overrides the Key Vault secret ${s.secret}`)])
)

/** Proxy variables are conventionally honoured in either case; the upper-case one wins. */
const proxySetting = (name: string, description: string): Config.Config<string | undefined> =>
  Config.all([optionalStringSetting(name, description), Config.option(Config.string(name.toLowerCase()))]).pipe(
    Config.map(([upper, lower]) => Option.getOrUndefined(Option.orElse(upper, () => lower)))
  )

/** Label requirements `key=value[,key=value...]`, as NetworkPolicy matchLabels. */
const labelsSetting = (name: string, defaultValue: string, description: string) =>
  stringSetting(name, defaultValue, description).pipe(
    Config.mapOrFail((text) => Either.mapLeft(parseMatchLabels(text), (message) => ConfigError.InvalidData([name], `${name} ${message}`)))
  )

const settings = Config.all({
  armEndpoint: stringSetting("ARM_ENDPOINT", "https://management.azure.com", "Azure Resource Manager endpoint"),
  ingressClassName: stringSetting("INGRESS_CLASS", "istio", "Ingress class of the Ingresses the operator creates"),
  concurrency: integerSetting("MAX_CONCURRENT_RECONCILES", 32, "ExposedAPIs reconciled at the same time"),
  resyncInterval: durationSetting("RESYNC_INTERVAL", "10 minutes", "Every ExposedAPI is re-checked against APIM this often (drift)"),
  namespaces: listSetting("WATCH_NAMESPACES", "Comma-separated namespaces to watch; all namespaces when empty"),
  openIdProviderId: stringSetting("OIDC_PROVIDER_ID", "oda-entra-id", "APIM OpenID Connect provider the operator maintains"),
  openIdMetadataUrl: optionalStringSetting(
    "OIDC_METADATA_URL",
    "OpenID configuration URL of the token issuer (default: Entra ID's for AAD_TENANT_ID)"
  ),
  jwtAudiences: listSetting("JWT_AUDIENCES", "Accepted `aud` values (default: AAD_CLIENT_ID and api://AAD_CLIENT_ID)"),
  jwtValidationDefault: booleanSetting("JWT_VALIDATION", true, "Validate JWTs on every published API unless it opts out"),
  allowJwtOptOut: booleanSetting("ALLOW_JWT_OPT_OUT", false, "Honour the oda.tmforum.org/jwt-validation: disabled annotation"),
  jwtClaims: jwtClaimSettings,
  quotaRenewalPeriodSeconds: integerSetting("QUOTA_RENEWAL_PERIOD_SECONDS", 86_400, "Renewal period of spec.quota counters"),
  apiKeyHeaderName: stringSetting("API_KEY_HEADER", "Ocp-Apim-Subscription-Key", "Header carrying API keys (apiKeyVerification)"),
  apiKeyQueryName: stringSetting("API_KEY_QUERY", "subscription-key", "Query parameter carrying API keys (apiKeyVerification)"),
  driftMode: stringSetting(
    "DRIFT_MODE",
    "correct",
    "When APIM differs from what was applied: correct (re-apply), report-only (condition and Event) or paused (hands off); the annotation oda.tmforum.org/drift-mode overrides it per ExposedAPI"
  ).pipe(
    Config.mapOrFail((text) => {
      const mode = text.trim().toLowerCase()
      return isDriftMode(mode)
        ? Either.right(mode)
        : Either.left(ConfigError.InvalidData(["DRIFT_MODE"], `DRIFT_MODE must be one of ${DRIFT_MODES.join(", ")}, got ${JSON.stringify(text)}`))
    })
  ),
  gatewayOnly: booleanSetting("GATEWAY_ONLY_TRAFFIC", false, "A NetworkPolicy per published ExposedAPI admits traffic to its implementation's pods only from the ingress gateway"),
  gatewayNamespaces: labelsSetting(
    "GATEWAY_NAMESPACE_SELECTOR",
    formatMatchLabels(ISTIO_GATEWAY.namespaceSelector),
    "Labels (key=value,...) of the namespace(s) the ingress gateway runs in, for GATEWAY_ONLY_TRAFFIC"
  ),
  gatewayPods: labelsSetting("GATEWAY_POD_SELECTOR", formatMatchLabels(ISTIO_GATEWAY.podSelector), "Labels (key=value,...) of the ingress gateway's pods, for GATEWAY_ONLY_TRAFFIC"),
  writeBurst: integerSetting("ARM_WRITE_BURST", 200, "ARM write bucket size per subscription"),
  writePerSecond: numberSetting("ARM_WRITE_PER_SECOND", 10, "ARM write bucket refill per second"),
  readBurst: integerSetting("ARM_READ_BURST", 250, "ARM read bucket size per subscription"),
  readPerSecond: numberSetting("ARM_READ_PER_SECOND", 25, "ARM read bucket refill per second"),
  budgetMargin: numberSetting("ARM_BUDGET_MARGIN", 0.95, "Share of the ARM budget the operator uses"),
  sdkMaxRetries: integerSetting("ARM_SDK_MAX_RETRIES", 3, "Retries of one ARM request inside the Azure SDK (Retry-After honoured)"),
  sdkRetryDelay: durationSetting("ARM_SDK_RETRY_DELAY", "1 second", "First retry delay inside the Azure SDK; it doubles per retry"),
  specTimeout: durationSetting("SPEC_FETCH_TIMEOUT", "10 seconds", "Timeout for fetching an OpenAPI document"),
  specMaxBytes: integerSetting("SPEC_MAX_BYTES", 4 * 1024 * 1024, "Largest OpenAPI document accepted"),
  specAllowLoopback: booleanSetting("SPEC_ALLOW_LOOPBACK", false, "Allow specification URLs on loopback addresses"),
  specRefreshInterval: durationSetting("SPEC_REFRESH_INTERVAL", "10 minutes", "A fetched OpenAPI document is re-fetched after this long"),
  specCacheEntries: integerSetting("SPEC_CACHE_ENTRIES", 1000, "OpenAPI documents kept in memory at most (least recently used go first)"),
  specCacheBytes: integerSetting("SPEC_CACHE_BYTES", 64 * 1024 * 1024, "Bytes of OpenAPI documents kept in memory at most"),
  httpsProxy: proxySetting("HTTPS_PROXY", "Proxy for https specification URLs (also https_proxy)"),
  httpProxy: proxySetting("HTTP_PROXY", "Proxy for http specification URLs (also http_proxy)"),
  noProxy: Config.all([
    listSetting("NO_PROXY", "Comma-separated hosts, domains, host:port or CIDR ranges fetched without the proxy (also no_proxy)"),
    Config.string("no_proxy").pipe(Config.withDefault(""))
  ]).pipe(Config.map(([upper, lower]) => (upper.length > 0 ? upper : lower.split(",").map((s) => s.trim()).filter((s) => s !== ""))))
})

/** Resolves each target fact from the environment, then from Key Vault; all missing ones fail together. */
const resolveTarget = Effect.gen(function*() {
  const fromEnv = yield* Config.all(targetEnv)
  const explicitUrl = yield* keyVaultUrl
  const name = yield* keyVaultName
  const url = Option.isSome(explicitUrl) ? explicitUrl : Option.map(name, (n) => `https://${encodeURIComponent(n)}.vault.azure.net`)
  const vault = Option.isSome(url) ? Option.some(yield* makeKeyVault(url.value)) : Option.none()
  const resolved: Partial<Record<keyof AzureTarget, string>> = {}
  const missing: Array<string> = []
  for (const source of targetSources) {
    const env = fromEnv[source.key] ?? Option.none()
    if (Option.isSome(env) && env.value !== "") {
      resolved[source.key] = env.value
      continue
    }
    const secret = Option.isSome(vault) ? yield* vault.value.getSecret(source.secret) : Option.none()
    if (Option.isSome(secret)) resolved[source.key] = Redacted.value(secret.value)
    else {
      missing.push(
        Option.isSome(vault)
          ? `${source.secret} (environment ${source.env}, Key Vault ${vault.value.vaultUrl} secret ${source.secret})`
          : `${source.secret} (environment ${source.env}; no Key Vault: set KEY_VAULT_URL or KEY_VAULT_NAME to read it from one)`
      )
    }
  }
  const { apimServiceName, resourceGroup, subscriptionId, tenantId, clientId } = resolved
  if (apimServiceName === undefined || resourceGroup === undefined || subscriptionId === undefined || tenantId === undefined || clientId === undefined) {
    return yield* Effect.fail(
      new MissingConfiguration({ missing, message: `Missing operator configuration:\n${missing.map((m) => `  - ${m}`).join("\n")}` })
    )
  }
  return { apimServiceName, resourceGroup, subscriptionId, tenantId, clientId }
})

/** Every setting for a target resolved elsewhere: `render` takes it from flags and the environment, never from Key Vault. */
export const settingsFor = (target: AzureTarget): Effect.Effect<OperatorSettings, ConfigError.ConfigError> => Effect.gen(
  function*() {
    const s = yield* settings
    const resolved: OperatorSettings = {
      target,
      armEndpoint: s.armEndpoint,
      ingressClassName: s.ingressClassName,
      concurrency: s.concurrency,
      resyncInterval: s.resyncInterval,
      namespaces: s.namespaces,
      openIdProviderId: s.openIdProviderId,
      openIdMetadataUrl: Option.getOrElse(
        s.openIdMetadataUrl,
        () => `https://login.microsoftonline.com/${encodeURIComponent(target.tenantId)}/v2.0/.well-known/openid-configuration`
      ),
      jwtAudiences: s.jwtAudiences.length > 0 ? s.jwtAudiences : [target.clientId, `api://${target.clientId}`],
      jwtValidationDefault: s.jwtValidationDefault,
      allowJwtOptOut: s.allowJwtOptOut,
      jwtClaims: s.jwtClaims,
      quotaRenewalPeriodSeconds: s.quotaRenewalPeriodSeconds,
      apiKeyHeaderName: s.apiKeyHeaderName,
      apiKeyQueryName: s.apiKeyQueryName,
      driftMode: s.driftMode,
      gatewayOnlyTraffic: { enabled: s.gatewayOnly, gateway: { namespaceSelector: s.gatewayNamespaces, podSelector: s.gatewayPods } },
      armBudget: {
        writes: { burst: s.writeBurst, perSecond: s.writePerSecond },
        reads: { burst: s.readBurst, perSecond: s.readPerSecond },
        margin: s.budgetMargin
      },
      armSdk: { maxRetries: s.sdkMaxRetries, retryDelay: s.sdkRetryDelay },
      specFetch: {
        timeout: s.specTimeout,
        maxBytes: s.specMaxBytes,
        allowLoopback: s.specAllowLoopback,
        refreshInterval: s.specRefreshInterval,
        cacheEntries: s.specCacheEntries,
        cacheBytes: s.specCacheBytes,
        proxy: { httpsProxy: s.httpsProxy, httpProxy: s.httpProxy, noProxy: s.noProxy }
      }
    }
    // a policy that cannot be built from the settings would fail every API: stop here, naming the setting
    yield* checkPolicySettings(resolved)
    return resolved
  }
)

export const make: Effect.Effect<OperatorSettings, ConfigError.ConfigError | MissingConfiguration | KeyVaultError, AzureIdentity> = Effect.flatMap(
  resolveTarget,
  settingsFor
)

export const layer: Layer.Layer<OperatorConfig, ConfigError.ConfigError | MissingConfiguration | KeyVaultError, AzureIdentity> = Layer.effect(
  OperatorConfig,
  make
)

