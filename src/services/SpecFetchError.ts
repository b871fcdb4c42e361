import { Schema } from "effect"

/**
 * Why a specification document could not be fetched. Each reason says whether waiting helps: the server or the
 * network may recover (retryable), while a refused URL, a 4xx or an oversized document needs someone to change the
 * ExposedAPI or the document first (the periodic resync notices when they did).
 */
export const SpecFetchReason = Schema.Literal(
  "InvalidUrl",
  "UnsupportedScheme",
  "CredentialsInUrl",
  "ForbiddenAddress",
  "NameNotResolved",
  "ConnectionFailed",
  "TlsFailed",
  "ProxyFailed",
  "Timeout",
  "TooLarge",
  "UnsupportedEncoding",
  "ClientError",
  "Unavailable",
  "UnexpectedStatus",
  "InvalidRedirect",
  "TooManyRedirects"
)
export type SpecFetchReason = typeof SpecFetchReason.Type

const retryableReasons: ReadonlySet<SpecFetchReason> = new Set<SpecFetchReason>([
  "NameNotResolved", // a Service created a moment ago resolves soon
  "ConnectionFailed",
  "ProxyFailed",
  "Timeout",
  "Unavailable"
])

export class SpecFetchError extends Schema.TaggedError<SpecFetchError>()("SpecFetchError", {
  reason: SpecFetchReason,
  /** The specification URL as the ExposedAPI gives it (credentials masked). */
  url: Schema.String,
  /** The hop that failed, when a redirect led elsewhere. */
  hopUrl: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number),
  message: Schema.String
}) {
  get retryable(): boolean {
    return retryableReasons.has(this.reason)
  }
}

/** A URL fit for messages and status: user information never leaves the process. */
export const displayUrl = (url: string): string => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (parsed === undefined || (parsed.username === "" && parsed.password === "")) return url
  parsed.username = "***"
  parsed.password = ""
  return parsed.href
}

/** Where a fetch stands, so every failure can name the specification URL and, after redirects, the hop. */
export interface FetchPosition {
  readonly url: string
  readonly hop: string
}

export const fetchFailure = (
  position: FetchPosition,
  reason: SpecFetchReason,
  problem: string,
  status?: number
): SpecFetchError => {
  const url = displayUrl(position.url)
  const hop = displayUrl(position.hop)
  const redirected = hop !== url
  return new SpecFetchError({
    reason,
    url,
    ...(redirected ? { hopUrl: hop } : {}),
    ...(status === undefined ? {} : { status }),
    message: redirected ? `specification URL ${url} redirected to ${hop}, which ${problem}` : `specification URL ${url} ${problem}`
  })
}
