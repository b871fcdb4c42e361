import * as http from "node:http"
import * as https from "node:https"
import { isIP, type Socket } from "node:net"
import type { Readable } from "node:stream"
import * as tls from "node:tls"
import * as zlib from "node:zlib"
import { Duration, Effect } from "effect"
import { AddressRefused, bareHost, checkThroughProxy, describeAddressKind, forbiddenKind, guardedLookup, isMetadataName } from "./AddressGuard.ts"
import { openTunnel, proxyAuthorization, proxyEndpoint, proxyFor, ProxyRefused, type ProxySettings } from "./ProxyRoute.ts"
import { displayUrl, type FetchPosition, fetchFailure, type SpecFetchError } from "./SpecFetchError.ts"

/**
 * One guarded GET of a specification document: http(s) only, no credentials in the URL, the address checked after
 * resolution on every hop, redirects followed by hand (at most MAX_REDIRECTS, never from https down to http), the
 * body streamed and cut off at `maxBytes`, the whole chain under one timeout.
 */

export const MAX_REDIRECTS = 5

export interface FetchOptions {
  readonly timeout: Duration.DurationInput
  readonly maxBytes: number
  readonly allowLoopback: boolean
  readonly proxy: ProxySettings
  readonly userAgent: string
  /** Extra CA certificates (PEM) trusted besides Node's own: a private PKI, or the tests' server. */
  readonly caPem?: string | undefined
}

export interface FetchedBody {
  readonly finalUrl: string
  readonly bytes: Buffer
  readonly contentType: string | undefined
}

type HopOutcome =
  | { readonly kind: "body"; readonly bytes: Buffer; readonly contentType: string | undefined }
  | { readonly kind: "redirect"; readonly status: number; readonly location: string | undefined }
  | { readonly kind: "status"; readonly status: number; readonly statusText: string }
  | { readonly kind: "tooLarge"; readonly declared: number | undefined }
  | { readonly kind: "unsupportedEncoding"; readonly encoding: string }

const ACCEPT = "application/json, application/yaml, text/yaml, */*;q=0.1"
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

const decoderFor = (encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | "identity" | undefined => {
  if (encoding === "" || encoding === "identity") return "identity"
  if (encoding === "gzip" || encoding === "x-gzip") return zlib.createGunzip()
  if (encoding === "deflate") return zlib.createInflate()
  if (encoding === "br") return zlib.createBrotliDecompress()
  return undefined
}

/** Reads at most `maxBytes` of the decoded body; undefined as soon as it would be more. */
const readCapped = async (response: http.IncomingMessage, maxBytes: number): Promise<HopOutcome> => {
  const encoding = (response.headers["content-encoding"] ?? "").trim().toLowerCase()
  const decoder = decoderFor(encoding)
  if (decoder === undefined) return { kind: "unsupportedEncoding", encoding }
  const source: Readable = decoder === "identity" ? response : response.pipe(decoder)
  if (decoder !== "identity") response.once("error", (error) => decoder.destroy(error))
  const chunks: Array<Buffer> = []
  let total = 0
  for await (const chunk of source) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    total += buffer.byteLength
    if (total > maxBytes) return { kind: "tooLarge", declared: undefined } // leaving the loop destroys the stream
    chunks.push(buffer)
  }
  return { kind: "body", bytes: Buffer.concat(chunks), contentType: response.headers["content-type"] }
}

const outcomeOf = (response: http.IncomingMessage, maxBytes: number): Promise<HopOutcome> => {
  const status = response.statusCode ?? 0
  if (REDIRECTS.has(status)) return Promise.resolve({ kind: "redirect", status, location: response.headers.location })
  if (status < 200 || status >= 300) {
    return Promise.resolve({ kind: "status", status, statusText: response.statusMessage ?? http.STATUS_CODES[status] ?? "" })
  }
  const declared = Number(response.headers["content-length"] ?? Number.NaN)
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: "tooLarge", declared })
  return readCapped(response, maxBytes)
}

