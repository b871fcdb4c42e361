import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { armWrites, deleteExposedApi, driftCounts, eventsFor, foreignPolicy, mergePatchExposedApi } from "./ControlFixtures.ts"
import { conditionOf, eventually, getExposedApi, GROUP, readySample, withOperator, type World, type WorldBody } from "./World.ts"

const apiId = apimApiId("default", "catalog")
const backend = "http://10.240.0.10/catalog"
const elsewhere = "http://elsewhere.example/catalog"

const apimApi = (world: World) => world.azure.apim.listApis().find((a) => a.name === apiId)
const apimPolicy = (world: World) => world.azure.apim.getApiPolicy(apiId)?.value ?? ""

/** Someone edits the API's backend and its policy in the portal. */
const editInPortal = (world: World) =>
  Effect.sync(() => {
    const api = world.azure.apim.editApi(apiId, { serviceUrl: elsewhere })
    const policy = world.azure.apim.editApiPolicy(apiId, foreignPolicy)
    expect(api.ok && policy.ok).toBe(true)
    expect(apimApi(world)?.properties["serviceUrl"]).toBe(elsewhere)
  })

/** The number of times the operator has read the API from APIM since the log was cleared. */
const apiReads = (world: World) => world.azure.logs.arm.entries().filter((e) => e.method === "GET" && e.path.endsWith(`/apis/${apiId}`)).length

/** Reconciles since the Kubernetes log was cleared: each starts by reading the ExposedAPI. */
const exposedApiReads = (world: World) =>
  world.kube.log.entries().filter((e) => e.method === "GET" && e.path.endsWith("/exposedapis/catalog")).length

/** Runs `body` once the sample API is published (then annotated) by an operator that resyncs often. */
const withPublished = <A, E>(annotations: Record<string, string>, body: WorldBody<A, E>) =>
  withOperator({ resyncInterval: "300 millis" }, (world) =>
    Effect.gen(function*() {
      yield* readySample(world, "default", "catalog", "/catalog")
      if (Object.keys(annotations).length > 0) yield* mergePatchExposedApi(world, "default", "catalog", { metadata: { annotations } })
      return yield* body(world)
    }))

