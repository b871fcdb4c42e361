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

/** What the controller remembers of each ExposedAPI: which Service implements it (to map EndpointSlices). */
interface Index {
  readonly keys: Set<ObjectKey>
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
}

const remember = (index: Index, object: KubeObject): void => {
  const key = keyOf(object)
  forget(index, key)
  index.keys.add(key)
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

const objectsOf = (event: InformerEvent): ReadonlyArray<KubeObject> => (event._tag === "Listed" ? event.items : [event.object])

/**
 * The ExposedAPI controller: keys from the ExposedAPI informer, from the operator's Ingresses and from EndpointSlice
 * changes (mapped to the ExposedAPIs their Service implements), and from a periodic resync of every key; each key
 * reconciled by `reconcileExposedApi` under the controller's concurrency limit and backoff.
 */
export const exposedApiController = (options: { readonly stopTaking?: Effect.Effect<void> } = {}) =>
  Effect.gen(function*() {
    const settings = yield* OperatorConfig
    const index = yield* Ref.make<Index>({ keys: new Set(), byService: new Map(), serviceOf: new Map() })

    const exposedApis = watchAll(ExposedApis, settings.namespaces).pipe(
      Stream.mapEffect((event) =>
        Ref.modify(index, (current): [ReadonlyArray<ObjectKey>, Index] => {
          if (event._tag === "Listed") {
            // a relisting is the whole truth: keys that vanished are reconciled too (their deletion finished)
            const gone = [...current.keys].filter((k) => !event.items.some((o) => keyOf(o) === k))
            for (const key of gone) forget(current, key)
            for (const object of event.items) remember(current, object)
            return [[...event.items.map(keyOf), ...gone], current]
          }
          if (event._tag === "Deleted") forget(current, keyOf(event.object))
          else remember(current, event.object)
          return [[keyOf(event.object)], current]
        })
      ),
      Stream.flattenIterables
    )

    const ingresses = watchAll(Ingresses, settings.namespaces, `${MANAGED_BY_LABEL}=${MANAGED_BY}`).pipe(
      Stream.mapConcat((event) =>
        objectsOf(event).flatMap((ingress) => {
          const owner = ingress.metadata.labels[EXPOSED_API_LABEL]
          return owner === undefined ? [] : [objectKey(ingress.metadata.namespace ?? "", owner)]
        })
      )
    )

    const endpointSlices = watchAll(EndpointSlices, settings.namespaces, "kubernetes.io/service-name").pipe(
      Stream.mapEffect((event) =>
        Ref.get(index).pipe(
          Effect.map((current) =>
            objectsOf(event).flatMap((slice) => {
              const service = `${slice.metadata.namespace ?? ""}/${slice.metadata.labels["kubernetes.io/service-name"] ?? ""}`
              return [...(current.byService.get(service) ?? [])]
            })
          )
        )
      ),
      Stream.flattenIterables
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