const whenResponded = (request: http.ClientRequest, maxBytes: number): Promise<HopOutcome> =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once("response", resolve)
    request.once("error", reject)
    request.end()
  }).then((response) =>
    // agent-less connection: nothing to keep alive, and nothing more worth reading
    outcomeOf(response, maxBytes).finally(() => response.destroy())
  )

/** One request, straight to the checked address or through the configured proxy. */
const exchange = async (target: URL, options: FetchOptions, signal: AbortSignal): Promise<HopOutcome> => {
  const policy = { allowLoopback: options.allowLoopback }
  const host = bareHost(target.hostname)
  const path = `${target.pathname}${target.search}`
  const headers = { "user-agent": options.userAgent, accept: ACCEPT, "accept-encoding": "gzip, deflate, br" }
  const ca = options.caPem === undefined ? undefined : [...tls.rootCertificates, options.caPem]
  const tlsOptions = { ...(ca === undefined ? {} : { ca }), ...(isIP(host) === 0 ? { servername: host } : {}) }
  const proxy = proxyFor(target, options.proxy)
  if (proxy === undefined) {
    const direct = { host, port: target.port, path, headers, agent: false, lookup: guardedLookup(policy), signal } as const
    const request = target.protocol === "https:" ? https.request({ ...direct, ...tlsOptions }) : http.request(direct)
    return whenResponded(request, options.maxBytes)
  }
  const refused = await checkThroughProxy(host, policy)
  if (refused !== undefined) throw refused
  if (target.protocol === "http:") {
    const absolute = `${target.origin}${path}`
    const request = http.request({
      ...proxyEndpoint(proxy),
      path: absolute,
      headers: { ...headers, host: target.host, ...proxyAuthorization(proxy) },
      agent: false,
      signal
    })
    return whenResponded(request, options.maxBytes)
  }
  const tunnel = await openTunnel(proxy, target, signal)
  const secured: Socket = tls.connect({ socket: tunnel, host, ...tlsOptions })
  const request = http.request({ host, path, headers: { ...headers, host: target.host }, createConnection: () => secured, signal })
  return whenResponded(request, options.maxBytes).finally(() => {
    secured.destroy()
    tunnel.destroy() // and the tunnel it runs over, whatever state the handshake left it in
  })
}

const errorCode = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : undefined

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_)/

const transportFailure = (position: FetchPosition, target: URL, cause: unknown): SpecFetchError => {
  if (cause instanceof AddressRefused) return fetchFailure(position, "ForbiddenAddress", `is refused: ${cause.message}`)
  if (cause instanceof ProxyRefused) return fetchFailure(position, "ProxyFailed", `could not be fetched through the proxy: ${cause.message}`, cause.status)
  const code = errorCode(cause) ?? ""
  const detail = cause instanceof Error && cause.message !== "" ? cause.message : code
  if (["ENOTFOUND", "EAI_AGAIN", "EAI_NODATA", "EAI_FAIL", "ENODATA"].includes(code)) {
    return fetchFailure(position, "NameNotResolved", `names a host that does not resolve: ${target.hostname}`)
  }
  if (TLS_CODES.test(code)) return fetchFailure(position, "TlsFailed", `failed TLS: ${detail}`)
  if (code.startsWith("Z_")) return fetchFailure(position, "UnsupportedEncoding", `sent a body that does not decode as its Content-Encoding: ${detail}`)
  return fetchFailure(position, "ConnectionFailed", `could not be reached: ${detail}`)
}

