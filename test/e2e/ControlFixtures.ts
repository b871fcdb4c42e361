import { Effect, Metric, MetricState } from "effect"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { driftCorrected, driftFound } from "../../src/Metrics.ts"
import { eventually, getExposedApi, GROUP, type World } from "./World.ts"

export const mergePatchExposedApi = (world: World, namespace: string, name: string, body: JsonObject) =>
  Effect.sync(() => world.kube.objects.patch(`${GROUP}/v1`, "ExposedAPI", namespace, name, "merge", body))

export const deleteExposedApi = (world: World, namespace: string, name: string) =>
  Effect.promise(() => world.custom.deleteNamespacedCustomObject({ group: GROUP, version: "v1", namespace, plural: "exposedapis", name }))

export const uidOf = (world: World, namespace: string, name: string) =>
  getExposedApi(world, namespace, name).pipe(Effect.map((o) => String(Reflect.get(o.metadata, "uid"))))

/** Events about `name` with `reason`. */
export const eventsFor = (world: World, namespace: string, name: string, reason: string): ReadonlyArray<JsonObject> =>
  world.kube.objects.list("events.k8s.io/v1", "Event", namespace).filter((e) => {
    const regarding = e["regarding"]
    return e["reason"] === reason && typeof regarding === "object" && regarding !== null && Reflect.get(regarding, "name") === name
  })

/** The drift counters for one piece and mode (process-wide: compare before and after). */
export const driftCounts = (piece: "api" | "policy", mode: string) =>
  Effect.gen(function*() {
    const read = (metric: typeof driftFound) =>
      Metric.value(Metric.tagged(Metric.tagged(metric, "piece", piece), "mode", mode)).pipe(
        Effect.map((state) => (MetricState.isCounterState(state) ? Number(state.count) : 0))
      )
    return { found: yield* read(driftFound), corrected: yield* read(driftCorrected) }
  })

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"])

/** ARM writes (method and path) since the log was cleared. */
export const armWrites = (world: World): ReadonlyArray<string> =>
  world.azure.logs.arm.entries().filter((e) => WRITES.has(e.method)).map((e) => `${e.method} ${e.path}`)

/**
 * Clears both request logs, then waits until `resyncDone` says a resync has gone through every API. Chained, each
 * window starts right after a resync completes, so none begins in the middle of one.
 */
export const oneResync = (world: World, resyncDone: Effect.Effect<boolean>) =>
  Effect.sync(() => {
    world.kube.log.clear()
    world.azure.logs.arm.clear()
  }).pipe(Effect.zipRight(eventually(resyncDone, (done) => done, "10 seconds")))

/** A valid APIM policy that differs from anything the operator writes. */
export const foreignPolicy =
  `<policies><inbound><base /><set-header name="X-Edited" exists-action="override"><value>by hand</value></set-header></inbound>` +
  `<backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`

/** Waits until neither emulator has received a request for a few polls in a row. */
export const quiescent = (world: World) => {
  const requests = () => world.kube.log.entries().length + world.azure.logs.arm.entries().length
  const idle = Effect.gen(function*() {
    let last = requests()
    for (let calm = 0; calm < 3;) {
      yield* Effect.sleep("100 millis")
      const now = requests()
      calm = now === last ? calm + 1 : 0
      last = now
    }
  })
  return idle.pipe(Effect.timeout("10 seconds"), Effect.orDie)
}
