import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { compilePolicy, renderPolicyXml } from "../../src/domain/Policy.ts"
import { settingsFor } from "../../src/services/OperatorConfig.ts"
import { parseRequiredClaims, policySettingsOf } from "../../src/services/PolicySettingsConfig.ts"

const target = { apimServiceName: "apim", resourceGroup: "rg", subscriptionId: "sub", tenantId: "tenant", clientId: "client" }

const settingsWith = (env: Record<string, string>) =>
  settingsFor(target).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("JWT settings", () => {
  it("reads required claims as claim=value|value;claim=value", () => {
    expect(parseRequiredClaims(" roles = api.read | api.write ; tid=0000-1111 ;")).toEqual(
      Either.right({ roles: ["api.read", "api.write"], tid: ["0000-1111"] })
    )
    expect(parseRequiredClaims("")).toEqual(Either.right({}))
    expect(Either.isLeft(parseRequiredClaims("roles"))).toBe(true)
    expect(Either.isLeft(parseRequiredClaims("=x"))).toBe(true)
    expect(Either.isLeft(parseRequiredClaims("roles=a||b"))).toBe(true)
    expect(Either.isLeft(parseRequiredClaims("roles=a;roles=b"))).toBe(true)
  })

  it.effect("go into the policy: issuers, required claims, the refusal message", () =>
    Effect.gen(function*() {
      const settings = yield* settingsWith({
        JWT_ISSUERS: "https://keycloak.example/realms/canvas, https://sts.windows.net/tenant/",
        JWT_REQUIRED_CLAIMS: "roles=api.read|api.write;azp=canvas",
        JWT_FAILED_MESSAGE: "Token required"
      })
      expect(settings.jwtClaims).toEqual({
        issuers: ["https://keycloak.example/realms/canvas", "https://sts.windows.net/tenant/"],
        requiredClaims: { roles: ["api.read", "api.write"], azp: ["canvas"] },
        failedValidationMessage: "Token required"
      })
      const compiled = compilePolicy({ jwtValidation: true }, policySettingsOf(settings))
      const xml = renderPolicyXml(Either.getOrThrow(compiled))
      expect(xml).toContain("<issuer>https://keycloak.example/realms/canvas</issuer>")
      expect(xml).toMatch(/<claim name="roles" match="any">\s*<value>api.read<\/value>\s*<value>api.write<\/value>/)
      expect(xml).toContain('failed-validation-error-message="Token required"')
    }))

  it.effect("default to no issuer list, no required claim and the standard message", () =>
    Effect.gen(function*() {
      const settings = yield* settingsWith({})
      expect(settings.jwtClaims).toEqual({ issuers: [], requiredClaims: {}, failedValidationMessage: "Unauthorized. Access token is missing or invalid." })
    }))

  it.effect("stop start-up with one message naming the setting when the claims cannot be read", () =>
    Effect.gen(function*() {
      const failure = yield* settingsWith({ JWT_REQUIRED_CLAIMS: "roles" }).pipe(Effect.flip)
      expect(failure.message).toContain("JWT_REQUIRED_CLAIMS")
      expect(failure.message).toContain("claim=value1|value2")
    }))

  it.effect("stop start-up, naming each setting, when a policy could not be built from them", () =>
    Effect.gen(function*() {
      const failure = yield* settingsWith({
        OIDC_METADATA_URL: "ftp://issuer.example/.well-known/openid-configuration",
        JWT_REQUIRED_CLAIMS: "roles=@(context.Request.Body)",
        JWT_FAILED_MESSAGE: "{{secret}}"
      }).pipe(Effect.flip)
      expect(failure.message).toContain("OIDC_METADATA_URL")
      expect(failure.message).toContain('JWT_REQUIRED_CLAIMS["roles"]')
      expect(failure.message).toContain("JWT_FAILED_MESSAGE")
      expect(failure.message).not.toContain("openIdConfigUrl")
    }))
})
