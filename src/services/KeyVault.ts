import { SecretClient } from "@azure/keyvault-secrets"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { AzureIdentity } from "./AzureIdentity.ts"

/** Secrets from one Azure Key Vault, always Redacted. */
export interface KeyVaultApi {
  readonly vaultUrl: string
  /** A secret's current value; none when it does not exist or is disabled. */
  readonly getSecret: (name: string) => Effect.Effect<Option.Option<Redacted.Redacted<string>>, KeyVaultError>
}

export class KeyVault extends Context.Tag("oda/KeyVault")<KeyVault, KeyVaultApi>() {}

export class KeyVaultError extends Schema.TaggedError<KeyVaultError>()("KeyVaultError", {
  vaultUrl: Schema.String,
  secret: Schema.String,
  status: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

interface RestErrorLike {
  readonly statusCode?: number
  readonly code?: string
  readonly message: string
}
const isRestErrorLike = (e: unknown): e is RestErrorLike => e instanceof Error && e.name === "RestError"

/** A loopback vault (the sandbox) cannot pass the SDK's check that the challenge's resource matches the host. */
const isLoopback = (url: string): boolean => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname)

export const make = (vaultUrl: string): Effect.Effect<KeyVaultApi, never, AzureIdentity> =>
  Effect.gen(function*() {
    const { credential, caPem } = yield* AzureIdentity
    const client = new SecretClient(vaultUrl, credential, {
      disableChallengeResourceVerification: isLoopback(vaultUrl),
      ...(caPem === undefined ? {} : { tlsOptions: { ca: caPem } })
    })
    const getSecret: KeyVaultApi["getSecret"] = (name) =>
      Effect.tryPromise({
        try: (abortSignal) => client.getSecret(name, { abortSignal }),
        catch: (cause) => cause
      }).pipe(
        Effect.map((secret) => (secret.value === undefined ? Option.none() : Option.some(Redacted.make(secret.value)))),
        Effect.catchAll((cause) => {
          if (isRestErrorLike(cause) && (cause.code === "SecretNotFound" || cause.statusCode === 404)) return Effect.succeedNone
          // a disabled secret answers 403 with innererror SecretDisabled: as good as absent, but worth a log line
          if (isRestErrorLike(cause) && cause.statusCode === 403 && cause.message.includes("disabled")) {
            return Effect.logWarning("Key Vault secret is disabled; treating it as absent").pipe(
              Effect.annotateLogs({ secret: name, vaultUrl }),
              Effect.as(Option.none())
            )
          }
          return Effect.fail(
            new KeyVaultError({
              vaultUrl,
              secret: name,
              message: cause instanceof Error ? cause.message : String(cause),
              ...(isRestErrorLike(cause) && cause.statusCode !== undefined ? { status: cause.statusCode } : {})
            })
          )
        }),
        Effect.withSpan("KeyVault.getSecret", { attributes: { secret: name } })
      )
    return { vaultUrl, getSecret }
  })

export const layer = (vaultUrl: string): Layer.Layer<KeyVault, never, AzureIdentity> => Layer.effect(KeyVault, make(vaultUrl))
