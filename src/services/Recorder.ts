import { Clock, Context, Effect, Layer, Option } from "effect"
import { hostname } from "node:os"
import { Events } from "./KubeResources.ts"
import { Kubernetes } from "./Kubernetes.ts"

/** The object an Event is about. */
export interface EventSubject {
  readonly apiVersion: string
  readonly kind: string
  readonly namespace: string
  readonly name: string
  readonly uid: string
}

export interface EventRecord {
  readonly type: "Normal" | "Warning"
  /** CamelCase, e.g. "ApiPublished", "InvalidSpec". */
  readonly reason: string
  /** What the operator did or tried, e.g. "Publish", "Delete". */
  readonly action: string
  readonly note: string
}

export interface RecorderApi {
  /** Records an Event; repeats of the same event within ten minutes become a series. Never fails the caller. */
  readonly record: (subject: EventSubject, event: EventRecord) => Effect.Effect<void>
}

export class Recorder extends Context.Tag("oda/Recorder")<Recorder, RecorderApi>() {}

export const REPORTING_CONTROLLER = "oda.tmforum.org/apim-operator"
const SERIES_WINDOW_MS = 10 * 60 * 1000
const REMEMBERED = 5000

/** events.k8s.io MicroTime: exactly six fractional digits, or the API server refuses the Event (400). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z")

interface Seen {
  readonly name: string
  readonly namespace: string
  readonly count: number
  readonly firstMs: number
}

/**
 * Kubernetes Events through events.k8s.io/v1, correlated like client-go's recorder: an event identical to one
 * recorded recently for the same object updates that Event's series instead of creating another.
 */
export const make = (instance: string = hostname()): Effect.Effect<RecorderApi, never, Kubernetes> =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    // mutated only inside synchronous steps; a copy per Event would cost a 5,000-entry Map each time
    const seen = new Map<string, Seen>()

    const record: RecorderApi["record"] = (subject, event) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const key = [subject.uid, event.type, event.reason, event.note].join("\u0000")
        const previous = Option.fromNullable(seen.get(key)).pipe(Option.filter((s) => now - s.firstMs < SERIES_WINDOW_MS))
        if (Option.isSome(previous)) {
          const count = previous.value.count + 1
          yield* kube.patch(Events, previous.value.namespace, previous.value.name, {
            type: "merge",
            body: { series: { count, lastObservedTime: microTime(now) } }
          })
          seen.set(key, { ...previous.value, count })
          return
        }
        const created = yield* kube.create(Events, subject.namespace, {
          apiVersion: "events.k8s.io/v1",
          kind: "Event",
          metadata: { generateName: `${subject.name}.`, namespace: subject.namespace },
          eventTime: microTime(now),
          type: event.type,
          reason: event.reason,
          action: event.action,
          note: event.note.slice(0, 1024),
          reportingController: REPORTING_CONTROLLER,
          reportingInstance: instance.slice(0, 128),
          regarding: { apiVersion: subject.apiVersion, kind: subject.kind, namespace: subject.namespace, name: subject.name, uid: subject.uid }
        })
        if (seen.size >= REMEMBERED) {
          const oldest = seen.keys().next()
          if (oldest.done !== true) seen.delete(oldest.value)
        }
        seen.set(key, { name: created.metadata.name, namespace: subject.namespace, count: 1, firstMs: now })
      }).pipe(
        // an Event that cannot be written must never fail the reconcile that reports it
        Effect.catchAll((error) => Effect.logWarning("could not record an Event", error)),
        Effect.annotateLogs({ reason: event.reason })
      )

    return { record }
  })

export const layer: Layer.Layer<Recorder, never, Kubernetes> = Layer.effect(Recorder, make())
