import { DefaultAzureCredential, type TokenCredential } from "@azure/identity"
import { Config, ConfigError, Context, Effect, Layer, Option } from "effect"
import { readFileSync } from "node:fs"

/** The Azure credential every Azure client of the operator uses. */
export interface AzureIdentityApi {
  readonly credential: TokenCredential
  /** Extra CA (PEM) the Azure clients trust, when one is configured (the sandbox's emulators). */
  readonly caPem: string | undefined
}

export class AzureIdentity extends Context.Tag("oda/AzureIdentity")<AzureIdentity, AzureIdentityApi>() {}

/**
 * DefaultAzureCredential: workload identity on AKS, or environment credentials, or managed identity. Instance
 * discovery is off by default (harmless against login.microsoftonline.com, required for any other authority);
 * the authority host and an extra CA are configurable so the same code runs against the sandbox.
 */
export const layer: Layer.Layer<AzureIdentity, ConfigError.ConfigError> = Layer.effect(
  AzureIdentity,
  Effect.gen(function*() {
    const authorityHost = yield* Config.option(Config.string("AZURE_AUTHORITY_HOST")).pipe(
      Config.withDescription("Entra ID authority, e.g. https://login.microsoftonline.com (the default) or a sovereign cloud's")
    )
    const disableInstanceDiscovery = yield* Config.boolean("AZURE_DISABLE_INSTANCE_DISCOVERY").pipe(
      Config.withDefault(true),
      Config.withDescription("Skip MSAL's instance discovery (needed for authorities other than Entra's public cloud)")
    )
    const caFile = yield* Config.option(Config.string("AZURE_CA_FILE")).pipe(
      Config.withDescription("A PEM file of extra CAs for Azure endpoints (the sandbox's emulators)")
    )
    const caPem = Option.isNone(caFile) ? undefined : yield* readPem("AZURE_CA_FILE", caFile.value)
    const credential = new DefaultAzureCredential({
      disableInstanceDiscovery,
      ...(Option.isSome(authorityHost) ? { authorityHost: authorityHost.value } : {}),
      ...(caPem === undefined ? {} : { tlsOptions: { ca: caPem } })
    })
    return { credential, caPem }
  })
)

/** Reads a PEM file named by a setting; an unreadable file is a configuration error naming the setting. */
export const readPem = (setting: string, file: string): Effect.Effect<string, ConfigError.ConfigError> =>
  Effect.try({
    try: () => readFileSync(file, "utf8"),
    catch: (cause) => ConfigError.InvalidData([setting], `cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`)
  })

/** A given credential (the sandbox's client secret credential, tests). */
export const fromCredential = (credential: TokenCredential, caPem?: string): Layer.Layer<AzureIdentity> =>
  Layer.succeed(AzureIdentity, { credential, caPem })
