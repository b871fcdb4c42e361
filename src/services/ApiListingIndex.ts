import { Clock, Duration, Effect, Option } from "effect"
import type { TagState } from "./ApimCatalog.ts"
import type { ApimError } from "./ApimErrors.ts"

/**
 * What one listing ahead of a resync found for each API (its contract, its tags), so that checking an API that is
 * in order costs no read of its own: a resync reads each API's policy, and nothing else per API. Each API's entry
 * is handed out once (a later reconcile of it reads afresh) and only while younger than `maxAge`; writing or
 * deleting the API drops its entry. A change made in APIM after the listing is seen at the next resync.
 */
export interface ApiListingIndex<A> {
  /** Lists every API when `expected` APIs are about to be checked and that is worth a listing. */
  readonly prefetch: (expected: number) => Effect.Effect<void, ApimError>
  /** What the listing found for an API, once. */
  readonly take: (apiId: string) => Effect.Effect<Option.Option<A>>
  readonly forget: (apiId: string) => Effect.Effect<void>
}

/** Below this many APIs a resync reads each API itself: a listing also pages through APIs not ours. */
export const PREFETCH_FROM = 10

// API ids are case-insensitive in APIM
const keyOf = (apiId: string) => apiId.toLowerCase()

export const makeApiListingIndex = <A>(
  listAll: Effect.Effect<ReadonlyArray<readonly [apiId: string, entry: A]>, ApimError>,
  maxAge: Duration.Duration
): ApiListingIndex<A> => {
  let byApi = new Map<string, A>()
  let takenAt = 0
  return {
    prefetch: (expected) =>
      expected < PREFETCH_FROM ? Effect.void : Effect.gen(function*() {
        const startedAt = yield* Clock.currentTimeMillis
        const entries = yield* listAll
        byApi = new Map(entries.map(([apiId, entry]) => [keyOf(apiId), entry]))
        takenAt = startedAt
      }),
    take: (apiId) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const entry = byApi.get(keyOf(apiId))
        if (entry === undefined || now - takenAt > Duration.toMillis(maxAge)) return Option.none()
        byApi.delete(keyOf(apiId))
        return Option.some(entry)
      }),
    forget: (apiId) => Effect.sync(() => void byApi.delete(keyOf(apiId)))
  }
}

/** Whether an API id names a revision other than the current one (`orders;rev=2`): listings skip those. */
export const isOtherRevision = (apiId: string): boolean => apiId.includes(";rev=")

/** One row of APIM's tags-by-API listing: an API with one of its tags, or with none. */
export interface ApiTagRow {
  readonly apiId: string
  readonly tag: TagState | undefined
}

/** Each API's tags from the listing's rows, API ids compared without case; an untagged API has none. */
export const tagsByApi = (rows: ReadonlyArray<ApiTagRow>): ReadonlyArray<readonly [string, ReadonlyArray<TagState>]> => {
  const grouped = new Map<string, { readonly apiId: string; readonly tags: Array<TagState> }>()
  for (const row of rows) {
    const group = grouped.get(keyOf(row.apiId)) ?? { apiId: row.apiId, tags: [] }
    if (row.tag !== undefined) group.tags.push(row.tag)
    grouped.set(keyOf(row.apiId), group)
  }
  return [...grouped.values()].map((group) => [group.apiId, group.tags])
}
