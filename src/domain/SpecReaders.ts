import { describeValue, type Problems } from "./SpecProblems.ts"

/**
 * Readers of single ExposedAPI fields. Each takes the raw (unknown) value, returns the interpreted value, or reports
 * one actionable problem for the field and returns undefined. `undefined` and `null` both mean "absent": YAML writes
 * an empty key as null, and a merge patch uses null to delete.
 */

export const isAbsent = (value: unknown): value is undefined | null => value === undefined || value === null

/** Control characters (C0, DEL, C1) and Unicode line/paragraph separators: never meaningful in a spec value. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text)

export const readBoolean = (problems: Problems, field: string, value: unknown, fallback: boolean): boolean | undefined => {
  if (isAbsent(value)) return fallback
  if (typeof value === "boolean") return value
  if (value === "true" || value === "false") return problems.report(field, `must be a boolean: write ${value} without quotes`)
  return problems.report(field, `must be true or false, got ${describeValue(value)}`)
}

/** A string that is present, not blank and free of control characters; returned trimmed. */
export const readText = (
  problems: Problems,
  field: string,
  value: unknown,
  options: { readonly what: string; readonly maxLength: number }
): string | undefined => {
  if (isAbsent(value)) return undefined
  if (typeof value !== "string") return problems.report(field, `must be a string (${options.what}), got ${describeValue(value)}`)
  const text = value.trim()
  if (text === "") return problems.report(field, `must not be empty: ${options.what}`)
  if (hasControlCharacters(text)) return problems.report(field, `must not contain control characters, got ${describeValue(value)}`)
  if (text.length > options.maxLength)
    return problems.report(field, `must be at most ${options.maxLength} characters, got ${text.length}`)
  return text
}

/** Reports a missing value as required (saying what it is for), and reads a present one. */
export const required = <A>(
  problems: Problems,
  field: string,
  value: unknown,
  what: string,
  read: (problems: Problems, field: string, value: unknown) => A | undefined
): A | undefined => (isAbsent(value) ? problems.report(field, `is required: ${what}`) : read(problems, field, value))

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/

/** A Kubernetes Service name (RFC 1035 label, as the API server requires of Services). */
export const readServiceName = (problems: Problems, field: string, value: unknown): string | undefined => {
  if (typeof value !== "string")
    return problems.report(field, `must be the name of a Service in this namespace, got ${describeValue(value)}`)
  if (value.length > 63) return problems.report(field, `must be a Service name of at most 63 characters, got ${value.length}`)
  if (!DNS_1035_LABEL.test(value))
    return problems.report(
      field,
      `must be a Service name: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, ` +
        `got ${describeValue(value)}`
    )
  return value
}

export const readPort = (problems: Problems, field: string, value: unknown): number | undefined => {
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) return value
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value))
    return problems.report(field, `must be an integer between 1 and 65535 written without quotes, got the string ${describeValue(value)}`)
  return problems.report(field, `must be an integer between 1 and 65535, got ${describeValue(value)}`)
}

/** Letters, digits and the RFC 3986 path characters (unreserved, sub-delims, ":" and "@"); "%" only as %XX. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/
const PERCENT_ESCAPE = /%(?![0-9A-Fa-f]{2})/
/** Encoded "/", "\" and control characters would let one path mean two different things to two proxies. */
const FORBIDDEN_ESCAPES = /%(2f|5c|[01][0-9a-f]|7f)/i
const MAX_PATH_LENGTH = 400

const decodeSegment = (segment: string): string => segment.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))

/**
 * An absolute URL path as Ingress (pathType Prefix) and API Management both accept it. With
 * `dropTrailingSlash`, "/a/b/" reads as "/a/b" ("/" stays "/"), so that equal prefixes compare equal.
 */
