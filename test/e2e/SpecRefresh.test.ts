import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { eventsFor } from "./ControlFixtures.ts"
import { createSample, eventually, getExposedApi, makeWorld, sampleSpec, untilReady } from "./World.ts"

const documentWith = (paths: ReadonlyArray<string>): string =>
  JSON.stringify({
    openapi: "3.0.1",
    info: { title: "Refreshed", version: "1.0.0" },
    paths: Object.fromEntries(
      paths.map((path) => [path, { get: { operationId: `get${path.replace(/\W/g, "")}`, responses: { "200": { description: "ok" } } } }])
    )
  })

const documentHashOf = (o: unknown): unknown => {
  const status = typeof o === "object" && o !== null ? Reflect.get(o, "status") : undefined
  const publication = typeof status === "object" && status !== null ? Reflect.get(status, "publication") : undefined
  return typeof publication === "object" && publication !== null ? Reflect.get(publication, "documentHash") : undefined
}

describe("a specification document changed behind an unchanged URL", () => {
  it.live("is fetched again after SPEC_REFRESH_INTERVAL and re-imported: new operations in APIM, a new documentHash in status", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        world.documents.set("refresh.json", documentWith(["/items"]))
        yield* world.startOperator({ resyncInterval: "300 millis", settings: { SPEC_REFRESH_INTERVAL: "200 millis" } })
        yield* createSample(world, "default", "catalog", {
          ...sampleSpec(world, "catalog", "/catalog"),
          specification: { url: `${world.documentsUrl}/refresh.json`, version: "1.0.0" }
        })
        const first = yield* untilReady(world, "default", "catalog")
        const apiId = apimApiId("default", "catalog")
        const operations = () => (world.azure.apim.listApis().find((a) => a.name === apiId)?.operations ?? []).length
        expect(operations()).toBe(1)
        const firstHash = documentHashOf(first)
        expect(typeof firstHash).toBe("string")

        world.documents.set("refresh.json", documentWith(["/items", "/orders", "/customers"]))
        yield* eventually(Effect.sync(operations), (n) => n === 3)
        const refreshed = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => documentHashOf(o) !== firstHash)
        expect(typeof documentHashOf(refreshed)).toBe("string")
        yield* eventually(Effect.sync(() => eventsFor(world, "default", "catalog", "ApiUpdated").map((e) => e["note"])), (notes) =>
          notes.includes(`API ${apiId} re-imported: its OpenAPI document changed`))
      })
    ))
})
