import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { conditionOf, createSample, eventually, getExposedApi, GROUP, readySample, sampleSpec, untilReady, withOperator, type World } from "./World.ts"

const tagsOf = (world: World, name: string) => {
  const tags = world.azure.apim.entities.apiTags(apimApiId("default", name))
  return tags.ok ? tags.value.map((tag) => `${tag.name}=${String(tag.properties["displayName"])}`).sort() : []
}

describe("segment and Component as APIM tags, end to end", () => {
  it.live("tags the API, follows segment and Component changes, and leaves tags it did not set alone", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "catalog", "/catalog")
        expect(tagsOf(world, "catalog")).toEqual([
          "oda-component-r1-productcatalogmanagement=component:r1-productcatalogmanagement",
          "oda-segment-corefunction=segment:coreFunction"
        ])
        // someone else's tag on the same API
        world.azure.apim.entities.put("tags", "team-payments", { properties: { displayName: "team:payments" } })
        expect(world.azure.apim.entities.assignTag(apimApiId("default", "catalog"), "team-payments").ok).toBe(true)

        world.kube.objects.patch(`${GROUP}/v1`, "ExposedAPI", "default", "catalog", "merge", {
          metadata: { labels: { "oda.tmforum.org/componentName": "R2_Catalog" } },
          spec: { segment: "managementFunction" }
        })
        const moved = yield* eventually(Effect.sync(() => tagsOf(world, "catalog")), (tags) =>
          tags.some((t) => t.includes("segment:managementFunction")) && !tags.some((t) => t.includes("coreFunction") || t.includes("r1-productcatalogmanagement")))
        expect(moved).toHaveLength(3)
        expect(moved).toContain("oda-segment-managementfunction=segment:managementFunction")
        expect(moved).toContain("team-payments=team:payments")
        expect(moved.find((t) => t.startsWith("oda-component-"))).toMatch(/^oda-component-r2-catalog-[0-9a-f]{8}=component:R2_Catalog$/)
      })
    ))

  it.live("shares one tag between the APIs that carry it and renames it back when someone renames it", () =>
    withOperator({ resyncInterval: "300 millis" }, (world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "catalog", sampleSpec(world, "catalog", "/catalog"))
        yield* createSample(world, "default", "ordering", sampleSpec(world, "ordering", "/ordering"))
        yield* untilReady(world, "default", "catalog")
        yield* untilReady(world, "default", "ordering")
        expect(world.azure.apim.entities.list("tags").map((t) => t.name).sort()).toEqual([
          "oda-component-r1-productcatalogmanagement",
          "oda-segment-corefunction"
        ])
        world.azure.apim.entities.edit("tags", "oda-segment-corefunction", { displayName: "renamed" })
        yield* eventually(
          Effect.sync(() => world.azure.apim.entities.get("tags", "oda-segment-corefunction")?.properties["displayName"]),
          (name) => name === "segment:coreFunction"
        )
      })
    ))

  it.live("puts back a tag someone took off (drift mode correct), and only reports it in report-only", () =>
    withOperator({ resyncInterval: "300 millis" }, (world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "fixed", sampleSpec(world, "fixed", "/fixed"))
        yield* createSample(world, "default", "watched", sampleSpec(world, "watched", "/watched"))
        world.kube.objects.patch(`${GROUP}/v1`, "ExposedAPI", "default", "watched", "merge", { metadata: { annotations: { "oda.tmforum.org/drift-mode": "report-only" } } })
        yield* untilReady(world, "default", "fixed")
        yield* untilReady(world, "default", "watched")
        for (const name of ["fixed", "watched"]) world.azure.apim.entities.detachTag(apimApiId("default", name), "oda-segment-corefunction")
        yield* eventually(Effect.sync(() => tagsOf(world, "fixed")), (tags) => tags.includes("oda-segment-corefunction=segment:coreFunction"))
        const reported = yield* eventually(getExposedApi(world, "default", "watched"), (o) => conditionOf(o, "InSync")?.reason === "DriftDetected")
        expect(conditionOf(reported, "InSync")?.message).toContain("tag oda-segment-corefunction was taken off the API")
        expect(tagsOf(world, "watched")).toEqual(["oda-component-r1-productcatalogmanagement=component:r1-productcatalogmanagement"])
      })
    ))
  it.live("creates a shared tag once when the APIs that carry it are published together", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        // slow tag calls, so the three reconciles overlap on the tags they share
        world.azure.throttle.setLatency("tag.get", 150)
        world.azure.throttle.setLatency("tag.put", 150)
        const names = ["catalog", "ordering", "inventory"]
        yield* Effect.forEach(names, (name) => createSample(world, "default", name, sampleSpec(world, name, `/${name}`)), { concurrency: "unbounded" })
        yield* Effect.forEach(names, (name) => untilReady(world, "default", name), { concurrency: "unbounded" })
        const tagPuts = world.azure.logs.arm.entries()
          .filter((e) => e.method === "PUT" && /\/service\/[^/]+\/tags\/[^/]+$/.test(e.path))
          .map((e) => e.path.slice(e.path.lastIndexOf("/") + 1))
          .sort()
        expect(tagPuts).toEqual(["oda-component-r1-productcatalogmanagement", "oda-segment-corefunction"])
        for (const name of names) expect(tagsOf(world, name)).toHaveLength(2)
      })
    ))
})
