import type { ApiKey, CounterKey, Cors, OasValidation, Preflight, Quota, RateLimit } from "./ApiIntent.ts"
import { describeValue, type Problems } from "./SpecProblems.ts"
import { hasControlCharacters, isAbsent, isToken, readBoolean, readCount, readCsv, readSeconds, readText } from "./SpecReaders.ts"

/**
 * The gateway-policy sections of an ExposedAPI spec (rateLimit, quota, apiKeyVerification, CORS, OASValidation,
 * template), read into the ApiIntent's policy model. A section whose `enabled` flag is false is not read further:
 * whatever else it holds has no effect, so it cannot make the resource invalid.
 */

export interface SpecPolicySettings {
  /** Renewal period of `quota` counters: the CRD has no field for it. */
  readonly quotaRenewalPeriodSeconds: number
  /** Subscription-key header when `apiKeyVerification.location` is `header` (APIM's default name). */
  readonly apiKeyHeaderName: string
  /** Subscription-key query parameter when `apiKeyVerification.location` is `query` (APIM's default name). */
  readonly apiKeyQueryName: string
}

type Section = { readonly [key: string]: unknown }

const isSection = (value: unknown): value is Section => typeof value === "object" && value !== null && !Array.isArray(value)

/** The section as an object, undefined when absent; reports a section that is not an object. */
const section = (problems: Problems, field: string, value: unknown): Section | undefined => {
  if (isAbsent(value)) return undefined
  if (isSection(value)) return value
  return problems.report(field, `must be an object (see the ExposedAPI CRD), got ${describeValue(value)}`)
}

/** The section when present and `enabled: true`; undefined otherwise. */
const enabledSection = (problems: Problems, field: string, value: unknown, enabledByDefault = false): Section | undefined => {
  const found = section(problems, field, value)
  if (found === undefined) return undefined
  return readBoolean(problems, `${field}.enabled`, found["enabled"], enabledByDefault) === true ? found : undefined
}

const MAX_IDENTIFIER_LENGTH = 256

/**
 * Who a counter is kept for: `IP` (any case, also the default) the client address, `subscription` the APIM
 * subscription, `header:<name>` a request header, `claim:<name>` or `jwt:<name>` a claim of the validated JWT.
 * Anything else names one counter shared by every caller: that is how the ODA example's
 * `quota.identifier: test-identifier` is honoured.
 */
export const readCounterKey = (problems: Problems, field: string, value: unknown): CounterKey | undefined => {
  if (isAbsent(value)) return { _tag: "ClientIp" }
  if (typeof value !== "string")
    return problems.report(field, `must be a string such as "IP", "subscription", "header:<name>" or "claim:<name>", got ${describeValue(value)}`)
  const text = value.trim()
  if (hasControlCharacters(text)) return problems.report(field, `must not contain control characters, got ${describeValue(value)}`)
  if (text.length > MAX_IDENTIFIER_LENGTH)
    return problems.report(field, `must be at most ${MAX_IDENTIFIER_LENGTH} characters, got ${text.length}`)
  const lower = text.toLowerCase()
  if (text === "" || lower === "ip") return { _tag: "ClientIp" }
  if (lower === "subscription") return { _tag: "Subscription" }
  const colon = text.indexOf(":")
  if (colon < 0) return { _tag: "Constant", value: text }
  const prefix = lower.slice(0, colon)
  const name = text.slice(colon + 1).trim()
  if (prefix === "header") {
    if (isToken(name)) return { _tag: "Header", name }
    return problems.report(field, `must name a header after "header:" (letters, digits and !#$%&'*+-.^_\`|~), got ${describeValue(value)}`)
  }
  if (prefix === "claim" || prefix === "jwt") {
    if (name !== "" && !/\s/.test(name)) return { _tag: "JwtClaim", name }
    return problems.report(field, `must name a JWT claim after "${prefix}:" (no spaces), got ${describeValue(value)}`)
  }
  return { _tag: "Constant", value: text }
}

const INTERVALS: Readonly<Record<string, number>> = { ps: 1, pm: 60 }

export const readRateLimit = (problems: Problems, value: unknown): RateLimit | undefined => {
  const field = "spec.rateLimit"
  const found = enabledSection(problems, field, value)
  if (found === undefined) return undefined
  const key = readCounterKey(problems, `${field}.identifier`, found["identifier"])
  const calls = isAbsent(found["limit"])
    ? problems.report(`${field}.limit`, `is required when ${field}.enabled is true: the number of requests allowed per interval, e.g. "100"`)
    : readCount(problems, `${field}.limit`, found["limit"])
  const renewalPeriod = readInterval(problems, `${field}.interval`, found["interval"])
  if (key === undefined || calls === undefined || renewalPeriod === undefined) return undefined
  return { key, calls, renewalPeriod }
}

