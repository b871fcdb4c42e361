import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { canonicalPolicy, compilePolicy, policiesEquivalent, renderPolicyXml } from "../../src/domain/Policy.ts"
import { renderPolicy } from "../../src/emulators/azure/apim/PolicyValidation.ts"
import { parseWellFormed, writeXml, type Spelling } from "./PolicyTestkit.ts"

const canonical = (xml: string): string => Either.getOrThrowWith(canonicalPolicy(xml), (error) => error)

const ours = (() => {
  const compiled = compilePolicy(
    {
      jwtValidation: true,
      cors: { allowCredentials: false, allowOrigins: ["https://a.example"], preflight: { allowHeaders: ["Content-Type"], allowMethods: ["GET", "PATCH"], maxAge: 600 } },
      rateLimit: { key: { _tag: "JwtClaim", name: 'tenant "id" & <co>' }, calls: 10, renewalPeriod: 1 },
      oasValidation: { request: true, response: true, allowUnspecifiedHeaders: false, allowUnspecifiedQueryParams: true, allowUnspecifiedCookies: false },
      template: "common"
    },
    {
      openIdConfigUrl: "https://idp.example/.well-known/openid-configuration",
      audiences: ["api://x"],
      requiredClaims: { roles: ["a&b", "<c>"] },
      failedValidationMessage: `Say "no" & 'leave'`
    }
  )
  return renderPolicyXml(Either.getOrThrowWith(compiled, (error) => error))
})()

const plain: Spelling = {
  indent: "  ",
  newline: "\n",
  quote: '"',
  reverseAttributes: false,
  numericReferences: false,
  expandEmpty: false,
  comments: false,
  declaration: false
}

describe("canonicalPolicy", () => {
  it("is insensitive to indentation, line ends, quotes, attribute order, references, empty-tag form, comments and the declaration", () => {
    const spellings: ReadonlyArray<Spelling> = [
      plain,
      { ...plain, indent: "\t", newline: "\r\n", quote: "'", reverseAttributes: true },
      { ...plain, newline: "", numericReferences: true, expandEmpty: true },
      { ...plain, comments: true, declaration: true, indent: "        " }
    ]
    const tree = parseWellFormed(ours)
    for (const spelling of spellings) {
      const respelt = writeXml(tree, spelling)
      expect(respelt).not.toBe(ours)
      expect(policiesEquivalent(ours, respelt)).toBe(true)
    }
  })

  it("sees through the emulated APIM's own rendering (format=xml: tabs, CRLF, ' />', its escaping)", () => {
    const stored = renderPolicy(ours, "xml", "xml")
    expect(stored).toContain("\r\n\t")
    expect(policiesEquivalent(ours, stored)).toBe(true)
  })

  it("treats CDATA as text, trims text, and counts an empty section as an absent one, in APIM's section order", () => {
    const a = "<policies><inbound><base /><set-body><![CDATA[a<b]]></set-body></inbound><backend></backend><outbound><base /></outbound></policies>"
    const b = "<policies>\n <outbound>\n  <base/>\n </outbound>\n <inbound><base/><set-body>  a&lt;b\n</set-body></inbound>\n <on-error/>\n</policies>"
    expect(canonical(a)).toBe(canonical(b))
    expect(canonical(a)).toBe("<policies><inbound><base/><set-body>a&lt;b</set-body></inbound><outbound><base/></outbound></policies>")
  })

  it("keeps what carries meaning: element order, <base />, values, text inside", () => {
    const base = "<policies><inbound><base /><cors><allowed-origins><origin>*</origin></allowed-origins></cors><rate-limit calls=\"5\" renewal-period=\"1\" /></inbound></policies>"
    const reordered = "<policies><inbound><base /><rate-limit calls=\"5\" renewal-period=\"1\" /><cors><allowed-origins><origin>*</origin></allowed-origins></cors></inbound></policies>"
    const withoutBase = base.replace("<base />", "")
    const otherValue = base.replace('calls="5"', 'calls="6"')
    const otherText = base.replace("<origin>*</origin>", "<origin>https://a.example</origin>")
    for (const different of [reordered, withoutBase, otherValue, otherText]) expect(policiesEquivalent(base, different)).toBe(false)
    expect(policiesEquivalent("<a>x y</a>", "<a>x  y</a>")).toBe(false)
  })

  it("is idempotent", () => {
    const once = canonical(ours)
    expect(canonical(once)).toBe(once)
  })

  it("refuses what is not well-formed XML, and such a side is never equivalent, not even to itself", () => {
    for (const bad of [
      "",
      "<policies>",
      "<policies><inbound></policies>",
      '<policies><inbound><rate-limit-by-key counter-key="@(context.Request.Headers.GetValueOrDefault("x",""))" /></inbound></policies>',
      "<policies>&nbsp;</policies>",
      "<policies>\u0001</policies>",
      "<policies>&#1;</policies>",
      '<!DOCTYPE p [<!ENTITY e "x">]><policies>&e;</policies>',
      "<a/><b/>",
      "<a>".repeat(150) + "</a>".repeat(150)
    ]) {
      const result = canonicalPolicy(bad)
      expect(Either.isLeft(result), bad).toBe(true)
      expect(policiesEquivalent(bad, bad)).toBe(false)
    }
  })

  it("handles policies nested as deep as the XML library goes", () => {
    expect(Either.isRight(canonicalPolicy("<a>".repeat(99) + "</a>".repeat(99)))).toBe(true)
  })

  it("names the fault", () => {
    const result = canonicalPolicy("<policies><inbound></policies>")
    if (Either.isRight(result)) throw new Error("expected a fault")
    expect(result.left._tag).toBe("MalformedPolicyXml")
    expect(result.left.message).toMatch(/^The policy is not well-formed XML: /)
  })

  it("decodes character references and the five entities, but not HTML entities, inside comments or CDATA", () => {
    expect(canonical('<a x="&#34;&#x27;&lt;">&#65;&amp;&gt;</a>')).toBe(canonical(`<a x='"&apos;&lt;'>A&amp;&gt;</a>`))
    expect(Either.isRight(canonicalPolicy("<a><!-- &nbsp; --><![CDATA[&copy;]]></a>"))).toBe(true)
    expect(canonical("<a><![CDATA[&copy;]]></a>")).toBe("<a>&amp;copy;</a>")
  })
})
