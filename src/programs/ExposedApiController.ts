import { Duration, Effect, Ref, Schedule, Stream } from "effect"
import { type ObjectKey, objectKey } from "../domain/ApiIntent.ts"
import { EXPOSED_API_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from "../domain/Ingress.ts"
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
}

const implementationOf = (object: KubeObject): string | undefined => {
  const spec = object["spec"]
  const implementation = typeof spec === "object" && spec !== null ? Reflect.get(spec, "implementation") : undefined
  return typeof implementation === "string" ? `${object.metadata.namespace ?? ""}/${implementation}` : undefined
}

const forget = (index: Index, key: ObjectKey): void => {
  const service = index.serviceOf.get(key)
  if (service !== undefined) index.byService.get(service)?.delete(key)
  index.serviceOf.delete(key)
  index.keys.delete(key)
  index.versions.delete(key)
}

const remember = (index: Index, object: KubeObject): void => {
  const key = keyOf(object)
  forget(index, key)
  index.keys.add(key)
  index.versions.set(key, object.metadata.resourceVersion)
  const service = implementationOf(object)
  if (service === undefined) return
  index.serviceOf.set(key, service)
  const keys = index.byService.get(service) ?? new Set<ObjectKey>()
  keys.add(key)
  index.byService.set(service, keys)
}

/** One informer per watched namespace (all namespaces when none is configured), merged. */
const watchAll = (ref: ResourceRef, namespaces: ReadonlyArray<string>, labelSelector?: string) =>
  namespaces.length === 0
    ? informer(ref, { labelSelector })
    : Stream.mergeAll(namespaces.map((namespace) => informer(ref, { namespace, labelSelector })), { concurrency: "unbounded" })

/**
 * A secondary informer's events reduced to the keys they concern: every change, deletion included, maps to the
 * ExposedAPIs it affects; a relisting maps only what differs from what was seen before (the first listing maps
 * nothing: the ExposedAPI informer's own listing already brings every key).
 */
const keysOfChanges = (keysOf: (object: KubeObject) => Effect.Effect<ReadonlyArray<ObjectKey>>) =>
  <E, R>(events: Stream.Stream<InformerEvent, E, R>): Stream.Stream<ObjectKey, E, R> =>
    Stream.unwrap(Effect.sync(() => {
      const seen = new Map<string, { readonly resourceVersion: string; readonly object: KubeObject }>()
      let listedBefore = false
      const idOf = (object: KubeObject) => `${object.metadata.namespace ?? ""}/${object.metadata.name}`
      const changed = (event: InformerEvent): ReadonlyArray<KubeObject> => {
        if (event._tag === "Upserted") {
          seen.set(idOf(event.object), { resourceVersion: event.object.metadata.resourceVersion, object: event.object })
          return [event.object]
        }
        if (event._tag === "Deleted") {
          seen.delete(idOf(event.object))
          return [event.object]
        }
        const present = new Set(event.items.map(idOf))
        const differences = event.items.filter((o) => seen.get(idOf(o))?.resourceVersion !== o.metadata.resourceVersion)
        const vanished = [...seen.entries()].filter(([id]) => !present.has(id)).map(([, entry]) => entry.object)
        for (const id of [...seen.keys()]) if (!present.has(id)) seen.delete(id)
        for (const o of event.items) seen.set(idOf(o), { resourceVersion: o.metadata.resourceVersion, object: o })
        const first = !listedBefore
        listedBefore = true
        return first ? [] : [...differences, ...vanished]
      }
      return events.pipe(
        Stream.mapEffect((event) => Effect.forEach(changed(event), keysOf).pipe(Effect.map((keys) => keys.flat()))),
        Stream.flattenIterables
      )
    }))

/**
 * The ExposedAPI controller: keys from the ExposedAPI informer, from the operator's Ingresses and from EndpointSlice
 * changes (mapped to the ExposedAPIs their Service implements), and from a periodic resync of every key; each key
 * reconciled by `reconcileExposedApi` under the controller's concurrency limit and backoff.
 */
export const exposedApiController = (options: { readonly stopTaking?: Effect.Effect<void> } = {}) =>
  Effect.gen(function*() {
    const settings = yield* OperatorConfig
    const index = yield* Ref.make<Index>({ keys: new Set(), versions: new Map(), byService: new Map(), serviceOf: new Map() })

    const exposedApis = watchAll(ExposedApis, settings.namespaces).pipe(
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
      Stream.flattenIterables
    )

    const ingresses = watchAll(Ingresses, settings.namespaces, `${MANAGED_BY_LABEL}=${MANAGED_BY}`).pipe(
      keysOfChanges((ingress) => {
        const owner = ingress.metadata.labels[EXPOSED_API_LABEL]
        return Effect.succeed(owner === undefined ? [] : [objectKey(ingress.metadata.namespace ?? "", owner)])
      })
    )

    const endpointSlices = watchAll(EndpointSlices, settings.namespaces, "kubernetes.io/service-name").pipe(
      keysOfChanges((slice) =>
        Ref.get(index).pipe(Effect.map((current) => {
          const service = `${slice.metadata.namespace ?? ""}/${slice.metadata.labels["kubernetes.io/service-name"] ?? ""}`
          return [...(current.byService.get(service) ?? [])]
        }))
      )
    )

    const resync = Stream.fromSchedule(Schedule.spaced(settings.resyncInterval)).pipe(
      Stream.mapEffect(() => Ref.get(index).pipe(Effect.map((current) => [...current.keys]))),
      Stream.tap((keys) => Effect.logDebug("resync").pipe(Effect.annotateLogs({ keys: keys.length }))),
      Stream.flattenIterables
    )

    const triggers = Stream.mergeAll([exposedApis, ingresses, endpointSlices, resync], { concurrency: "unbounded" }).pipe(
      Stream.catchAll((error) => Stream.die(error)) // informers retry forever; a failure here is a bug
    )

    return yield* Controller.run({
      name: "exposedapi",
      triggers,
      reconcile: reconcileExposedApi,
      concurrency: settings.concurrency,
      backoff: reconcileBackoff,
      stopTaking: options.stopTaking
    })
  })