const readInterval = (problems: Problems, field: string, value: unknown): number | undefined => {
  if (isAbsent(value)) return INTERVALS["ps"]
  const seconds = typeof value === "string" ? INTERVALS[value.trim().toLowerCase()] : undefined
  return seconds ?? problems.report(field, `must be "ps" (per second) or "pm" (per minute), got ${describeValue(value)}`)
}

/**
 * `quota` has no `enabled` flag in the CRD: a quota with a limit is on. `enabled: false` (kept by the CRD's
 * preserve-unknown-fields) switches it off, and an empty `quota: {}` means none.
 */
export const readQuota = (problems: Problems, value: unknown, settings: SpecPolicySettings): Quota | undefined => {
  const field = "spec.quota"
  const found = enabledSection(problems, field, value, true)
  if (found === undefined) return undefined
  if (isAbsent(found["limit"])) {
    if (isAbsent(found["identifier"])) return undefined
    return problems.report(
      `${field}.limit`,
      `is required when ${field}.identifier is set: the number of requests allowed per renewal period, e.g. "1000"`
    )
  }
  const key = readCounterKey(problems, `${field}.identifier`, found["identifier"])
  const calls = readCount(problems, `${field}.limit`, found["limit"])
  if (key === undefined || calls === undefined) return undefined
  return { key, calls, renewalPeriod: settings.quotaRenewalPeriodSeconds }
}

/** A query parameter name that needs no escaping in a URL. */
const QUERY_NAME = /^[A-Za-z0-9\-._~]+$/

/**
 * `location` is `header` (the default) or `query`, and the key's name is the operator's setting; `header:<name>` or
 * `query:<name>` choose the name too (the CRD describes `location` as the "name of variable where API key value is
 * expected", which some gateways read as the header name).
 */
export const readApiKey = (problems: Problems, value: unknown, settings: SpecPolicySettings): ApiKey | undefined => {
  const field = "spec.apiKeyVerification"
  const found = enabledSection(problems, field, value)
  if (found === undefined) return undefined
  const location = found["location"]
  if (isAbsent(location)) return { location: "header", name: settings.apiKeyHeaderName }
  const text = typeof location === "string" ? location.trim() : ""
  const lower = text.toLowerCase()
  if (lower === "header") return { location: "header", name: settings.apiKeyHeaderName }
  if (lower === "query") return { location: "query", name: settings.apiKeyQueryName }
  const name = text.slice(text.indexOf(":") + 1).trim()
  if (lower.startsWith("header:") && isToken(name)) return { location: "header", name }
  if (lower.startsWith("query:") && QUERY_NAME.test(name)) return { location: "query", name }
  return problems.report(
    `${field}.location`,
    `must be "header" or "query", or "header:<name>" / "query:<name>" to choose the key's name, got ${describeValue(location)}`
  )
}

export const readOasValidation = (problems: Problems, value: unknown): OasValidation | undefined => {
  const field = "spec.OASValidation"
  const found = section(problems, field, value)
  if (found === undefined) return undefined
  const flag = (name: string) => readBoolean(problems, `${field}.${name}`, found[name], false)
  const flags = {
    request: flag("requestEnabled"),
    response: flag("responseEnabled"),
    allowUnspecifiedHeaders: flag("allowUnspecifiedHeaders"),
    allowUnspecifiedQueryParams: flag("allowUnspecifiedQueryParams"),
    allowUnspecifiedCookies: flag("allowUnspecifiedCookies")
  }
  const { request, response, allowUnspecifiedHeaders, allowUnspecifiedQueryParams, allowUnspecifiedCookies } = flags
  if (request === undefined || response === undefined || allowUnspecifiedHeaders === undefined) return undefined
  if (allowUnspecifiedQueryParams === undefined || allowUnspecifiedCookies === undefined) return undefined
  if (!request && !response) return undefined
  return { request, response, allowUnspecifiedHeaders, allowUnspecifiedQueryParams, allowUnspecifiedCookies }
}

