import { Deferred, Duration, Effect, Queue, Ref, Schedule, Stream } from "effect"
import { type ObjectKey, objectKey, splitKey } from "../domain/ApiIntent.ts"
import { EXPOSED_API_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from "../domain/Ingress.ts"
import { Apim } from "../services/Apim.ts"
import { informer, type InformerEvent } from "../services/Informer.ts"
import { EndpointSlices, ExposedApis, Ingresses, type KubeObject, type ResourceRef } from "../services/KubeResources.ts"
import { OperatorConfig } from "../services/OperatorConfig.ts"
import * as Controller from "./Controller.ts"
import { reconcileExposedApi } from "./ReconcileExposedApi.ts"

/** Per-key backoff for transient failures: 1 s doubling to 5 minutes, jittered. */
export const reconcileBackoff: Controller.Backoff = { base: Duration.seconds(1), max: Duration.minutes(5) }

const keyOf = (object: KubeObject): ObjectKey => objectKey(object.metadata.namespace ?? "", object.metadata.name)

/** What the controller remembers of each ExposedAPI: its resourceVersion, and which Service implements it. */
interface Index {
  readonly keys: Set<ObjectKey>
  readonly versions: Map<ObjectKey, string>
  /** "namespace/service" -> the ExposedAPIs it implements. */
  readonly byService: Map<string, Set<ObjectKey>>
  readonly serviceOf: Map<ObjectKey, string>
  /** The ODA Component each ExposedAPI belongs to (its componentName label), for the reconcile's logs. */
  readonly componentOf: Map<ObjectKey, string>
}

const COMPONENT_LABEL = "oda.tmforum.org/componentName"

const implementationOf = (object: KubeObject): string | undefined => {
  const spec = object["spec"]
  const implementation = typeof spec === "object" && spec !== null ? Reflect.get(spec, "implementation") : undefined
  return typeof implementation === "string" ? `${object.metadata.namespace ?? ""}/${implementation}` : undefined
}

const forget = (index: Index, key: ObjectKey): void => {
  const service = index.serviceOf.get(key)
  if (service !== undefined) index.byService.get(service)?.delete(key)
  index.serviceOf.delete(key)
  index.componentOf.delete(key)
  index.keys.delete(key)
  index.versions.delete(key)
}

const remember = (index: Index, object: KubeObject): void => {
  const key = keyOf(object)
  forget(index, key)
  index.keys.add(key)
  index.versions.set(key, object.metadata.resourceVersion)
  const component = object.metadata.labels[COMPONENT_LABEL]
  if (component !== undefined) index.componentOf.set(key, component)
  const service = implementationOf(object)
  if (service === undefined) return
  index.serviceOf.set(key, service)
  const keys = index.byService.get(service) ?? new Set<ObjectKey>()
  keys.add(key)
  index.byService.set(service, keys)
}

/** Runs `onFirst` when the informer's first listing arrives: from then on its cache is synced. */
const onFirstListing = (onFirst: Effect.Effect<void>) =>
  <E, R>(events: Stream.Stream<InformerEvent, E, R>): Stream.Stream<InformerEvent, E, R> =>
    Stream.unwrap(Effect.sync(() => {
      let listed = false
      return events.pipe(
        Stream.tap((event) => {
          if (listed || event._tag !== "Listed") return Effect.void
          listed = true
          return onFirst
        })
      )
    }))

/** One informer per watched namespace (all namespaces when none is configured), merged. */
const watchAll = (ref: ResourceRef, namespaces: ReadonlyArray<string>, onListed: Effect.Effect<void>, labelSelector?: string) =>
  namespaces.length === 0
    ? informer(ref, { labelSelector }).pipe(onFirstListing(onListed))
    : Stream.mergeAll(
      namespaces.map((namespace) => informer(ref, { namespace, labelSelector }).pipe(onFirstListing(onListed))),
      { concurrency: "unbounded" }
    )

/** What says which ExposedAPIs an Ingress or EndpointSlice concerns: its namespace and labels. */
type Labelled = Pick<KubeObject["metadata"], "namespace" | "labels">

/**
 * A secondary informer's events reduced to the keys they concern: every change, deletion included, maps to the
 * ExposedAPIs it affects; a relisting maps only what differs from what was seen before (the first listing maps
 * nothing: the ExposedAPI informer's own listing already brings every key). Only namespace and labels are kept of
 * what was seen (for 10,000 Ingresses and EndpointSlices, that is all worth keeping), for objects that vanish
 * between two listings.
 */
const keysOfChanges = (keysOf: (object: Labelled) => Effect.Effect<ReadonlyArray<ObjectKey>>) =>
  <E, R>(events: Stream.Stream<InformerEvent, E, R>): Stream.Stream<ObjectKey, E, R> =>
    Stream.unwrap(Effect.sync(() => {
      const seen = new Map<string, { readonly resourceVersion: string; readonly labelled: Labelled }>()
      let listedBefore = false
      const idOf = (object: KubeObject) => `${object.metadata.namespace ?? ""}/${object.metadata.name}`
      const remember = (object: KubeObject) => {
        const { labels, namespace, resourceVersion } = object.metadata
        seen.set(idOf(object), { resourceVersion, labelled: { labels, ...(namespace === undefined ? {} : { namespace }) } })
      }
      const changed = (event: InformerEvent): ReadonlyArray<Labelled> => {
        if (event._tag === "Upserted") {
          remember(event.object)
          return [event.object.metadata]
        }
        if (event._tag === "Deleted") {
          seen.delete(idOf(event.object))
          return [event.object.metadata]
        }
        const present = new Set(event.items.map(idOf))
        const differences = event.items.filter((o) => seen.get(idOf(o))?.resourceVersion !== o.metadata.resourceVersion).map((o) => o.metadata)
        const vanished = [...seen.entries()].filter(([id]) => !present.has(id)).map(([, entry]) => entry.labelled)
        for (const id of [...seen.keys()]) if (!present.has(id)) seen.delete(id)
        for (const o of event.items) remember(o)
        const first = !listedBefore
        listedBefore = true
        return first ? [] : [...differences, ...vanished]
      }
      return events.pipe(
        Stream.mapEffect((event) => Effect.forEach(changed(event), keysOf).pipe(Effect.map((keys) => keys.flat()))),
        Stream.flattenIterables
      )
    }))

export interface ExposedApiControllerOptions {
  /**
   * Keys are reconciled only once this completes (leadership); the informers run from the start, so a follower's
   * caches are warm and it is ready to take over. Every known key is reconciled when taking starts.
   */
  readonly startTaking?: Effect.Effect<void> | undefined
  /** Stops taking keys when this completes (graceful shutdown): in-flight reconciles finish, then the controller returns. */
  readonly stopTaking?: Effect.Effect<void> | undefined
  /** Completed once every informer has listed (readiness). */
  readonly synced?: Deferred.Deferred<void> | undefined
}

/**
 * The ExposedAPI controller: keys from the ExposedAPI informer, from the operator's Ingresses and from EndpointSlice
 * changes (mapped to the ExposedAPIs their Service implements), and from a periodic resync of every key; each key
 * reconciled by `reconcileExposedApi` under the controller's concurrency limit and backoff, its logs annotated
 * with the ExposedAPI's namespace, name and ODA Component.
 */
export const exposedApiController = (options: ExposedApiControllerOptions = {}) =>
  Effect.gen(function*() {
    const settings = yield* OperatorConfig
    const index = yield* Ref.make<Index>({ keys: new Set(), versions: new Map(), byService: new Map(), serviceOf: new Map(), componentOf: new Map() })
    const informers = 3 * Math.max(1, settings.namespaces.length)
    const unlisted = yield* Ref.make(informers)
    const listed = Ref.updateAndGet(unlisted, (n) => n - 1).pipe(
      Effect.flatMap((left) => (left === 0 && options.synced !== undefined ? Deferred.succeed(options.synced, undefined) : Effect.void)),
      Effect.asVoid
    )

    // the informers keep the index current from the start; keys reach the work queue only while taking
    const taking = yield* Ref.make(options.startTaking === undefined)
    // before many keys are checked at once (a resync, the first listing, taking over): their tags in one listing
    const apim = yield* Apim
    const prefetchTags = (keys: number) =>
      apim.prefetchApiTags(keys).pipe(
        Effect.catchAll((error) =>
          Effect.logWarning("could not list the APIs' tags ahead of checking them; each API's are read on its own").pipe(
            Effect.annotateLogs({ error: error.message })
          )
        )
      )

    const exposedApis = watchAll(ExposedApis, settings.namespaces, listed).pipe(
      Stream.mapEffect((event) =>
        Ref.modify(index, (current): [ReadonlyArray<ObjectKey>, Index] => {
          if (event._tag === "Listed") {
            // a listing is the whole truth: the first brings every key, a relisting only what changed meanwhile
            // (keys that vanished included: their deletion may have finished while we were not watching)
            const first = current.versions.size === 0
            const present = new Set(event.items.map(keyOf))
            const gone = [...current.keys].filter((k) => !present.has(k))
            const changed = event.items.filter((o) => first || current.versions.get(keyOf(o)) !== o.metadata.resourceVersion)
            for (const key of gone) forget(current, key)
            for (const object of event.items) remember(current, object)
            return [[...changed.map(keyOf), ...gone], current]
          }
          if (event._tag === "Deleted") forget(current, keyOf(event.object))
          else remember(current, event.object)
          return [[keyOf(event.object)], current]
        })
      ),
      Stream.tap((keys) => Effect.flatMap(Ref.get(taking), (on) => (on ? prefetchTags(keys.length) : Effect.void))),
      Stream.flattenIterables
    )

    const ingresses = watchAll(Ingresses, settings.namespaces, listed, `${MANAGED_BY_LABEL}=${MANAGED_BY}`).pipe(
      keysOfChanges((ingress) => {
        const owner = ingress.labels[EXPOSED_API_LABEL]
        return Effect.succeed(owner === undefined ? [] : [objectKey(ingress.namespace ?? "", owner)])
      })
    )

    const endpointSlices = watchAll(EndpointSlices, settings.namespaces, listed, "kubernetes.io/service-name").pipe(
      keysOfChanges((slice) =>
        Ref.get(index).pipe(Effect.map((current) => {
          const service = `${slice.namespace ?? ""}/${slice.labels["kubernetes.io/service-name"] ?? ""}`
          return [...(current.byService.get(service) ?? [])]
        }))
      )
    )

    const resync = Stream.fromSchedule(Schedule.spaced(settings.resyncInterval)).pipe(
      Stream.mapEffect(() => Ref.get(index).pipe(Effect.map((current) => [...current.keys]))),
      Stream.tap((keys) => Effect.logDebug("resync").pipe(Effect.annotateLogs({ keys: keys.length }))),
      Stream.tap((keys) => prefetchTags(keys.length)),
      Stream.flattenIterables
    )

    const triggers = Stream.mergeAll([exposedApis, ingresses, endpointSlices, resync], { concurrency: "unbounded" }).pipe(
      Stream.catchAll((error) => Stream.die(error)) // informers retry forever; a failure here is a bug
    )

    const keys = yield* Queue.unbounded<ObjectKey>()
    const feed = Stream.runForEach(triggers, (key) => Effect.flatMap(Ref.get(taking), (on) => (on ? Queue.offer(keys, key) : Effect.void)))

    const reconcile = (key: ObjectKey) =>
      Effect.flatMap(Ref.get(index), (current) => {
        const { name, namespace } = splitKey(key)
        return reconcileExposedApi(key).pipe(Effect.annotateLogs({ namespace, name, component: current.componentOf.get(key) ?? "" }))
      })

    const work = Effect.gen(function*() {
      const stop = options.stopTaking ?? Effect.never
      const start = yield* Effect.raceFirst(Effect.as(options.startTaking ?? Effect.void, true), Effect.as(stop, false))
      if (!start) return
      if (!(yield* Ref.getAndSet(taking, true))) {
        // taking first, then every known key: none is missed; one changing at this very moment may run twice
        const known = (yield* Ref.get(index)).keys
        yield* prefetchTags(known.size)
        yield* Queue.offerAll(keys, known)
      }
      return yield* Controller.run({
        name: "exposedapi",
        triggers: Stream.fromQueue(keys),
        reconcile,
        concurrency: settings.concurrency,
        backoff: reconcileBackoff,
        stopTaking: stop
      })
    })

    // whichever ends first ends both: the controller after a shutdown, the feed only by a defect
    return yield* Effect.raceFirst(work, feed)
  })
