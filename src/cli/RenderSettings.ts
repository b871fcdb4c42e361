import { Config, type ConfigError, Effect, Option } from "effect"
import { type AzureTarget, type OperatorSettings, settingsFor, targetSources } from "../services/OperatorConfig.ts"

/**
 * The operator's settings for `render`: the same environment settings `run` reads, with the Azure target taken
 * from flags and the environment only (never Key Vault), and a placeholder for what is neither given nor needed to
 * show the result.
 */

export interface RenderSettingsFlags {
  readonly tenantId: Option.Option<string>
  readonly clientId: Option.Option<string>
  readonly ingressClass: Option.Option<string>
}

export interface RenderSettings {
  readonly settings: OperatorSettings
  /** What stands in for a fact nobody gave, e.g. `tenant id (--tenant-id or AAD_TENANT_ID)`; empty when none shows. */
  readonly placeholders: ReadonlyArray<string>
}

export const TENANT_PLACEHOLDER = "tenant-id"
export const CLIENT_PLACEHOLDER = "client-id"

const placeholderOf: Readonly<Record<keyof AzureTarget, string>> = {
  apimServiceName: "apim-service-name",
  resourceGroup: "resource-group",
  subscriptionId: "subscription-id",
  tenantId: TENANT_PLACEHOLDER,
  clientId: CLIENT_PLACEHOLDER
}

const targetFact = (source: (typeof targetSources)[number], flag: Option.Option<string>) =>
  Config.option(Config.string(source.env)).pipe(
    Config.map((env) =>
      Option.orElse(flag, () => Option.filter(env, (value) => value !== "")).pipe(Option.getOrElse(() => placeholderOf[source.key]))
    )
  )

export const renderSettings = (flags: RenderSettingsFlags): Effect.Effect<RenderSettings, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const flagOf = (key: keyof AzureTarget): Option.Option<string> =>
      key === "tenantId" ? flags.tenantId : key === "clientId" ? flags.clientId : Option.none()
    const facts = yield* Config.all(Object.fromEntries(targetSources.map((source) => [source.key, targetFact(source, flagOf(source.key))])))
    const target: AzureTarget = {
      apimServiceName: facts["apimServiceName"] ?? placeholderOf.apimServiceName,
      resourceGroup: facts["resourceGroup"] ?? placeholderOf.resourceGroup,
      subscriptionId: facts["subscriptionId"] ?? placeholderOf.subscriptionId,
      tenantId: facts["tenantId"] ?? placeholderOf.tenantId,
      clientId: facts["clientId"] ?? placeholderOf.clientId
    }
    const configured = yield* settingsFor(target)
    const settings = Option.match(flags.ingressClass, {
      onNone: () => configured,
      onSome: (ingressClassName) => ({ ...configured, ingressClassName })
    })
    const envOf = (key: keyof AzureTarget) => targetSources.find((source) => source.key === key)?.env ?? key
    const placeholders = [
      ...(target.tenantId === TENANT_PLACEHOLDER && settings.openIdMetadataUrl.includes(`/${TENANT_PLACEHOLDER}/`)
        ? [`tenant id "${TENANT_PLACEHOLDER}" in the OpenID configuration URL (--tenant-id, ${envOf("tenantId")} or OIDC_METADATA_URL)`]
        : []),
      ...(target.clientId === CLIENT_PLACEHOLDER && settings.jwtAudiences.includes(CLIENT_PLACEHOLDER)
        ? [`client id "${CLIENT_PLACEHOLDER}" in the JWT audiences (--client-id, ${envOf("clientId")} or JWT_AUDIENCES)`]
        : [])
    ]
    return { settings, placeholders }
  })