export const readPath = (
  problems: Problems,
  field: string,
  value: unknown,
  options: { readonly dropTrailingSlash: boolean }
): string | undefined => {
  if (typeof value !== "string") return problems.report(field, `must be a path starting with "/", got ${describeValue(value)}`)
  if (value.length > MAX_PATH_LENGTH)
    return problems.report(field, `must be at most ${MAX_PATH_LENGTH} characters (API Management's limit), got ${value.length}`)
  if (WHITESPACE_OR_CONTROL.test(value))
    return problems.report(field, `must not contain whitespace or control characters, got ${describeValue(value)}`)
  if (!value.startsWith("/"))
    return problems.report(field, `must start with "/", got ${describeValue(value)}${value === "" ? "" : ` (did you mean "/${value}"?)`}`)
  if (value.includes("?") || value.includes("#"))
    return problems.report(field, `must be a path only, without a query ("?") or fragment ("#"), got ${describeValue(value)}`)
  if (!PATH_CHARACTERS.test(value))
    return problems.report(
      field,
      `may contain only letters, digits, "/" and the URL path characters - . _ ~ ! $ & ' ( ) * + , ; = : @ and %XX escapes, ` +
        `got ${describeValue(value)}`
    )
  if (PERCENT_ESCAPE.test(value)) return problems.report(field, `must use "%" only in %XX escapes, got ${describeValue(value)}`)
  if (FORBIDDEN_ESCAPES.test(value))
    return problems.report(field, `must not encode "/", "\\" or control characters (%2F, %5C, %00-%1F, %7F), got ${describeValue(value)}`)
  if (value === "/") return value
  const segments = value.split("/").slice(1)
  const inner = value.endsWith("/") ? segments.slice(0, -1) : segments
  if (inner.includes("")) return problems.report(field, `must not contain empty segments ("//"), got ${describeValue(value)}`)
  if (inner.map(decodeSegment).some((segment) => segment === "." || segment === ".."))
    return problems.report(field, `must not contain "." or ".." segments, got ${describeValue(value)}`)
  return options.dropTrailingSlash && value.endsWith("/") ? value.slice(0, -1) : value
}

const MAX_URL_LENGTH = 2048

/** An absolute http(s) URL without credentials; returned in the URL standard's serialisation. */
export const readHttpUrl = (problems: Problems, field: string, value: unknown): string | undefined => {
  if (typeof value !== "string") return problems.report(field, `must be an absolute http(s) URL, got ${describeValue(value)}`)
  const text = value.trim()
  if (text.length > MAX_URL_LENGTH) return problems.report(field, `must be at most ${MAX_URL_LENGTH} characters, got ${text.length}`)
  if (WHITESPACE_OR_CONTROL.test(text))
    return problems.report(field, `must not contain whitespace or control characters, got ${describeValue(value)}`)
  if (!URL.canParse(text))
    return problems.report(field, `must be an absolute http(s) URL such as "https://example.com/openapi.json", got ${describeValue(value)}`)
  const url = new URL(text)
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return problems.report(field, `must use http or https, got ${describeValue(url.protocol.slice(0, -1))}`)
  if (url.username !== "" || url.password !== "")
    return problems.report(field, `must not carry credentials ("user:password@"): they would be shown in status and logs`)
  return url.href
}

const MAX_COUNT = 2_147_483_647

/** A positive whole number given as a string ("100", as the CRD types it) or, from older shapes, a number. */
export const readCount = (problems: Problems, field: string, value: unknown): number | undefined => {
  const count = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
  if (Number.isInteger(count) && count >= 1 && count <= MAX_COUNT) return count
  if (count === 0) return problems.report(field, `must be at least 1, got ${describeValue(value)}`)
  if (Number.isInteger(count) && count > MAX_COUNT) return problems.report(field, `must be at most ${MAX_COUNT}, got ${describeValue(value)}`)
  return problems.report(field, `must be a positive whole number such as "100", got ${describeValue(value)}`)
}

/** A non-negative whole number of seconds (an integer in the CRD). */
export const readSeconds = (problems: Problems, field: string, value: unknown, fallback: number): number | undefined => {
  if (isAbsent(value)) return fallback
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT) return value
  return problems.report(field, `must be a whole number of seconds (0 or more, without quotes), got ${describeValue(value)}`)
}

/** RFC 9110 token: what a header name or method may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
export const isToken = (text: string): boolean => TOKEN.test(text)

/** A comma-separated list: items trimmed, empty items dropped, duplicates dropped; `fallback` when absent. */
export const readCsv = (problems: Problems, field: string, value: unknown, fallback: string): ReadonlyArray<string> | undefined => {
  const text = isAbsent(value) ? fallback : value
  if (typeof text !== "string") return problems.report(field, `must be a comma-separated list in one string, got ${describeValue(value)}`)
  if (hasControlCharacters(text)) return problems.report(field, `must not contain control characters, got ${describeValue(value)}`)
  const items = [...new Set(text.split(",").map((item) => item.trim()).filter((item) => item !== ""))]
  if (items.length === 0) return problems.report(field, `must list at least one item, or be left out to use the default "${fallback}"`)
  return items
}
