import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, Ref, TestClock } from "effect"
import { type ApiTagRow, makeApiTagIndex, PREFETCH_FROM } from "../../src/services/ApiTagIndex.ts"

const rows: ReadonlyArray<ApiTagRow> = [
  { apiId: "Orders", tag: { id: "segment", displayName: "segment:core" } },
  { apiId: "orders", tag: { id: "component", displayName: "component:r1" } },
  { apiId: "untagged", tag: undefined }
]

const indexWithListings = Effect.gen(function*() {
  const listings = yield* Ref.make(0)
  const index = makeApiTagIndex(Ref.update(listings, (n) => n + 1).pipe(Effect.as(rows)), Duration.minutes(10))
  return { index, listings }
})

describe("ApiTagIndex", () => {
  it.effect("hands out each API's prefetched tags once, API ids compared without case, untagged APIs as none", () =>
    Effect.gen(function*() {
      const { index } = yield* indexWithListings
      yield* index.prefetch(PREFETCH_FROM)
      expect(yield* index.take("ORDERS")).toEqual(Option.some([{ id: "segment", displayName: "segment:core" }, { id: "component", displayName: "component:r1" }]))
      expect(yield* index.take("orders")).toEqual(Option.none())
      expect(yield* index.take("untagged")).toEqual(Option.some([]))
      expect(yield* index.take("unknown")).toEqual(Option.none())
    }))

  it.effect("lists nothing for fewer APIs than are worth a listing", () =>
    Effect.gen(function*() {
      const { index, listings } = yield* indexWithListings
      yield* index.prefetch(PREFETCH_FROM - 1)
      expect(yield* Ref.get(listings)).toBe(0)
      expect(yield* index.take("orders")).toEqual(Option.none())
    }))

  it.effect("forgets an API whose tags were written, and everything older than its maximum age", () =>
    Effect.gen(function*() {
      const { index } = yield* indexWithListings
      yield* index.prefetch(PREFETCH_FROM)
      yield* index.forget("Orders")
      expect(yield* index.take("orders")).toEqual(Option.none())
      yield* TestClock.adjust("11 minutes")
      expect(yield* index.take("untagged")).toEqual(Option.none())
    }))
})
