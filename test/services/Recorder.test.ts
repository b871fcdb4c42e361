import { describe, expect, it } from "@effect/vitest"
import * as k8s from "@kubernetes/client-node"
import { Effect } from "effect"
import { kubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { layer } from "../../src/services/Kubernetes.ts"
import { make } from "../../src/services/Recorder.ts"

const subject = { apiVersion: "oda.tmforum.org/v1", kind: "ExposedAPI", namespace: "default", name: "catalog", uid: "uid-1" }
const warning = (note: string) => ({ type: "Warning" as const, reason: "InvalidSpec", action: "Validate", note })

describe("Recorder", () => {
  it.live("turns repeats of one event into a series of one Event, and keeps different ones apart", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const emulator = yield* kubeEmulator()
        const kc = new k8s.KubeConfig()
        kc.loadFromString(emulator.kubeconfig())
        const recorder = yield* make("replica-1").pipe(Effect.provide(layer(kc)))
        for (let i = 0; i < 3; i++) yield* recorder.record(subject, warning("spec.port: must be a number"))
        yield* recorder.record(subject, warning("spec.path: must start with /"))
        const events = emulator.objects.list("events.k8s.io/v1", "Event", "default")
        const byNote = new Map(events.map((e) => [String(e["note"]), e]))
        expect(events).toHaveLength(2)
        expect(byNote.get("spec.port: must be a number")?.["series"]).toMatchObject({ count: 3 })
        expect(byNote.get("spec.path: must start with /")?.["series"]).toBeUndefined()
        expect(byNote.get("spec.path: must start with /")?.["reportingInstance"]).toBe("replica-1")
      })
    ))
})