/** APIM policy fragment ids: at most 80 characters; this alphabet needs no escaping in ids, XML or URLs. */
const FRAGMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export const readTemplate = (problems: Problems, value: unknown): string | undefined => {
  const field = "spec.template"
  const text = readText(problems, field, value, { what: "the name of an API Management policy fragment", maxLength: 80 })
  if (text === undefined || FRAGMENT_ID.test(text)) return text
  const hint = /^[a-z]+:\/\//i.test(text) ? " (a URL is not accepted: create the fragment in API Management and give its id)" : ""
  return problems.report(
    field,
    `must be the id of an API Management policy fragment (letters, digits, ".", "_" and "-"), got ${describeValue(value)}${hint}`
  )
}

const DEFAULT_ALLOW_HEADERS =
  "Origin, Accept, X-Requested-With, Content-Type, Access-Control-Request-Method, Access-Control-Request-Headers"
const DEFAULT_ALLOW_METHODS = "GET, POST, HEAD, OPTIONS"
const DEFAULT_MAX_AGE = 1800

export const readCors = (problems: Problems, value: unknown): Cors | undefined => {
  const field = "spec.CORS"
  const found = enabledSection(problems, field, value)
  if (found === undefined) return undefined
  const allowCredentials = readBoolean(problems, `${field}.allowCredentials`, found["allowCredentials"], false)
  const allowOrigins = readOrigins(problems, `${field}.allowOrigins`, found["allowOrigins"])
  const preflightField = `${field}.handlePreflightRequests`
  const preflightSection = section(problems, preflightField, found["handlePreflightRequests"]) ?? {}
  const handlePreflight = readBoolean(problems, `${preflightField}.enabled`, preflightSection["enabled"], true)
  const preflight = handlePreflight === true ? readPreflight(problems, preflightField, preflightSection) : undefined
  if (allowCredentials === true && allowOrigins?.includes("*") === true) {
    return problems.report(
      `${field}.allowCredentials`,
      `cannot be true while ${field}.allowOrigins allows any origin ("*"): ` +
        "browsers refuse credentials with a wildcard origin; list the allowed origins instead"
    )
  }
  if (allowCredentials === undefined || allowOrigins === undefined || handlePreflight === undefined) return undefined
  if (handlePreflight && preflight === undefined) return undefined
  return { allowCredentials, allowOrigins, ...(preflight === undefined ? {} : { preflight }) }
}

const readPreflight = (problems: Problems, field: string, found: Section): Preflight | undefined => {
  const headers = readCsv(problems, `${field}.allowHeaders`, found["allowHeaders"], DEFAULT_ALLOW_HEADERS)
  const methods = readCsv(problems, `${field}.allowMethods`, found["allowMethods"], DEFAULT_ALLOW_METHODS)
  const maxAge = readSeconds(problems, `${field}.maxAge`, found["maxAge"], DEFAULT_MAX_AGE)
  const badHeader = headers?.find((header) => header !== "*" && !isToken(header))
  if (badHeader !== undefined)
    return problems.report(`${field}.allowHeaders`, `must list header names or "*", got ${describeValue(badHeader)}`)
  const badMethod = methods?.find((method) => method !== "*" && !isToken(method))
  if (badMethod !== undefined)
    return problems.report(`${field}.allowMethods`, `must list HTTP methods such as GET or "*", got ${describeValue(badMethod)}`)
  if (headers === undefined || methods === undefined || maxAge === undefined) return undefined
  // Methods are case-sensitive tokens, but browsers upper-case the standard ones before comparing.
  return { allowHeaders: headers, allowMethods: [...new Set(methods.map((method) => method.toUpperCase()))], maxAge }
}

/** `*` alone means any origin (a `*` among other origins too); every other item must be a bare http(s) origin. */
const readOrigins = (problems: Problems, field: string, value: unknown): ReadonlyArray<string> | undefined => {
  const items = readCsv(problems, field, value, "*")
  if (items === undefined) return undefined
  if (items.includes("*")) return ["*"]
  const origins: Array<string> = []
  for (const item of items) {
    const origin = originOf(item)
    if (origin === undefined)
      return problems.report(
        field,
        `must list origins such as "https://app.example.com" (scheme, host and optional port, nothing else) or "*", got ${describeValue(item)}`
      )
    if (!origins.includes(origin)) origins.push(origin)
  }
  return origins
}

const originOf = (item: string): string | undefined => {
  if (!URL.canParse(item)) return undefined
  const url = new URL(item)
  const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === ""
  const http = url.protocol === "http:" || url.protocol === "https:"
  // API Management's cors policy has no wildcard subdomains: "https://*.example.com" would never match.
  return bare && http && !url.hostname.includes("*") && !item.includes("?") && !item.includes("#") ? url.origin : undefined
}
