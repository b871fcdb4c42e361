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

const COMPONENT_LABEL = "oda.tmforum.org/componentName"

/** What the controller remembers of an ExposedAPI. */
interface Known {
  readonly key: ObjectKey
  readonly resourceVersion: string
  /** "namespace/service" of the Service that implements it. */
  readonly service: string | undefined
  /** The ODA Component it belongs to (its componentName label), for the reconcile's logs. */
  readonly component: string
}

const knownOf = (object: KubeObject): Known => {
  const namespace = object.metadata.namespace ?? ""
  const spec = object["spec"]
  const implementation = typeof spec === "object" && spec !== null ? Reflect.get(spec, "implementation") : undefined
  return {
    key: objectKey(namespace, object.metadata.name),
    resourceVersion: object.metadata.resourceVersion,
    service: typeof implementation === "string" ? `${namespace}/${implementation}` : undefined,
    component: object.metadata.labels[COMPONENT_LABEL] ?? ""
  }
}

/** Every known ExposedAPI, and which of them each Service implements ("namespace/service" -> keys). */
interface Index {
  readonly known: Map<ObjectKey, Known>
  readonly byService: Map<string, ReadonlyArray<ObjectKey>>
}

const forget = (index: Index, key: ObjectKey): void => {
  const service = index.known.get(key)?.service
  index.known.delete(key)
  if (service === undefined) return
  const others = (index.byService.get(service) ?? []).filter((k) => k !== key)
  if (others.length === 0) index.byService.delete(service)
  else index.byService.set(service, others)
}

const remember = (index: Index, known: Known): void => {
  forget(index, known.key)
  index.known.set(known.key, known)
  if (known.service !== undefined) index.byService.set(known.service, [...(index.byService.get(known.service) ?? []), known.key])
}

/** Runs `onFirst` when the informer's first listing arrives: from then on its cache is synced. */
const onFirstListing = (onFirst: Effect.Effect<void>) =>
  <A, E, R>(events: Stream.Stream<InformerEvent<A>, E, R>): Stream.Stream<InformerEvent<A>, E, R> =>
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
const watchAll = <A>(
  ref: ResourceRef,
  project: (object: KubeObject) => A,
  namespaces: ReadonlyArray<string>,
  onListed: Effect.Effect<void>,
  labelSelector?: string
) =>
  namespaces.length === 0
    ? informer(ref, project, { labelSelector }).pipe(onFirstListing(onListed))
    : Stream.mergeAll(
      namespaces.map((namespace) => informer(ref, project, { namespace, labelSelector }).pipe(onFirstListing(onListed))),
      { concurrency: "unbounded" }
    )

/** What the controller keeps of an Ingress or EndpointSlice: which object, which version, and what it concerns. */
interface Dependent<C> {
  readonly id: string
  readonly resourceVersion: string
  readonly concerns: C | undefined
}

const dependentOf = <C>(concerns: (object: KubeObject, namespace: string) => C | undefined) => (object: KubeObject): Dependent<C> => {
  const namespace = object.metadata.namespace ?? ""
  return { id: `${namespace}/${object.metadata.name}`, resourceVersion: object.metadata.resourceVersion, concerns: concerns(object, namespace) }
}

/** An Ingress of ours concerns the ExposedAPI named in its label. */
const ingressDependent = dependentOf((ingress, namespace) => {
  const owner = ingress.metadata.labels[EXPOSED_API_LABEL]
  return owner === undefined ? undefined : objectKey(namespace, owner)
})

/** An EndpointSlice concerns the ExposedAPIs its Service implements ("namespace/service"). */
const endpointSliceDependent = dependentOf((slice, namespace) => {
  const service = slice.metadata.labels["kubernetes.io/service-name"]
  return service === undefined ? undefined : `${namespace}/${service}`
})

/**
 * A secondary informer's events reduced to the keys they concern: every change, deletion included, maps to the
 * ExposedAPIs it affects; a relisting maps only what differs from what was seen before (the first listing maps
 * nothing: the ExposedAPI informer's own listing already brings every key). What was seen is remembered for
 * objects that vanish between two listings.
 */
