import { describe, expect, it } from "@effect/vitest"
import * as k8s from "@kubernetes/client-node"
import { Effect, Exit, Fiber, Option, Queue, Schedule, Stream } from "effect"
import { kubeEmulator, type KubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { informer, type InformerEvent } from "../../src/services/Informer.ts"
import { ExposedApis, Ingresses, Secrets } from "../../src/services/KubeResources.ts"
import { Kubernetes, layer } from "../../src/services/Kubernetes.ts"
import { odaCrd } from "../emulators/kube/Harness.ts"

/** A fresh emulator per test, the ODA CRD installed, and the service over a client-node KubeConfig. */
const withCluster = <A, E>(test: (emulator: KubeEmulator) => Effect.Effect<A, E, Kubernetes>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const emulator = yield* kubeEmulator()
      const kc = new k8s.KubeConfig()
      kc.loadFromString(emulator.kubeconfig())
      yield* Effect.promise(() => kc.makeApiClient(k8s.ApiextensionsV1Api).createCustomResourceDefinition({ body: odaCrd() }))
      return yield* test(emulator).pipe(Effect.provide(layer(kc)))
    })
  )

const exposedApi = (name: string) => ({
  apiVersion: "oda.tmforum.org/v1",
  kind: "ExposedAPI",
  metadata: { name },
  spec: { name, apiType: "openapi", implementation: "svc", path: `/${name}`, port: 8080 }
})

describe("Kubernetes service", () => {
  it.live("reads, writes and classifies failures of custom and built-in resources", () =>
    withCluster((emulator) =>
      Effect.gen(function*() {
        const kube = yield* Kubernetes
        expect(Option.isNone(yield* kube.get(ExposedApis, "default", "missing"))).toBe(true)
        const created = yield* kube.create(ExposedApis, "default", exposedApi("a"))
        expect(created.metadata.generation).toBe(1)
        const patched = yield* kube.patch(ExposedApis, "default", "a", {
          type: "merge",
          body: { metadata: { resourceVersion: created.metadata.resourceVersion, finalizers: ["oda.tmforum.org/test"] } }
        })
        expect(patched.metadata.finalizers).toEqual(["oda.tmforum.org/test"])
        const stale = yield* kube.patch(ExposedApis, "default", "a", {
          type: "merge",
          body: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { port: 1 } }
        }).pipe(Effect.flip)
        expect(stale._tag).toBe("KubeConflict")
        const invalid = yield* kube.create(ExposedApis, "default", { ...exposedApi("b"), spec: { name: "b" } }).pipe(Effect.flip)
        expect(invalid._tag).toBe("KubeRejected")
        expect(invalid.message).toContain("spec.path: Required value")
        emulator.faults.failNext(1, 503)
        const unavailable = yield* kube.list(ExposedApis, { namespace: "default" }).pipe(Effect.flip)
        expect(unavailable._tag).toBe("KubeUnavailable")
        const secret = yield* kube.create(Secrets, "default", { apiVersion: "v1", kind: "Secret", metadata: { name: "keys" }, stringData: { primary: "p" } })
        expect(secret["data"]).toEqual({ primary: Buffer.from("p").toString("base64") })
        expect(yield* kube.delete(Ingresses, "default", "none")).toBe(false)
        expect(yield* kube.delete(Secrets, "default", "keys")).toBe(true)
        expect(yield* kube.hasStatusSubresource(ExposedApis)).toBe(false)
        expect(yield* kube.hasStatusSubresource(Ingresses)).toBe(true)
      })
    ))

  it.live("informer: lists, watches, and keeps going after a reset, a 410 and a failing watch, each object projected", () =>
    withCluster((emulator) =>
      Effect.gen(function*() {
        const kube = yield* Kubernetes
        yield* kube.create(ExposedApis, "default", exposedApi("first"))
        const events = yield* Queue.unbounded<InformerEvent<string>>()
        const fiber = yield* informer(ExposedApis, (object) => object.metadata.name, { retry: Schedule.spaced("20 millis") }).pipe(
          Stream.runForEach((event) => Queue.offer(events, event)),
          Effect.fork
        )
        const next = Queue.take(events).pipe(Effect.timeout("5 seconds"))
        /** Takes events until one satisfies the predicate (fails after 5 s without events). */
        const until = (predicate: (event: InformerEvent<string>) => boolean): Effect.Effect<InformerEvent<string>, unknown> =>
          next.pipe(Effect.flatMap((event) => (predicate(event) ? Effect.succeed(event) : until(predicate))))
        /** Level-triggered: a new object arrives as an upsert, or inside a fresh listing after a reconnect. */
        const upsertOf = (name: string) =>
          until((e) => e._tag === "Upserted" ? e.object === name : e._tag === "Listed" && e.items.includes(name))
        const first = yield* next
        expect(first).toEqual({ _tag: "Listed", items: ["first"] })

        yield* kube.create(ExposedApis, "default", exposedApi("second"))
        yield* upsertOf("second")

        emulator.faults.closeWatches("reset")
        yield* kube.create(ExposedApis, "default", exposedApi("third"))
        yield* upsertOf("third")

        // expire the informer's current watch: wait until it has reopened one after the reset
        yield* Effect.sync(() => emulator.openWatches()).pipe(Effect.repeat({ until: (n) => n > 0, schedule: Schedule.spaced("10 millis") }))
        emulator.faults.expireWatches()
        const relisted = yield* until((e) => e._tag === "Listed" && e.items.length === 3)
        expect(relisted).toEqual({ _tag: "Listed", items: ["first", "second", "third"] })

        emulator.faults.failNext(1, 500, { match: { watch: true } })
        emulator.faults.closeWatches("clean")
        yield* kube.create(ExposedApis, "default", exposedApi("fourth"))
        yield* upsertOf("fourth")
        yield* Fiber.interrupt(fiber)
      })
    ))

  it.live("a watch from a compacted resourceVersion fails with KubeWatchExpired", () =>
    withCluster((emulator) =>
      Effect.gen(function*() {
        const kube = yield* Kubernetes
        const created = yield* kube.create(ExposedApis, "default", exposedApi("x"))
        yield* kube.create(ExposedApis, "default", exposedApi("y"))
        emulator.faults.compactHistory()
        const exit = yield* kube.watch(ExposedApis, { resourceVersion: created.metadata.resourceVersion }).pipe(Stream.runCollect, Effect.exit)
        expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error._tag : "none").toBe("KubeWatchExpired")
      })
    ))
})

