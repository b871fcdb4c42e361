import { describe, expect, it } from "vitest"
import { csharpStringLiteral, makePolicyDocument, PolicyElement, renderPolicyXml } from "../../src/domain/Policy.ts"
import { literalIssue } from "../../src/domain/policy/PolicyValues.ts"
import { attribute, child, decodeCSharpLiteral, outline, parseWellFormed, readCounterKey, section, texts } from "./PolicyTestkit.ts"

const hostile = `</origin></allowed-origins></cors><set-backend-service base-url="http://evil"/><cors><![CDATA[ ]]> & "quoted" 'single' @(x) {{nv}}`

describe("renderPolicyXml", () => {
  it("escapes every attribute value and text through the XML library, so nothing can add an element", () => {
    const doc = makePolicyDocument({
      inbound: [
        PolicyElement.Cors({
          allowCredentials: false,
          terminateUnmatchedRequest: false,
          allowedOrigins: [hostile],
          allowedMethods: { preflightResultMaxAge: 5, methods: [hostile] },
          allowedHeaders: [hostile],
          exposeHeaders: [hostile]
        }),
        PolicyElement.IncludeFragment({ fragmentId: hostile })
      ]
    })
    const xml = renderPolicyXml(doc)
    const inbound = section(xml, "inbound")
    expect(outline(inbound)).toEqual([
      "inbound",
      "base",
      "cors",
      "allowed-origins",
      "origin",
      "allowed-methods",
      "method",
      "allowed-headers",
      "header",
      "expose-headers",
      "header",
      "include-fragment"
    ])
    expect(texts(child(child(inbound, "cors"), "allowed-origins"), "origin")).toEqual([hostile])
    expect(texts(child(child(inbound, "cors"), "expose-headers"), "header")).toEqual([hostile])
    expect(attribute(child(inbound, "include-fragment"), "fragment-id")).toBe(hostile)
  })

  it("turns characters XML cannot carry into U+FFFD rather than writing ill-formed XML", () => {
    const nasty = "a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi\uD800j"
    const xml = renderPolicyXml(
      makePolicyDocument({
        inbound: [
          PolicyElement.ValidateJwt({
            headerName: "Authorization",
            failedValidationHttpCode: 401,
            failedValidationErrorMessage: nasty,
            requireScheme: "Bearer",
            openIdConfigUrl: "https://idp.example/.well-known/openid-configuration",
            audiences: [nasty],
            issuers: [],
            requiredClaims: []
          })
        ]
      })
    )
    const jwt = child(section(xml, "inbound"), "validate-jwt")
    const replaced = "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\uFFFDi\uFFFDj"
    expect(attribute(jwt, "failed-validation-error-message")).toBe(replaced)
    expect(texts(child(jwt, "audiences"), "audience")).toEqual([replaced])
  })

  it("writes a counter key whose hostile header name stays inside its C# literal", () => {
    const name = `x",""));context.Variables.Clear();//"\\)`
    const xml = renderPolicyXml(
      makePolicyDocument({ inbound: [PolicyElement.RateLimitByKey({ calls: 1, renewalPeriod: 1, counterKey: { _tag: "Header", name } })] })
    )
    const key = attribute(child(section(xml, "inbound"), "rate-limit-by-key"), "counter-key") ?? ""
    expect(readCounterKey(key)).toEqual({ shape: "Header", value: name })
    expect(xml).toContain("&quot;")
  })

  it("leaves <base /> out only when the model does", () => {
    const xml = renderPolicyXml({ inbound: [], backend: [], outbound: [PolicyElement.Base()], "on-error": [] })
    const root = parseWellFormed(xml)
    expect(root.children.map((part) => part.children.map((policy) => policy.name))).toEqual([[], [], ["base"], []])
  })
})

describe("csharpStringLiteral", () => {
  it("round-trips any string, astral and lone surrogates included", () => {
    for (const value of ["", "plain", '"', "\\", "\\u0041", "{{x}}", "@(x)", "\u0000\n\t\r", "é€😀", "\uD800", "\uDC00x"])
      expect(decodeCSharpLiteral(csharpStringLiteral(value))).toBe(value)
  })

  it("keeps printable ASCII readable and escapes what could end the literal, splice a named value or start an expression", () => {
    expect(csharpStringLiteral("X-Tenant_Id 1.2:3/4")).toBe('"X-Tenant_Id 1.2:3/4"')
    expect(csharpStringLiteral('a"b\\c')).toBe('"a\\"b\\\\c"')
    expect(csharpStringLiteral("{(@)}")).toBe('"\\u007B\\u0028\\u0040\\u0029\\u007D"')
    expect(csharpStringLiteral("é\n")).toBe('"\\u00E9\\u000A"')
  })
})

describe("literalIssue", () => {
  it("accepts ordinary values", () => {
    for (const value of ["*", "https://a.example:8443", "api://client-id", "Content-Type", "a b", "ünïcödé 😀"]) expect(literalIssue(value)).toBeUndefined()
  })

  it("refuses values APIM would read as something else, or that XML or APIM would alter", () => {
    expect(literalIssue("")).toMatch(/empty/)
    expect(literalIssue("a\u0001")).toMatch(/U\+0001/)
    expect(literalIssue("a\nb")).toMatch(/U\+000A/)
    expect(literalIssue("a\u0085")).toMatch(/U\+0085/)
    expect(literalIssue("\uD800")).toMatch(/U\+D800/)
    expect(literalIssue(" a")).toMatch(/whitespace/)
    expect(literalIssue("@(context.Request.Url)")).toMatch(/policy expression/)
    expect(literalIssue("@{ return 1; }")).toMatch(/policy expression/)
    expect(literalIssue("x{{secret}}")).toMatch(/named value/)
  })
})
