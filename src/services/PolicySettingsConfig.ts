import { Config, ConfigError, Effect, Either, Option } from "effect"
import { defaultFailedValidationMessage, type PolicySettings, policySettingsIssues } from "../domain/Policy.ts"
import { listSetting, optionalStringSetting, stringSetting } from "./Settings.ts"

/**
 * The settings of `validate-jwt` beyond the issuer's metadata URL and the audiences: accepted issuers, required
 * claims, the refusal message. Any OpenID Connect issuer works (Entra ID, a Keycloak realm, …). Checked at
 * start-up with the rest of the policy settings, so a misconfigured operator stops with one message naming the
 * setting instead of failing every API.
 */
export interface JwtClaimSettings {
  readonly issuers: ReadonlyArray<string>
  /** Claim name -> accepted values (a token must carry one of the values of every claim named). */
  readonly requiredClaims: Readonly<Record<string, ReadonlyArray<string>>>
  readonly failedValidationMessage: string
}

const CLAIMS_SYNTAX = "claim=value1|value2;claim2=value, e.g. roles=api.read|api.write;tid=<tenant id>"

/**
 * `JWT_REQUIRED_CLAIMS`: claims separated by `;`, each `name=value` with alternatives separated by `|`;
 * spaces around the separators are ignored. A value cannot contain `;` or `|`.
 */
export const parseRequiredClaims = (text: string): Either.Either<Readonly<Record<string, ReadonlyArray<string>>>, string> => {
  const claims: Record<string, ReadonlyArray<string>> = {}
  for (const entry of text.split(";").map((s) => s.trim()).filter((s) => s !== "")) {
    const equals = entry.indexOf("=")
    const name = equals < 0 ? "" : entry.slice(0, equals).trim()
    if (name === "") return Either.left(`has an entry without a claim name: ${JSON.stringify(entry)}`)
    const values = entry.slice(equals + 1).split("|").map((s) => s.trim())
    if (values.some((v) => v === "")) return Either.left(`names an empty value for claim ${JSON.stringify(name)}`)
    if (Object.hasOwn(claims, name)) return Either.left(`names claim ${JSON.stringify(name)} twice (list its values with |)`)
    claims[name] = values
  }
  return Either.right(claims)
}

export const jwtClaimSettings: Config.Config<JwtClaimSettings> = Config.all({
  issuers: listSetting("JWT_ISSUERS", "Accepted `iss` values, comma-separated; empty: the issuer the OpenID metadata document names"),
  requiredClaims: optionalStringSetting("JWT_REQUIRED_CLAIMS", `Claims every token must carry: ${CLAIMS_SYNTAX}`).pipe(
    Config.mapOrFail((text) =>
      Option.match(text, {
        onNone: () => Either.right({}),
        onSome: (value) =>
          Either.mapLeft(parseRequiredClaims(value), (reason) =>
            ConfigError.InvalidData(["JWT_REQUIRED_CLAIMS"], `JWT_REQUIRED_CLAIMS ${reason} (expected ${CLAIMS_SYNTAX})`))
      })
    )
  ),
  failedValidationMessage: stringSetting("JWT_FAILED_MESSAGE", defaultFailedValidationMessage, "Body of the 401 answer to a missing or invalid token")
})

/** The operator settings the policy compiler needs. */
export interface PolicySettingsSource {
  readonly openIdMetadataUrl: string
  readonly jwtAudiences: ReadonlyArray<string>
  readonly jwtClaims: JwtClaimSettings
}

export const policySettingsOf = (s: PolicySettingsSource): PolicySettings => ({
  openIdConfigUrl: s.openIdMetadataUrl,
  audiences: s.jwtAudiences,
  issuers: s.jwtClaims.issuers,
  requiredClaims: s.jwtClaims.requiredClaims,
  failedValidationMessage: s.jwtClaims.failedValidationMessage
})

/** PolicySettings' names for what the environment calls them. */
const settingNames: Readonly<Record<string, string>> = {
  openIdConfigUrl: "OIDC_METADATA_URL",
  audiences: "JWT_AUDIENCES",
  issuers: "JWT_ISSUERS",
  requiredClaims: "JWT_REQUIRED_CLAIMS",
  failedValidationMessage: "JWT_FAILED_MESSAGE"
}

const settingOf = (field: string): string => {
  const base = /^[A-Za-z]+/.exec(field)?.[0] ?? field
  return `${settingNames[base] ?? base}${field.slice(base.length)}`
}

/** Fails, naming every setting at fault, when a policy could not be built from the settings. */
export const checkPolicySettings = (s: PolicySettingsSource): Effect.Effect<void, ConfigError.ConfigError> => {
  const issues = policySettingsIssues(policySettingsOf(s))
  if (issues.length === 0) return Effect.void
  const named = issues.map((issue) => `${settingOf(issue.field)}: ${issue.reason}`)
  return Effect.fail(ConfigError.InvalidData([...new Set(issues.map((issue) => settingOf(issue.field).replace(/\[.*$/, "")))], `Invalid gateway policy settings: ${named.join("; ")}`))
}