/** The checks a URL must pass before any connection: scheme, credentials, metadata names, literal addresses. */
const checkTarget = (position: FetchPosition, target: URL, allowLoopback: boolean): Effect.Effect<void, SpecFetchError> => {
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return Effect.fail(fetchFailure(position, "UnsupportedScheme", `uses ${target.protocol}; only http: and https: documents are fetched`))
  }
  if (target.username !== "" || target.password !== "") {
    return Effect.fail(fetchFailure(position, "CredentialsInUrl", "carries credentials; serve the document without them (they would end up in status and logs)"))
  }
  const host = bareHost(target.hostname)
  if (host === "") return Effect.fail(fetchFailure(position, "InvalidUrl", "has no host"))
  if (isMetadataName(host)) return Effect.fail(fetchFailure(position, "ForbiddenAddress", `is refused: ${host} is ${describeAddressKind("metadata")}`))
  const kind = isIP(host) === 0 ? undefined : forbiddenKind(host, { allowLoopback })
  return kind === undefined ? Effect.void : Effect.fail(fetchFailure(position, "ForbiddenAddress", `is refused: ${host} is ${describeAddressKind(kind)}`))
}

const follow = (position: FetchPosition, target: URL, redirects: number, options: FetchOptions): Effect.Effect<FetchedBody, SpecFetchError> =>
  Effect.gen(function*() {
    yield* checkTarget(position, target, options.allowLoopback)
    const outcome = yield* Effect.tryPromise({
      try: (signal) => exchange(target, options, signal),
      catch: (cause) => transportFailure(position, target, cause)
    })
    switch (outcome.kind) {
      case "body":
        return { finalUrl: target.href, bytes: outcome.bytes, contentType: outcome.contentType }
      case "tooLarge":
        return yield* Effect.fail(fetchFailure(
          position,
          "TooLarge",
          `${outcome.declared === undefined ? "is" : `declares ${outcome.declared} bytes,`} larger than the ${options.maxBytes} bytes accepted (SPEC_MAX_BYTES)`
        ))
      case "unsupportedEncoding":
        return yield* Effect.fail(fetchFailure(position, "UnsupportedEncoding", `answered with Content-Encoding ${outcome.encoding}, which the operator cannot decode`))
      case "status":
        return yield* Effect.fail(statusFailure(position, outcome.status, outcome.statusText))
      case "redirect": {
        const { location, status } = outcome
        if (location === undefined) return yield* Effect.fail(fetchFailure(position, "UnexpectedStatus", `answered ${status} without a Location`, status))
        if (redirects >= MAX_REDIRECTS) {
          return yield* Effect.fail(fetchFailure(position, "TooManyRedirects", `redirects more than ${MAX_REDIRECTS} times`, status))
        }
        if (!URL.canParse(location, target.href)) {
          return yield* Effect.fail(fetchFailure(position, "InvalidRedirect", `redirects to an invalid URL: ${location}`, status))
        }
        const next = new URL(location, target)
        if (target.protocol === "https:" && next.protocol === "http:") {
          return yield* Effect.fail(fetchFailure(position, "InvalidRedirect", `redirects from https to ${next.href}: the document must stay on https`, status))
        }
        return yield* follow({ url: position.url, hop: next.href }, next, redirects + 1, options)
      }
    }
  })

const statusFailure = (position: FetchPosition, status: number, statusText: string): SpecFetchError => {
  const problem = `answered ${status}${statusText === "" ? "" : ` ${statusText}`}`
  if (status >= 500 || status === 408 || status === 429) return fetchFailure(position, "Unavailable", problem, status)
  if (status >= 400) return fetchFailure(position, "ClientError", problem, status)
  return fetchFailure(position, "UnexpectedStatus", problem, status)
}

/** Fetches the document at `url`, following redirects, under every guard. */
export const fetchBody = (url: string, options: FetchOptions): Effect.Effect<FetchedBody, SpecFetchError> => {
  const position = { url, hop: url }
  if (!URL.canParse(url)) return Effect.fail(fetchFailure(position, "InvalidUrl", "is not an absolute URL"))
  return follow(position, new URL(url), 0, options).pipe(
    Effect.timeoutFail({
      duration: options.timeout,
      onTimeout: () => fetchFailure(position, "Timeout", `did not deliver its document within ${Duration.format(options.timeout)} (SPEC_FETCH_TIMEOUT)`)
    }),
    Effect.withSpan("SpecFetch.fetchBody", { attributes: { url: displayUrl(url) } })
  )
}
