import { Clock, Duration, Effect, Option } from "effect"
import type { TagState } from "./ApimCatalog.ts"
import type { ApimError } from "./ApimErrors.ts"

/** One row of APIM's tags-by-API listing: an API with one of its tags, or with none. */
export interface ApiTagRow {
  readonly apiId: string
  readonly tag: TagState | undefined
}

/**
 * Every API's tags read in one paged listing ahead of a resync, so that checking an API's tags costs no read of
 * its own: a resync reads each API and its policy, and nothing else per API. Each API's tags are handed out once
 * (a later reconcile of it reads them afresh) and only while younger than `maxAge`; writing an API's tags drops
 * its entry.
 */
export interface ApiTagIndex {
  /** Lists every API's tags when `expected` APIs are about to be checked and that is worth a listing. */
  readonly prefetch: (expected: number) => Effect.Effect<void, ApimError>
  /** The prefetched tags of an API, once. */
  readonly take: (apiId: string) => Effect.Effect<Option.Option<ReadonlyArray<TagState>>>
  readonly forget: (apiId: string) => Effect.Effect<void>
}

/** Below this many APIs a resync reads each API's tags itself: the listing also pages through APIs not ours. */
export const PREFETCH_FROM = 10

export const makeApiTagIndex = (listAll: Effect.Effect<ReadonlyArray<ApiTagRow>, ApimError>, maxAge: Duration.Duration): ApiTagIndex => {
  // API ids are case-insensitive in APIM
  let byApi = new Map<string, Array<TagState>>()
  let takenAt = 0
  const keyOf = (apiId: string) => apiId.toLowerCase()
  return {
    prefetch: (expected) =>
      expected < PREFETCH_FROM ? Effect.void : Effect.gen(function*() {
        const startedAt = yield* Clock.currentTimeMillis
        const rows = yield* listAll
        const next = new Map<string, Array<TagState>>()
        for (const row of rows) {
          const tags = next.get(keyOf(row.apiId)) ?? []
          if (row.tag !== undefined) tags.push(row.tag)
          next.set(keyOf(row.apiId), tags)
        }
        byApi = next
        takenAt = startedAt
      }),
    take: (apiId) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const tags = byApi.get(keyOf(apiId))
        if (tags === undefined || now - takenAt > Duration.toMillis(maxAge)) return Option.none()
        byApi.delete(keyOf(apiId))
        return Option.some(tags)
      }),
    forget: (apiId) => Effect.sync(() => void byApi.delete(keyOf(apiId)))
  }
}