const keysOfChanges = <C>(keysOf: (concerns: C) => Effect.Effect<ReadonlyArray<ObjectKey>>) =>
  <E, R>(events: Stream.Stream<InformerEvent<Dependent<C>>, E, R>): Stream.Stream<ObjectKey, E, R> =>
    Stream.unwrap(Effect.sync(() => {
      const seen = new Map<string, Dependent<C>>()
      let listedBefore = false
      const changed = (event: InformerEvent<Dependent<C>>): ReadonlyArray<Dependent<C>> => {
        if (event._tag === "Upserted") {
          seen.set(event.object.id, event.object)
          return [event.object]
        }
        if (event._tag === "Deleted") {
          seen.delete(event.object.id)
          return [event.object]
        }
        const present = new Set(event.items.map((o) => o.id))
        const differences = event.items.filter((o) => seen.get(o.id)?.resourceVersion !== o.resourceVersion)
        const vanished = [...seen.values()].filter((o) => !present.has(o.id))
        for (const o of vanished) seen.delete(o.id)
        for (const o of event.items) seen.set(o.id, o)
        const first = !listedBefore
        listedBefore = true
        return first ? [] : [...differences, ...vanished]
      }
      return events.pipe(
        Stream.mapEffect((event) =>
          Effect.forEach(changed(event), (o) => (o.concerns === undefined ? Effect.succeed([]) : keysOf(o.concerns))).pipe(
            Effect.map((keys) => keys.flat())
          )
        ),
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
    const index = yield* Ref.make<Index>({ known: new Map(), byService: new Map() })
    const informers = 3 * Math.max(1, settings.namespaces.length)
    const unlisted = yield* Ref.make(informers)
    const listed = Ref.updateAndGet(unlisted, (n) => n - 1).pipe(
      Effect.flatMap((left) => (left === 0 && options.synced !== undefined ? Deferred.succeed(options.synced, undefined) : Effect.void)),
      Effect.asVoid
    )

    // the informers keep the index current from the start; keys reach the work queue only while taking
    const taking = yield* Ref.make(options.startTaking === undefined)
    // before many keys are checked at once (a resync, the first listing, taking over): their APIs and tags listed
    const apim = yield* Apim
    const prefetchApis = (keys: number) =>
      apim.prefetchApis(keys).pipe(
        Effect.catchAll((error) =>
          Effect.logWarning("could not list the APIs and their tags ahead of checking them; each API is read on its own").pipe(
            Effect.annotateLogs({ error: error.message })
          )
        )
      )

    const exposedApis = watchAll(ExposedApis, knownOf, settings.namespaces, listed).pipe(
      Stream.mapEffect((event) =>
        Ref.modify(index, (current): [ReadonlyArray<ObjectKey>, Index] => {
          if (event._tag === "Listed") {
            // a listing is the whole truth: the first brings every key, a relisting only what changed meanwhile
            // (keys that vanished included: their deletion may have finished while we were not watching)
            const first = current.known.size === 0
            const present = new Set(event.items.map((known) => known.key))
            const gone = [...current.known.keys()].filter((k) => !present.has(k))
            const changed = event.items.filter((known) => first || current.known.get(known.key)?.resourceVersion !== known.resourceVersion)
            for (const key of gone) forget(current, key)
            for (const known of event.items) remember(current, known)
            return [[...changed.map((known) => known.key), ...gone], current]
          }
          if (event._tag === "Deleted") forget(current, event.object.key)
          else remember(current, event.object)
          return [[event.object.key], current]
        })
      ),
      Stream.tap((keys) => Effect.flatMap(Ref.get(taking), (on) => (on ? prefetchApis(keys.length) : Effect.void))),
      Stream.flattenIterables
    )

    const ingresses = watchAll(Ingresses, ingressDependent, settings.namespaces, listed, `${MANAGED_BY_LABEL}=${MANAGED_BY}`).pipe(
      keysOfChanges((owner) => Effect.succeed([owner]))
    )

    const endpointSlices = watchAll(EndpointSlices, endpointSliceDependent, settings.namespaces, listed, "kubernetes.io/service-name").pipe(
      keysOfChanges((service) => Ref.get(index).pipe(Effect.map((current) => current.byService.get(service) ?? [])))
    )

    const resync = Stream.fromSchedule(Schedule.spaced(settings.resyncInterval)).pipe(
      Stream.mapEffect(() => Ref.get(index).pipe(Effect.map((current) => [...current.known.keys()]))),
      Stream.tap((keys) => Effect.logDebug("resync").pipe(Effect.annotateLogs({ keys: keys.length }))),
      Stream.tap((keys) => prefetchApis(keys.length)),
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
        return reconcileExposedApi(key).pipe(Effect.annotateLogs({ namespace, name, component: current.known.get(key)?.component ?? "" }))
      })

    const work = Effect.gen(function*() {
      const stop = options.stopTaking ?? Effect.never
      const start = yield* Effect.raceFirst(Effect.as(options.startTaking ?? Effect.void, true), Effect.as(stop, false))
      if (!start) return
      if (!(yield* Ref.getAndSet(taking, true))) {
        // taking first, then every known key: none is missed; one changing at this very moment may run twice
        const known = (yield* Ref.get(index)).known
        yield* prefetchApis(known.size)
        yield* Queue.offerAll(keys, known.keys())
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
