import { Duration, Effect, Option, Ref, Schedule, Stream } from "effect"
import type { KubeError, KubeObject, ListOptions, ResourceRef } from "./KubeResources.ts"
import { Kubernetes } from "./Kubernetes.ts"

/** What an informer tells its consumer: a full listing (the new truth), then changes. */
export type InformerEvent =
  | { readonly _tag: "Listed"; readonly items: ReadonlyArray<KubeObject> }
  | { readonly _tag: "Upserted"; readonly object: KubeObject }
  | { readonly _tag: "Deleted"; readonly object: KubeObject }

export interface InformerOptions extends ListOptions {
  /** Backoff between failed list/watch rounds (network, 5xx, 403); the default never gives up. */
  readonly retry?: Schedule.Schedule<unknown, unknown>
}

/** Exponential from 200 ms, capped at 30 s, jittered; reset once events flow again (Stream.retry's rule). */
export const informerBackoff: Schedule.Schedule<unknown, unknown> = Schedule.exponential(Duration.millis(200)).pipe(
  Schedule.union(Schedule.spaced(Duration.seconds(30))),
  Schedule.jittered
)

/**
 * List, then watch from the list's resourceVersion, forever. A clean end of the watch resumes from the last
 * resourceVersion seen (bookmarks included); 410 Expired lists again; any other failure lists again after a
 * backoff — unlike client-node's informer, which stops for good on such errors. Level-triggered consumers
 * treat every `Listed` as the complete current state.
 */
export const informer = (
  ref: ResourceRef,
  options: InformerOptions = {}
): Stream.Stream<InformerEvent, KubeError, Kubernetes> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const kube = yield* Kubernetes
      const resumeFrom = yield* Ref.make("")
      const selection: ListOptions = {
        namespace: options.namespace,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector
      }

      const listed = Stream.fromEffect(
        kube.list(ref, selection).pipe(
          Effect.tap((list) => Ref.set(resumeFrom, list.resourceVersion)),
          Effect.map((list): InformerEvent => ({ _tag: "Listed", items: list.items }))
        )
      )

      const watched = Stream.unwrap(
        Ref.get(resumeFrom).pipe(Effect.map((from) => kube.watch(ref, { ...selection, resourceVersion: from })))
      ).pipe(
        Stream.tap((event) =>
          Ref.set(resumeFrom, event.type === "BOOKMARK" ? event.resourceVersion : event.object.metadata.resourceVersion)
        ),
        Stream.filterMap((event): Option.Option<InformerEvent> => {
          if (event.type === "BOOKMARK") return Option.none()
          return Option.some(event.type === "DELETED" ? { _tag: "Deleted", object: event.object } : { _tag: "Upserted", object: event.object })
        })
      )

      const round = Stream.unwrap(
        Ref.get(resumeFrom).pipe(Effect.map((from) => (from === "" ? Stream.concat(listed, watched) : watched)))
      )

      return round.pipe(
        Stream.catchTag("KubeWatchExpired", () => Stream.execute(Ref.set(resumeFrom, ""))),
        Stream.tapError((error) =>
          Ref.set(resumeFrom, "").pipe(
            Effect.zipRight(Effect.logWarning("watch failed; listing again after a backoff", error)),
            Effect.annotateLogs({ resource: `${ref.plural}.${ref.group}` })
          )
        ),
        Stream.retry(options.retry ?? informerBackoff),
        Stream.forever
      )
    })
  )
