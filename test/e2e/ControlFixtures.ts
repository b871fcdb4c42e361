import { Effect, Metric, MetricState } from "effect"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { driftCorrected, driftFound } from "../../src/Metrics.ts"
import { getExposedApi, GROUP, type World } from "./World.ts"

/** The implementation: a Service (with a pod selector unless told otherwise) and one ready endpoint. */
export const createImplementation = (
  world: World,
  namespace: string,
  service: string,
  spec: { readonly selector?: Readonly<Record<string, string>>; readonly ports: ReadonlyArray<{ readonly name?: string; readonly port: number; readonly targetPort?: number | string }> }
) =>
  Effect.promise(async () => {
    await world.core.createNamespacedService({
      namespace,
      body: { metadata: { name: service }, spec: { ...(spec.selector === undefined ? {} : { selector: { ...spec.selector } }), ports: spec.ports.map((p) => ({ ...p })) } }
    })
    await world.discovery.createNamespacedEndpointSlice({
      namespace,
      body: {
        metadata: { name: `${service}-abc`, labels: { "kubernetes.io/service-name": service } },
        addressType: "IPv4",
        endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready: true } }],
        ports: [{ port: spec.ports[0]?.port ?? 8080 }]
      }
    })
  })

/** An ExposedAPI through client-node, with the metadata a test needs (annotations, owner references). */
export const createExposedApiWith = (
  world: World,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: { readonly annotations?: Record<string, string>; readonly ownerReferences?: ReadonlyArray<Record<string, unknown>> } = {}
) =>
  Effect.promise(() =>
    world.custom.createNamespacedCustomObject({
      group: GROUP,
      version: "v1",
      namespace,
      plural: "exposedapis",
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: "ExposedAPI",
        metadata: { name, labels: { "oda.tmforum.org/componentName": "r1-productcatalogmanagement" }, ...metadata },
        spec
      }
    })
  )

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

/** A valid APIM policy that differs from anything the operator writes. */
export const foreignPolicy =
  `<policies><inbound><base /><set-header name="X-Edited" exists-action="override"><value>by hand</value></set-header></inbound>` +
  `<backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`
