import { Clock, Console, Effect, Queue, type Scope, Stream } from "effect"
import { isJsonObject, type JsonObject } from "../emulators/Json.ts"
import type { KubeEmulator } from "../emulators/kube/KubeEmulator.ts"
import { formatLine, type ReadySummary, summarize } from "./ReadySummary.ts"

const EXPOSED_APIS = "oda.tmforum.org/exposedapis"

export interface ExposedApiViewOptions {
  /** Colour the state column (stdout is a terminal). */
  readonly colors: boolean
  /** `namespace/name` of the samples; once all of them have settled, `settled` is asked for closing lines. */
  readonly samples: ReadonlyArray<string>
  readonly settled: (summaries: ReadonlyMap<string, ReadySummary>) => ReadonlyArray<string>
}

const keyOf = (object: JsonObject): string => {
  const metadata = isJsonObject(object["metadata"]) ? object["metadata"] : {}
  const field = (name: string) => {
    const value = metadata[name]
    return typeof value === "string" ? value : ""
  }
  return `${field("namespace")}/${field("name")}`
}

/**
 * A live, log-friendly view of every ExposedAPI on its way to Ready: one line on stdout each time what a reader
 * would see changes (state, URL or reason). It only looks at the emulator's store; the operator knows nothing of it.
 */
export const exposedApiView = (kube: KubeEmulator, options: ExposedApiViewOptions): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const changes = yield* Queue.unbounded<{ readonly key: string; readonly summary: ReadySummary }>()
    yield* Effect.acquireRelease(
      Effect.sync(() =>
        kube.store.onEvent((event) => {
          if (event.storage !== EXPOSED_APIS) return
          Queue.unsafeOffer(changes, { key: keyOf(event.object), summary: summarize(event.object, event.type === "DELETED") })
        })
      ),
      (unsubscribe) => Effect.sync(unsubscribe)
    )
    const latest = new Map<string, ReadySummary>()
    let samplesReported = options.samples.length === 0
    yield* Stream.fromQueue(changes).pipe(
      Stream.runForEach(({ key, summary }) =>
        Effect.gen(function*() {
          const before = latest.get(key)
          if (before !== undefined && before.state === summary.state && before.detail === summary.detail) return
          latest.set(key, summary)
          const now = yield* Clock.currentTimeMillis
          yield* Console.log(formatLine(new Date(now), key, summary, options.colors))
          if (!samplesReported && options.samples.every((sample) => latest.get(sample)?.settled === true)) {
            samplesReported = true
            for (const line of options.settled(latest)) yield* Console.log(line)
          }
        })
      ),
      Effect.forkScoped
    )
  })
