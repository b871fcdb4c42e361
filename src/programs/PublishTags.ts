import { Effect, Option, Schema } from "effect"
import type { ApiIntent } from "../domain/ApiIntent.ts"
import { desiredTags, planTags } from "../domain/ApiTags.ts"
import { API_PUBLISHED } from "../domain/Conditions.ts"
import type { DriftMode } from "../domain/DriftMode.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { Apim } from "../services/Apim.ts"
import type { TagState } from "../services/ApimCatalog.ts"
import { convergeOnce } from "../services/KeyedLock.ts"
import { asFailure, type ConditionBook } from "./ExposedApiStatus.ts"
import { driftGate, type PieceDrift, writeReason } from "./PieceDrift.ts"

/** The tag ids status records as applied (`publication.tags`): what tells drift from a spec change. */
const recordedTags = (api: ExposedApi): Option.Option<ReadonlyArray<string>> => {
  const publication = api.status?.["publication"]
  const tags: unknown = typeof publication === "object" && publication !== null ? Reflect.get(publication, "tags") : undefined
  return Schema.decodeUnknownOption(Schema.Array(Schema.String))(tags)
}

const sameIds = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((id) => b.some((other) => other.toLowerCase() === id.toLowerCase()))

/**
 * The segment and Component tags on the API: one read of the API's tags when nothing changed; otherwise each
 * missing tag is read before it is created or renamed, then assigned, and the operator's stale tags detached.
 * Returns the tag ids to record as applied, and the drift found.
 */
export const publishTags = (api: ExposedApi, intent: ApiIntent, book: ConditionBook, driftMode: DriftMode) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const desired = desiredTags(intent)
    const applied = desired.map((tag) => tag.id)
    const unchanged = Option.exists(recordedTags(api), (recorded) => sameIds(recorded, applied))
    const gate = driftGate("tags", driftMode)
    const plan = planTags(desired, yield* apim.apiTags(intent.apiId))
    for (const tag of plan.ensure) {
      const differs = (existing: Option.Option<TagState>) => Option.isNone(existing) || existing.value.displayName !== tag.displayName
      // another reconcile of the same Component may be creating the tag at this very moment
      yield* convergeOnce(apim.oneAtATime, `tags/${tag.id}`, apim.getTag(tag.id), (existing) => !differs(existing), (existing) => {
        const renamed = Option.isSome(existing)
        return gate.allows(writeReason(unchanged, renamed), `tag ${tag.id} ${renamed ? "was renamed" : "is missing"}`)
          ? apim.putTag(tag.id, tag.displayName)
          : Effect.void
      })
      if (tag.assign && gate.allows(writeReason(unchanged, false), `tag ${tag.id} was taken off the API`)) yield* apim.assignTag(intent.apiId, tag.id)
    }
    for (const tagId of plan.detach) {
      if (gate.allows(writeReason(unchanged, true), `tag ${tagId} was put on the API`)) yield* apim.detachTag(intent.apiId, tagId)
    }
    if (plan.ensure.length > 0 || plan.detach.length > 0) {
      yield* Effect.logDebug("API tags converged").pipe(
        Effect.annotateLogs({ assigned: plan.ensure.filter((t) => t.assign).map((t) => t.id), detached: plan.detach })
      )
    }
    return { applied, drift: gate.found() } satisfies { readonly applied: ReadonlyArray<string>; readonly drift: ReadonlyArray<PieceDrift> }
  }).pipe(
    Effect.tapError((error) => Effect.sync(() => book.set(API_PUBLISHED, "False", error._tag, `tags of API ${intent.apiId}: ${error.message}`))),
    Effect.mapError(asFailure)
  )
