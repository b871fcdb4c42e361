import { Duration, Effect, Option, Ref, Schedule, Stream } from "effect"
import type { KubeError, KubeObject, ListOptions, ResourceRef } from "./KubeResources.ts"
import { Kubernetes } from "./Kubernetes.ts"

/** What an informer tells its consumer: a full listing (the new truth), then changes; each object as projected. */
export type InformerEvent<A = KubeObject> =
  | { readonly _tag: "Listed"; readonly items: ReadonlyArray<A> }
  | { readonly _tag: "Upserted"; readonly object: A }
  | { readonly _tag: "Deleted"; readonly object: A }

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
 *
 * `project` keeps of each object only what the consumer needs, as soon as it is read: every stage of a stream holds
 * on to the last event it passed on until the next one, so a listing of 10,000 full objects would otherwise stay in
 * memory for as long as nothing changes.
 */
export const informer = <A>(
  ref: ResourceRef,
  project: (object: KubeObject) => A,
  options: InformerOptions = {}
): Stream.Stream<InformerEvent<A>, KubeError, Kubernetes> =>
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
          Effect.map((list): InformerEvent<A> => ({ _tag: "Listed", items: list.items.map(project) }))
        )
      )

      const watched = Stream.unwrap(
        Ref.get(resumeFrom).pipe(Effect.map((from) => kube.watch(ref, { ...selection, resourceVersion: from })))
      ).pipe(
        Stream.tap((event) =>
          Ref.set(resumeFrom, event.type === "BOOKMARK" ? event.resourceVersion : event.object.metadata.resourceVersion)
        ),
        Stream.filterMap((event): Option.Option<InformerEvent<A>> => {
          if (event.type === "BOOKMARK") return Option.none()
          const object = project(event.object)
          return Option.some(event.type === "DELETED" ? { _tag: "Deleted", object } : { _tag: "Upserted", object })
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