describe("drift control", () => {
  it.live("correct (the default): an API and a policy edited in APIM are re-applied at the next resync, with Events and metrics", () =>
    withPublished({}, (world) =>
      Effect.gen(function*() {
        const before = { api: yield* driftCounts("api", "correct"), policy: yield* driftCounts("policy", "correct") }
        yield* editInPortal(world)
        yield* eventually(Effect.sync(() => apimApi(world)?.properties["serviceUrl"]), (url) => url === backend)
        yield* eventually(Effect.sync(() => apimPolicy(world)), (xml) => xml.includes("rate-limit-by-key") && !xml.includes("X-Edited"))
        yield* eventually(Effect.sync(() => eventsFor(world, "default", "catalog", "ApiDriftCorrected").length), (n) => n === 1)
        expect(eventsFor(world, "default", "catalog", "ApiDriftCorrected").map((e) => e["note"])).toEqual([
          `API ${apiId} differed from the spec in serviceUrl; re-applied`
        ])
        yield* eventually(Effect.sync(() => eventsFor(world, "default", "catalog", "PolicyDriftCorrected").length), (n) => n === 1)
        const after = { api: yield* driftCounts("api", "correct"), policy: yield* driftCounts("policy", "correct") }
        expect(after.api.found - before.api.found).toBe(1)
        expect(after.api.corrected - before.api.corrected).toBe(1)
        expect(after.policy.found - before.policy.found).toBe(1)
        expect(after.policy.corrected - before.policy.corrected).toBe(1)
        const object = yield* getExposedApi(world, "default", "catalog")
        expect(conditionOf(object, "InSync")).toMatchObject({ status: "True", reason: "InSync" })
        expect(conditionOf(object, "Ready")?.status).toBe("True")
      })
    ))

  it.live("report-only: the edits stay, InSync=False says what differs, one Warning Event; switching to correct re-applies", () =>
    withPublished({ "oda.tmforum.org/drift-mode": "report-only" }, (world) =>
      Effect.gen(function*() {
        yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "InSync")?.message.includes("report-only") === true)
        const before = yield* driftCounts("api", "report-only")
        yield* editInPortal(world)
        // a reconcile already under way may see one edit before the other: wait for the report naming both
        const reported = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => {
          const message = conditionOf(o, "InSync")?.message ?? ""
          return message.includes("serviceUrl") && message.includes("policy differs")
        })
        expect(conditionOf(reported, "InSync")).toMatchObject({ status: "False", reason: "DriftDetected" })
        expect(conditionOf(reported, "Ready")?.status).toBe("True") // the API is published; drift is a report
        const warnings = () => eventsFor(world, "default", "catalog", "DriftDetected")
        yield* eventually(Effect.sync(() => warnings().length), (n) => n >= 1)
        const reportedOnce = { warnings: warnings().length, found: (yield* driftCounts("api", "report-only")).found }
        expect(warnings().map((e) => e["type"])).toEqual(warnings().map(() => "Warning"))
        expect(reportedOnce.found - before.found).toBe(1)
        // several resyncs later: still as edited, never written, not reported again
        world.azure.logs.arm.clear()
        yield* eventually(Effect.sync(() => apiReads(world)), (n) => n >= 3)
        expect(apimApi(world)?.properties["serviceUrl"]).toBe(elsewhere)
        expect(apimPolicy(world)).toContain("X-Edited")
        expect(armWrites(world)).toEqual([])
        expect(warnings().length).toBe(reportedOnce.warnings)
        expect(warnings().every((e) => e["series"] === undefined)).toBe(true)
        expect((yield* driftCounts("api", "report-only")).found).toBe(reportedOnce.found)

        yield* mergePatchExposedApi(world, "default", "catalog", { metadata: { annotations: { "oda.tmforum.org/drift-mode": "correct" } } })
        yield* eventually(Effect.sync(() => apimApi(world)?.properties["serviceUrl"]), (url) => url === backend)
        yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "InSync")?.status === "True")
        expect(apimPolicy(world)).not.toContain("X-Edited")
      })
    ))

  it.live("report-only still applies a change of the spec", () =>
    withPublished({ "oda.tmforum.org/drift-mode": "report-only" }, (world) =>
      Effect.gen(function*() {
        yield* mergePatchExposedApi(world, "default", "catalog", { spec: { rateLimit: { enabled: true, identifier: "IP", limit: "7", interval: "pm" } } })
        yield* eventually(Effect.sync(() => apimPolicy(world)), (xml) => xml.includes(`calls="7"`))
        const object = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "Ready")?.observedGeneration === o.metadata.generation)
        expect(conditionOf(object, "InSync")?.status).toBe("True")
        expect(eventsFor(world, "default", "catalog", "DriftDetected")).toEqual([])
      })
    ))

  it.live("paused: hands off (no APIM call at all), the status says so; deleting still unpublishes", () =>
    withPublished({ "oda.tmforum.org/drift-mode": "paused" }, (world) =>
      Effect.gen(function*() {
        const paused = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "InSync")?.reason === "Paused")
        expect(conditionOf(paused, "InSync")?.status).toBe("Unknown")
        expect(conditionOf(paused, "InSync")?.message).toContain("annotation oda.tmforum.org/drift-mode")
        world.azure.logs.arm.clear()
        world.kube.log.clear()
        yield* editInPortal(world)
        // resyncs go by: each reads the ExposedAPI, and nothing else happens
        yield* eventually(Effect.sync(() => exposedApiReads(world)), (n) => n >= 3)
        expect(world.azure.logs.arm.entries().map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(apimApi(world)?.properties["serviceUrl"]).toBe(elsewhere)
        expect(apimPolicy(world)).toContain("X-Edited")

        yield* deleteExposedApi(world, "default", "catalog")
        yield* eventually(Effect.sync(() => world.kube.objects.get(`${GROUP}/v1`, "ExposedAPI", "default", "catalog")), (o) => o === undefined)
        expect(apimApi(world)).toBeUndefined()
      })
    ))

  it.live("an invalid drift-mode annotation is reported and nothing is written", () =>
    withPublished({ "oda.tmforum.org/drift-mode": "pause" }, (world) =>
      Effect.gen(function*() {
        const refused = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "Ready")?.reason === "InvalidDriftMode")
        expect(conditionOf(refused, "Ready")).toMatchObject({ status: "False", message: expect.stringContaining(`got "pause"`) })
        expect(eventsFor(world, "default", "catalog", "InvalidDriftMode").map((e) => e["type"])).toEqual(["Warning"])
        world.azure.logs.arm.clear()
        world.kube.log.clear()
        yield* editInPortal(world)
        yield* eventually(Effect.sync(() => exposedApiReads(world)), (n) => n >= 3)
        expect(world.azure.logs.arm.entries()).toEqual([])
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([]) // not even the Event again
        expect(apimApi(world)?.properties["serviceUrl"]).toBe(elsewhere)
      })
    ))
})
