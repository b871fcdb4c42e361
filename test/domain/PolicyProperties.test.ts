import { Array as Arr, Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { GatewayPolicies } from "../../src/domain/ApiIntent.ts"
import {
  canonicalPolicy,
  compilePolicy,
  defaultPassThroughRequestHeaders,
  PolicyElement,
  policiesEquivalent,
  policySectionNames,
  renderPolicyXml,
  subscriptionKeySettings,
  type PolicyDocument,
  type PolicySettings
} from "../../src/domain/Policy.ts"
import { renderPolicy, validatePolicy } from "../../src/emulators/azure/apim/PolicyValidation.ts"
import { anyDocument, gatewayPolicies, policySettings } from "./PolicyArbitraries.ts"
import { attribute, child, nonXmlCharacter, outline, parseWellFormed, readCounterKey, texts, writeXml, type Node } from "./PolicyTestkit.ts"

/** The element outline the renderer must produce for `doc`, written out independently of it. */
const expectedOutline = (doc: PolicyDocument): ReadonlyArray<string> => {
  const list = (name: string, item: string, values: ReadonlyArray<unknown>) => (values.length === 0 ? [] : [name, ...values.map(() => item)])
  const ofElement: (element: PolicyElement) => ReadonlyArray<string> = PolicyElement.$match({
    Base: () => ["base"],
    Cors: (cors) => [
      "cors",
      ...list("allowed-origins", "origin", cors.allowedOrigins),
      ...(cors.allowedMethods === undefined ? [] : ["allowed-methods", ...cors.allowedMethods.methods.map(() => "method")]),
      ...list("allowed-headers", "header", cors.allowedHeaders),
      ...list("expose-headers", "header", cors.exposeHeaders)
    ],
    ValidateJwt: (jwt) => [
      "validate-jwt",
      "openid-config",
      ...list("audiences", "audience", jwt.audiences),
      ...list("issuers", "issuer", jwt.issuers),
      ...(jwt.requiredClaims.length === 0 ? [] : ["required-claims", ...jwt.requiredClaims.flatMap((claim) => ["claim", ...claim.values.map(() => "value")])])
    ],
    RateLimitByKey: () => ["rate-limit-by-key"],
    QuotaByKey: () => ["quota-by-key"],
    ValidateParameters: (validation) => [
      "validate-parameters",
      ...(validation.headers === undefined ? [] : ["headers", ...validation.headers.parameters.map(() => "parameter")]),
      ...(validation.query === undefined ? [] : ["query", ...validation.query.parameters.map(() => "parameter")])
    ],
    ValidateContent: (validation) => ["validate-content", ...validation.content.map(() => "content")],
    ValidateStatusCode: () => ["validate-status-code"],
    ValidateHeaders: () => ["validate-headers"],
    IncludeFragment: () => ["include-fragment"]
  })
  return ["policies", ...policySectionNames.flatMap((section) => [section, ...doc[section].flatMap(ofElement)])]
}

/**
 * What a value becomes in XML written without character references: non-XML characters are replaced (the
 * renderer's choice) and line ends read back as `\n` (XML's end-of-line handling). `compilePolicy` refuses
 * both kinds of value, so only hand-built documents meet this.
 */
const asXmlCarries = (value: string): string =>
  value.replace(new RegExp(nonXmlCharacter.source, "gu"), "\uFFFD").replace(/\r\n?/g, "\n")

const compiled = (policies: GatewayPolicies, settings: PolicySettings) => {
  const result = compilePolicy(policies, settings)
  return Either.isRight(result) ? { doc: result.right, xml: renderPolicyXml(result.right) } : undefined
}

/** Checks that every value the ExposedAPI and the settings gave is found, decoded, where it belongs. */
const expectValuesRoundTrip = (root: Node, policies: GatewayPolicies, settings: PolicySettings): void => {
  const inbound = child(root, "inbound")
  if (policies.cors !== undefined) {
    const cors = child(inbound, "cors")
    const origins = Arr.dedupe(policies.cors.allowOrigins)
    expect(texts(child(cors, "allowed-origins"), "origin")).toEqual(origins.includes("*") ? ["*"] : origins)
    expect(attribute(cors, "allow-credentials")).toBe(String(policies.cors.allowCredentials))
    const preflight = policies.cors.preflight
    if (preflight !== undefined) {
      const methods = Arr.dedupe(preflight.allowMethods)
      expect(texts(child(cors, "allowed-methods"), "method")).toEqual(methods.length === 0 ? ["GET", "POST"] : methods)
      expect(attribute(child(cors, "allowed-methods"), "preflight-result-max-age")).toBe(String(preflight.maxAge))
      const headers = Arr.dedupe(preflight.allowHeaders)
      expect(texts(child(cors, "allowed-headers"), "header")).toEqual(headers.length === 0 ? ["Accept"] : headers)
    }
  }
  if (policies.jwtValidation) {
    const jwt = child(inbound, "validate-jwt")
    expect(attribute(child(jwt, "openid-config"), "url")).toBe(settings.openIdConfigUrl)
    expect(texts(child(jwt, "audiences"), "audience")).toEqual(Arr.dedupe(settings.audiences))
    if (settings.failedValidationMessage !== undefined) expect(attribute(jwt, "failed-validation-error-message")).toBe(settings.failedValidationMessage)
    const claims = Object.entries(settings.requiredClaims ?? {})
    if (claims.length > 0) {
      const read = child(jwt, "required-claims").children.map((claim) => [attribute(claim, "name"), texts(claim, "value")] as const)
      expect(new Map(read)).toEqual(new Map(claims.map(([name, values]) => [name, Arr.dedupe(values)])))
    }
  }
  for (const [field, name] of [["rateLimit", "rate-limit-by-key"], ["quota", "quota-by-key"]] as const) {
    const counter = policies[field]
    if (counter === undefined) continue
    const written = child(inbound, name)
    expect(attribute(written, "calls")).toBe(String(counter.calls))
    const key = readCounterKey(attribute(written, "counter-key") ?? "")
    expect(key.shape).toBe(counter.key._tag)
    const carried = counter.key._tag === "Header" || counter.key._tag === "JwtClaim" ? counter.key.name : counter.key._tag === "Constant" ? counter.key.value : undefined
    expect(key.value).toBe(carried)
  }
  if (policies.template !== undefined) expect(attribute(child(inbound, "include-fragment"), "fragment-id")).toBe(policies.template)
  const validation = policies.oasValidation
  if (validation?.request === true && !validation.allowUnspecifiedHeaders) {
    const headers = child(child(inbound, "validate-parameters"), "headers").children.map((parameter) => attribute(parameter, "name"))
    const keyHeader = policies.apiKey === undefined ? [] : [subscriptionKeySettings(policies).subscriptionKeyParameterNames.header]
    expect(headers).toEqual(Arr.dedupe([...(settings.passThroughRequestHeaders ?? defaultPassThroughRequestHeaders), ...keyHeader]))
  }
}

const spelling = fc.record({
  indent: fc.constantFrom("", " ", "\t", "    "),
  newline: fc.constantFrom("\n" as const, "\r\n" as const, "" as const),
  quote: fc.constantFrom('"' as const, "'" as const),
  reverseAttributes: fc.boolean(),
  numericReferences: fc.boolean(),
  expandEmpty: fc.boolean(),
  comments: fc.boolean(),
  declaration: fc.boolean()
})

const references = { fragmentExists: () => true, backendExists: () => true }

describe("compilePolicy and renderPolicyXml, over generated ExposedAPI policies and settings", () => {
  it("either names each fault or yields well-formed XML with exactly the elements the model holds", () => {
    let rendered = 0
    fc.assert(
      fc.property(gatewayPolicies, policySettings, (policies, settings) => {
        const result = compilePolicy(policies, settings)
        if (Either.isLeft(result)) {
          expect(result.left.issues.length).toBeGreaterThan(0)
          for (const issue of result.left.issues) expect(issue.reason.length * issue.field.length).toBeGreaterThan(0)
          return
        }
        rendered++
        const root = parseWellFormed(renderPolicyXml(result.right))
        expect(outline(root)).toEqual(expectedOutline(result.right))
      }),
      { numRuns: 300 }
    )
    // The generators keep most values valid, so the rendering path is exercised, not only the refusals.
    expect(rendered).toBeGreaterThan(30)
  })

  it("carries every value through: parsed back, each is found where it belongs, counter keys decoded from their literals", () => {
    fc.assert(
      fc.property(gatewayPolicies, policySettings, (policies, settings) => {
        const result = compiled(policies, settings)
        if (result !== undefined) expectValuesRoundTrip(parseWellFormed(result.xml), policies, settings)
      }),
      { numRuns: 300 }
    )
  })

  it("yields policies the APIM emulator's validator accepts", () => {
    fc.assert(
      fc.property(gatewayPolicies, policySettings, (policies, settings) => {
        const result = compiled(policies, settings)
        if (result === undefined) return
        const outcome = validatePolicy(result.xml, "xml", references)
        expect(outcome.ok ? "accepted" : JSON.stringify(outcome.failure)).toBe("accepted")
      }),
      { numRuns: 200 }
    )
  })
})

describe("canonicalPolicy, over generated policies", () => {
  it("is idempotent and blind to spelling: indentation, quotes, attribute order, references, comments, APIM's re-rendering", () => {
    fc.assert(
      fc.property(gatewayPolicies, policySettings, spelling, (policies, settings, style) => {
        const result = compiled(policies, settings)
        if (result === undefined) return
        const canonical = Either.getOrThrowWith(canonicalPolicy(result.xml), (error) => error)
        expect(Either.getOrThrowWith(canonicalPolicy(canonical), (error) => error)).toBe(canonical)
        expect(policiesEquivalent(result.xml, writeXml(parseWellFormed(result.xml), style))).toBe(true)
        expect(policiesEquivalent(result.xml, renderPolicy(result.xml, "xml", "xml"))).toBe(true)
      }),
      { numRuns: 200 }
    )
  })

  it("tells apart policies that differ in any policy element", () => {
    fc.assert(
      fc.property(gatewayPolicies, gatewayPolicies, policySettings, (a, b, settings) => {
        const left = compiled(a, settings)
        const right = compiled(b, settings)
        if (left === undefined || right === undefined) return
        expect(policiesEquivalent(left.xml, right.xml)).toBe(left.xml === right.xml)
      }),
      { numRuns: 200 }
    )
  })
})

describe("renderPolicyXml, over documents built without compilePolicy (hostile strings everywhere)", () => {
  it("is always well-formed, never gains or loses an element, and keeps every value XML can carry", () => {
    fc.assert(
      fc.property(anyDocument, (doc) => {
        const root = parseWellFormed(renderPolicyXml(doc))
        expect(outline(root)).toEqual(expectedOutline(doc))
        doc.inbound.forEach((element, index) => {
          const written = child(root, "inbound").children[index]
          if (written === undefined) throw new Error("missing element")
          if (element._tag === "IncludeFragment") expect(attribute(written, "fragment-id")).toBe(asXmlCarries(element.fragmentId))
          if (element._tag === "Cors") expect(element.allowedOrigins.length === 0 ? [] : texts(child(written, "allowed-origins"), "origin")).toEqual(element.allowedOrigins.map(asXmlCarries))
          if (element._tag === "ValidateJwt") expect(attribute(written, "failed-validation-error-message")).toBe(asXmlCarries(element.failedValidationErrorMessage))
          if (element._tag === "RateLimitByKey" || element._tag === "QuotaByKey") {
            const key = readCounterKey(attribute(written, "counter-key") ?? "")
            expect(key.shape).toBe(element.counterKey._tag)
          }
        })
      }),
      { numRuns: 200 }
    )
  })
})
