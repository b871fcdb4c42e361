import { createHash } from "node:crypto"
import { Clock, Context, Deferred, Duration, Effect, Either, Exit, Layer, type Scope } from "effect"
import { VERSION } from "../Version.ts"
import { OperatorConfig } from "./OperatorConfig.ts"
import { noProxySettings, type ProxySettings } from "./ProxyRoute.ts"
import { fetchBody } from "./SpecFetch.ts"
import type { SpecFetchError } from "./SpecFetchError.ts"

/**
 * Specification documents (OpenAPI / Swagger) fetched under guards, and kept for a while: 10,000 ExposedAPIs that
 * share a handful of URLs cost a handful of fetches per refresh interval, and concurrent reconciles of the same
 * URL share one fetch. After the interval the next `get` fetches again, so a document changed behind an unchanged
 * URL shows up as a new `sha256` at the next resync.
 */

export interface FetchedDocument {
  /** The URL asked for. */
  readonly url: string
  /** Where the document was finally found, after redirects. */
  readonly finalUrl: string
  readonly text: string
  /** SHA-256 of the body's bytes (after Content-Encoding), hex. */
  readonly sha256: string
  readonly bytes: number
  readonly fetchedAt: Date
  readonly contentType?: string
}

export interface SpecSourceApi {
  /** Fetches now, bypassing the cache. */
  readonly fetch: (url: string) => Effect.Effect<FetchedDocument, SpecFetchError>
  /** The cached document while younger than the refresh interval; otherwise fetches (one fetch per URL at a time). */
  readonly get: (url: string) => Effect.Effect<FetchedDocument, SpecFetchError>
  /** Forgets a URL, so the next `get` fetches it. */
  readonly invalidate: (url: string) => Effect.Effect<void>
}

export class SpecSource extends Context.Tag("oda/SpecSource")<SpecSource, SpecSourceApi>() {}

export interface SpecSourceOptions {
  readonly timeout: Duration.DurationInput
  readonly maxBytes: number
  readonly allowLoopback: boolean
  readonly refreshInterval: Duration.DurationInput
  /** Bounds of the cache: least recently used documents go first. */
  readonly cacheEntries: number
  readonly cacheBytes: number
  readonly proxy?: ProxySettings | undefined
  /** Extra CA certificates (PEM) to trust besides Node's own. */
  readonly caPem?: string | undefined
}

export const USER_AGENT = `oda-apim-operator/${VERSION}`

const charsetOf = (contentType: string | undefined): string => /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? "")?.[1] ?? "utf-8"

/** The body as text in its declared charset; an unknown charset reads as UTF-8, which OpenAPI requires anyway. */
const decodeText = (bytes: Uint8Array, contentType: string | undefined): string =>
  Either.try(() => new TextDecoder(charsetOf(contentType))).pipe(
    Either.getOrElse(() => new TextDecoder("utf-8")),
    (decoder) => decoder.decode(bytes)
  )

interface Slot {
  readonly result: Deferred.Deferred<FetchedDocument, SpecFetchError>
  /** Clock millis when the document arrived; undefined while the fetch is in flight. */
  loadedAt: number | undefined
  bytes: number
}

export const make = (options: SpecSourceOptions): Effect.Effect<SpecSourceApi, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const refreshMillis = Duration.toMillis(options.refreshInterval)
    const fetchOptions = {
      timeout: options.timeout,
      maxBytes: options.maxBytes,
      allowLoopback: options.allowLoopback,
      proxy: options.proxy ?? noProxySettings,
      userAgent: USER_AGENT,
      caPem: options.caPem
    }

    const fetch: SpecSourceApi["fetch"] = (url) =>
      fetchBody(url, fetchOptions).pipe(
        Effect.flatMap((body) =>
          Effect.map(Clock.currentTimeMillis, (now): FetchedDocument => ({
            url,
            finalUrl: body.finalUrl,
            text: decodeText(body.bytes, body.contentType),
            sha256: createHash("sha256").update(body.bytes).digest("hex"),
            bytes: body.bytes.byteLength,
            fetchedAt: new Date(now),
            ...(body.contentType === undefined ? {} : { contentType: body.contentType })
          }))
        ),
        Effect.tap((document) =>
          Effect.logDebug("fetched specification document").pipe(
            Effect.annotateLogs({ url: document.url, finalUrl: document.finalUrl, bytes: document.bytes, sha256: document.sha256 })
          )
        ),
        Effect.withSpan("SpecSource.fetch")
      )

    // Map order is recency: the first entry is the least recently used. Touched only in synchronous blocks.
    const slots = new Map<string, Slot>()
    let cachedBytes = 0

    const drop = (url: string, slot: Slot): void => {
      if (slots.get(url) !== slot) return
      slots.delete(url)
      cachedBytes -= slot.bytes
    }

    const evictBeyondBounds = (): void => {
      for (const [url, slot] of slots) {
        if (slots.size <= options.cacheEntries && cachedBytes <= options.cacheBytes) return
        drop(url, slot)
      }
    }

    const settle = (url: string, slot: Slot, exit: Exit.Exit<FetchedDocument, SpecFetchError>): void => {
      if (Exit.isFailure(exit)) return drop(url, slot) // failures are not kept: the next get tries again
      if (slots.get(url) !== slot) return // evicted or invalidated while in flight
      slot.loadedAt = exit.value.fetchedAt.getTime()
      slot.bytes = exit.value.bytes
      cachedBytes += slot.bytes
      evictBeyondBounds()
    }

    // Runs in the service's scope, not the caller's fiber: one caller giving up does not cancel the others' fetch.
    const load = (url: string, slot: Slot) =>
      fetch(url).pipe(
        Effect.exit,
        Effect.tap((exit) => Effect.sync(() => settle(url, slot, exit))),
        Effect.flatMap((exit) => Deferred.done(slot.result, exit)),
        Effect.onInterrupt(() => Deferred.interrupt(slot.result)),
        Effect.forkIn(scope)
      )

    const get: SpecSourceApi["get"] = (url) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const candidate: Slot = { result: yield* Deferred.make<FetchedDocument, SpecFetchError>(), loadedAt: undefined, bytes: 0 }
        const slot = yield* Effect.sync(() => {
          const existing = slots.get(url)
          if (existing !== undefined && (existing.loadedAt === undefined || now - existing.loadedAt < refreshMillis)) {
            slots.delete(url)
            slots.set(url, existing)
            return existing
          }
          if (existing !== undefined) drop(url, existing)
          slots.set(url, candidate)
          evictBeyondBounds()
          return candidate
        })
        if (slot === candidate) yield* load(url, slot)
        return yield* Deferred.await(slot.result)
      }).pipe(Effect.withSpan("SpecSource.get"))

    const invalidate: SpecSourceApi["invalidate"] = (url) =>
      Effect.sync(() => {
        const slot = slots.get(url)
        if (slot !== undefined) drop(url, slot)
      })

    return { fetch, get, invalidate }
  })

/** The service with explicit options (tests, tools). */
export const layerWith = (options: SpecSourceOptions): Layer.Layer<SpecSource> => Layer.scoped(SpecSource, make(options))

/** The service as the operator configures it (OperatorConfig `specFetch`). */
export const layer: Layer.Layer<SpecSource, never, OperatorConfig> = Layer.scoped(
  SpecSource,
  Effect.flatMap(OperatorConfig, (config) => make(config.specFetch))
)
