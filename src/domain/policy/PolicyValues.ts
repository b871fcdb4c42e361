import type { CounterKey } from "../ApiIntent.ts"

/**
 * How values from an ExposedAPI or the settings become safe policy text. APIM reads a value as code in three
 * ways besides its XML meaning: a value starting with `@` is a C# policy expression, `{{name}}` anywhere is
 * replaced by a named value, and inside an expression a C# string literal ends at its first unescaped quote.
 * Values that sit in plain policy text are checked (`literalIssue`); values that must become part of an
 * expression are encoded into a C# string literal (`csharpStringLiteral`) that none of the three can open.
 * XML escaping happens after all this, once, in the XML library.
 */

/** Characters kept as they are inside a C# literal: printable ASCII except `"`, `\`, `@`, `{`, `}`, `(`, `)`. */
const plainInLiteral = /^[A-Za-z0-9 !#$%&'*+,\-./:;<=>?[\]^_`|~]$/

/**
 * A C# regular string literal whose value is exactly `value`. Everything outside `plainInLiteral` is a
 * `\uXXXX` escape of its UTF-16 code unit, so the literal holds no braces (no named value can be spliced in),
 * no parentheses or `@` (nothing for an expression scanner to pair up), no control characters and no
 * whitespace that XML attribute normalisation would rewrite.
 */
export const csharpStringLiteral = (value: string): string => {
  let literal = '"'
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index)
    const char = String.fromCharCode(unit)
    if (char === '"') literal += '\\"'
    else if (char === "\\") literal += "\\\\"
    else if (plainInLiteral.test(char)) literal += char
    else literal += `\\u${unit.toString(16).toUpperCase().padStart(4, "0")}`
  }
  return `${literal}"`
}

/** The request's value of a counter key, as a C# expression. */
const callerOf = (key: CounterKey): string => {
  switch (key._tag) {
    case "ClientIp":
      return "context.Request.IpAddress"
    case "Subscription":
      return "(context.Subscription?.Id ?? context.Request.IpAddress)"
    case "Header":
      return `context.Request.Headers.GetValueOrDefault(${csharpStringLiteral(key.name)},"")`
    case "JwtClaim":
      return `context.Request.Headers.GetValueOrDefault("Authorization","").AsJwt()?.Claims.GetValueOrDefault(${csharpStringLiteral(key.name)},"")`
    case "Constant":
      return csharpStringLiteral(key.value)
  }
}

/**
 * The `counter-key` expression. APIM keeps one counter per key value across every API of the instance
 * (rate-limit-by-key and quota-by-key usage notes), so the key is prefixed with the API's id: one ExposedAPI's
 * callers never use up another's limit.
 */
export const counterKeyExpression = (key: CounterKey): string => `@(context.Api.Id + ":" + ${callerOf(key)})`

/** Control characters (C0 including tab and line ends, DEL, C1) and everything XML cannot carry. */
const unwanted = /[^\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const codePoint = (char: string): string => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`

/**
 * Why `value` cannot stand as plain text in a policy (an attribute value or element text), or undefined.
 * Line ends and tabs are refused too: XML turns them into spaces in attributes, and APIM trims text.
 */
export const literalIssue = (value: string): string | undefined => {
  if (value.length === 0) return "must not be empty"
  const bad = unwanted.exec(value)
  if (bad !== null) return `contains the control or non-XML character ${codePoint(bad[0])}`
  if (value.trim() !== value) return "must not begin or end with whitespace, which APIM trims"
  if (value.startsWith("@")) return "must not begin with '@', which APIM would run as a policy expression"
  if (value.includes("{{")) return "must not contain '{{', which APIM would replace with a named value"
  return undefined
}

/** An HTTP token (RFC 9110 §5.6.2): what header names and methods are made of. */
export const isHttpToken = (value: string): boolean => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)

/** An APIM entity name such as a policy fragment id (ARM: `(^[\w]+$)|(^[\w][\w\-]+[\w]$)`, at most 80). */
export const isApimName = (value: string): boolean => value.length <= 80 && /^(?:\w+|\w[\w-]+\w)$/.test(value)
