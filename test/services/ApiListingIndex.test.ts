import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, Ref, TestClock } from "effect"
import { type ApiTagRow, makeApiListingIndex, PREFETCH_FROM, tagsByApi } from "../../src/services/ApiListingIndex.ts"

const rows: ReadonlyArray<ApiTagRow> = [
  { apiId: "Orders", tag: { id: "segment", displayName: "segment:core" } },
  { apiId: "orders", tag: { id: "component", displayName: "component:r1" } },
  { apiId: "untagged", tag: undefined }
]

const indexWithListings = Effect.gen(function*() {
  const listings = yield* Ref.make(0)
  const index = makeApiListingIndex(Ref.update(listings, (n) => n + 1).pipe(Effect.as(tagsByApi(rows))), Duration.minutes(10))
  return { index, listings }
})

describe("ApiListingIndex", () => {
  it("groups the tags-by-API rows per API, API ids compared without case, an untagged API with none", () => {
    expect(tagsByApi(rows)).toEqual([
      ["Orders", [{ id: "segment", displayName: "segment:core" }, { id: "component", displayName: "component:r1" }]],
      ["untagged", []]
    ])
  })

  it.effect("hands out what was listed for each API once, API ids compared without case", () =>
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

  it.effect("a new listing replaces the last one whole", () =>
    Effect.gen(function*() {
      const listing = yield* Ref.make<ReadonlyArray<readonly [string, number]>>([["a", 1], ["b", 2]])
      const index = makeApiListingIndex(Ref.get(listing), Duration.minutes(10))
      yield* index.prefetch(PREFETCH_FROM)
      yield* Ref.set(listing, [["a", 3]])
      yield* index.prefetch(PREFETCH_FROM)
      expect(yield* index.take("b")).toEqual(Option.none())
      expect(yield* index.take("a")).toEqual(Option.some(3))
    }))

  it.effect("forgets an API that was written, and everything older than its maximum age", () =>
    Effect.gen(function*() {
      const { index } = yield* indexWithListings
      yield* index.prefetch(PREFETCH_FROM)
      yield* index.forget("Orders")
      expect(yield* index.take("orders")).toEqual(Option.none())
      yield* TestClock.adjust("11 minutes")
      expect(yield* index.take("untagged")).toEqual(Option.none())
    }))
})
