import { describe, expect, it } from "@effect/vitest"
import * as k8s from "@kubernetes/client-node"
import { Chunk, Effect, Exit, Stream } from "effect"
import { kubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { Secrets } from "../../src/services/KubeResources.ts"
import { watchWith } from "../../src/services/KubeWatch.ts"

describe("Kubernetes watch", () => {
  it.live("ends cleanly when nothing arrives for client-node's inactivity timeout, so the informer resumes instead of listing again", () =>
    Effect.scoped(
      Effect.gen(function*() {
        // an API server sends a bookmark about once a minute; client-node gives up on a quiet watch after 30 s
        const emulator = yield* kubeEmulator({ bookmarkIntervalMs: 60_000 })
        const kc = new k8s.KubeConfig()
        kc.loadFromString(emulator.kubeconfig())
        const from = String(emulator.store.resourceVersion)
        const exit = yield* watchWith(kc, { inactivityTimeoutMs: 300 })(Secrets, { namespace: "default", resourceVersion: from }).pipe(
          Stream.runCollect,
          Effect.timeout("10 seconds"),
          Effect.exit
        )
        expect(Exit.isSuccess(exit)).toBe(true)
        if (Exit.isSuccess(exit)) expect(Chunk.size(exit.value)).toBe(0)
      })
    ))
})
