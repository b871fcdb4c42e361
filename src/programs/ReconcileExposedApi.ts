import { Clock, Duration, Effect, Either, Metric, Option, Schema } from "effect"
import { apimPath, type ApiIntent, type ObjectKey, splitKey } from "../domain/ApiIntent.ts"
import {
  API_PUBLISHED,
  conditionsOf,
  findCondition,
  hasReadyEndpoint,
  IMPLEMENTATION_READY,
  INGRESS_READY,
  POLICIES_APPLIED,
  READY,
  readyFrom
} from "../domain/Conditions.ts"
import { ExposedApi, FINALIZER, type IntentSettings, toApiIntent } from "../domain/ExposedApi.ts"
import { backendUrl, ingressAddress, ingressFor } from "../domain/Ingress.ts"
import { IngressAction, planIngress } from "../domain/Plan.ts"
import type { PolicySettings } from "../domain/Policy.ts"
import { timeToReady } from "../Metrics.ts"
import { EndpointSlices, ExposedApis, Ingresses } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import { OperatorConfig, type OperatorSettings } from "../services/OperatorConfig.ts"
import { policySettingsOf } from "../services/PolicySettingsConfig.ts"
import { Recorder } from "../services/Recorder.ts"
import { OperatorEnvironment } from "./Bootstrap.ts"
import { Outcome } from "./Controller.ts"
import { asFailure, type ConditionBook, newConditionBook, type ReconcileFailure, subjectOf, writeStatus } from "./ExposedApiStatus.ts"
import { finalizeExposedApi } from "./FinalizeExposedApi.ts"
import { type Publication, publishApi } from "./PublishApi.ts"

/** How often an Ingress still waiting for its address is looked at again, besides its own watch events. */
const ADDRESS_RECHECK = Duration.seconds(30)

export const intentSettings = (s: OperatorSettings): IntentSettings => ({
  quotaRenewalPeriodSeconds: s.quotaRenewalPeriodSeconds,
  apiKeyHeaderName: s.apiKeyHeaderName,
  apiKeyQueryName: s.apiKeyQueryName,
  jwtValidationDefault: s.jwtValidationDefault,
  allowJwtOptOut: s.allowJwtOptOut
})

export const policySettings = (s: OperatorSettings): PolicySettings => policySettingsOf(s)

/** Metrics APIs are exposed through the Ingress only; they never reach the public gateway. */
export const publishedToApim = (intent: ApiIntent): boolean => intent.apiType === "openapi" || intent.apiType === "mcp"

const recordedPublication = (api: ExposedApi): { readonly documentHash: string | undefined } => {
  const publication = api.status?.["publication"]
  const hash = typeof publication === "object" && publication !== null ? Reflect.get(publication, "documentHash") : undefined
  return { documentHash: typeof hash === "string" ? hash : undefined }
}

/** Adds the finalizer before anything exists outside Kubernetes; returns the object as stored. */
const ensureFinalizer = (api: ExposedApi) =>
  Effect.gen(function*() {
    if (api.hasFinalizer(FINALIZER)) return api
    const updated = yield* (yield* Kubernetes).patch(ExposedApis, api.metadata.namespace, api.metadata.name, {
      type: "merge",
      body: { metadata: { resourceVersion: api.metadata.resourceVersion, finalizers: [...api.metadata.finalizers, FINALIZER] } }
    })
    return yield* Schema.decodeUnknown(ExposedApi)(updated).pipe(Effect.orDie)
  })

/** Readiness of the implementation: the Service has at least one ready endpoint in its EndpointSlices. */
const implementationReady = (intent: ApiIntent) =>
  Effect.flatMap(Kubernetes, (kube) =>
    kube.list(EndpointSlices, { namespace: intent.namespace, labelSelector: `kubernetes.io/service-name=${intent.implementation.service}` }).pipe(
      Effect.map((list) => hasReadyEndpoint(list.items))
    ))

/** The Ready Event's text: where the API is published, or that it is reachable through its Ingress only. */
const readyNote = (apiStatus: unknown): string => {
  const url = typeof apiStatus === "object" && apiStatus !== null ? Reflect.get(apiStatus, "url") : undefined
  return typeof url === "string" && url !== "" ? `published at ${url}` : "ready behind its Ingress (not published to the gateway by design)"
}

interface StatusInputs {
  readonly api: ExposedApi
  readonly intent: ApiIntent | undefined
  readonly book: ConditionBook
  readonly ready: boolean | undefined
  readonly publication: Publication | undefined
}

/** status.apiStatus, status.implementation, conditions and what was applied; written only when they changed. */
const finishStatus = ({ api, book, intent, publication, ready }: StatusInputs) =>
  Effect.gen(function*() {
    const environment = yield* OperatorEnvironment
    const wasReady = Option.exists(findCondition(conditionsOf(api.status), READY), (c) => c.status === "True")
    book.apply(readyFrom(book.conditions, book.generation))
    const nowReady = Option.exists(findCondition(book.conditions, READY), (c) => c.status === "True")
    const previousStatus = api.status ?? {}
    const apiStatus = intent === undefined
      ? previousStatus["apiStatus"]
      : yield* environment.service.pipe(
        Effect.map((service) => ({
          name: intent.apiName,
          url: publishedToApim(intent) ? `${service.gatewayUrl}/${apimPath(intent)}` : "",
          path: intent.path,
          port: intent.implementation.port,
          implementation: intent.implementation.service,
          ...(intent.developerUI === undefined ? {} : { developerUI: `${service.gatewayUrl}${intent.developerUI}` })
        })),
        Effect.mapError(asFailure)
      )
    const wrote = yield* writeStatus(api, {
      apiStatus,
      implementation: ready === undefined ? previousStatus["implementation"] : { ready },
      conditions: book.conditions,
      publication: publication === undefined
        ? previousStatus["publication"]
        : { ...publication, observedGeneration: book.generation }
    }).pipe(Effect.mapError(asFailure))
    if (nowReady && !wasReady) {
      const now = yield* Clock.currentTimeMillis
      const created = Date.parse(api.metadata.creationTimestamp ?? "")
      if (Number.isFinite(created)) yield* Metric.update(timeToReady, Math.max(0, (now - created) / 1000))
      yield* (yield* Recorder).record(subjectOf(api), {
        type: "Normal",
        reason: "Ready",
        action: "Publish",
        note: readyNote(apiStatus)
      })
    }
    return wrote
  })

/** Converges one live ExposedAPI: Ingress, address, APIM API and policy, status. */
const converge = (api: ExposedApi) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const settings = yield* OperatorConfig
    const recorder = yield* Recorder
    const book = yield* newConditionBook(api, conditionsOf(api.status))
    const subject = subjectOf(api)

    const parsed = toApiIntent(api, intentSettings(settings))
    if (Either.isLeft(parsed)) {
      book.set(READY, "False", "InvalidSpec", parsed.left.message)
      yield* recorder.record(subject, { type: "Warning", reason: "InvalidSpec", action: "Validate", note: parsed.left.message })
      yield* writeStatus(api, {
        apiStatus: api.status?.["apiStatus"],
        implementation: api.status?.["implementation"],
        conditions: book.conditions,
        publication: api.status?.["publication"]
      }).pipe(Effect.mapError(asFailure))
      return Outcome.Done() // nothing to retry until the spec changes; what is published stays as it is
    }
    const intent = parsed.right

    // 1. the Ingress, owned by the ExposedAPI
    const desired = ingressFor(api, intent, { ingressClassName: settings.ingressClassName })
    const observed = yield* kube.get(Ingresses, intent.namespace, intent.name).pipe(Effect.mapError(asFailure))
    const action = planIngress(desired, observed, api.metadata.uid)
    const ingress = yield* IngressAction.$match(action, {
      Create: ({ manifest }) => kube.create(Ingresses, intent.namespace, { ...manifest }).pipe(Effect.map(Option.some)),
      Replace: ({ manifest, resourceVersion }) =>
        kube.replace(Ingresses, intent.namespace, intent.name, {
          ...manifest,
          metadata: { ...manifest.metadata, resourceVersion }
        }).pipe(Effect.map(Option.some)),
      Keep: () => Effect.succeed(observed),
      Conflict: () => Effect.succeedNone
    }).pipe(Effect.mapError(asFailure))
    if (action._tag === "Conflict") {
      book.set(INGRESS_READY, "False", "IngressConflict", action.message)
      yield* recorder.record(subject, { type: "Warning", reason: "IngressConflict", action: "CreateIngress", note: action.message })
      yield* finishStatus({ api, intent, book, ready: undefined, publication: undefined })
      return Outcome.RequeueAfter({ after: settings.resyncInterval })
    }
    if (action._tag === "Create" || action._tag === "Replace") {
      yield* recorder.record(subject, {
        type: "Normal",
        reason: action._tag === "Create" ? "IngressCreated" : "IngressUpdated",
        action: "CreateIngress",
        note: `Ingress ${intent.namespace}/${intent.name} routes ${intent.path} to Service ${intent.implementation.service}:${intent.implementation.port}`
      })
    }

    const ready = yield* implementationReady(intent).pipe(Effect.mapError(asFailure))
    book.set(
      IMPLEMENTATION_READY,
      ready ? "True" : "False",
      ready ? "EndpointsReady" : "NoReadyEndpoints",
      ready
        ? `Service ${intent.implementation.service} has ready endpoints`
        : `Service ${intent.implementation.service} has no ready endpoint (yet)`
    )

    // 2. the address the ingress controller gave it
    const address = Option.flatMap(ingress, ingressAddress)
    if (Option.isNone(address)) {
      book.set(INGRESS_READY, "False", "AddressPending", `waiting for the ingress controller (class ${settings.ingressClassName}) to give Ingress ${intent.name} an address`)
      yield* finishStatus({ api, intent, book, ready, publication: undefined })
      return Outcome.RequeueAfter({ after: ADDRESS_RECHECK })
    }
    const serviceUrl = backendUrl(address.value, intent.path)
    book.set(INGRESS_READY, "True", "AddressAssigned", `Ingress ${intent.name} is served at ${serviceUrl}`)

    // 3. APIM: the API and its policy
    if (!publishedToApim(intent)) {
      const note = `${intent.apiType} APIs are not published to the public gateway; they are reachable through the Ingress only`
      book.set(API_PUBLISHED, "True", "NotPublishedByDesign", note)
      book.set(POLICIES_APPLIED, "True", "NotPublishedByDesign", note)
      yield* finishStatus({ api, intent, book, ready, publication: undefined })
      return Outcome.Done()
    }
    const published = yield* publishApi(api, intent, serviceUrl, recordedPublication(api).documentHash, policySettings(settings), book).pipe(
      // record what failed on the object before the controller decides about retrying
      Effect.tapError(() => finishStatus({ api, intent, book, ready, publication: undefined }).pipe(Effect.ignore))
    )
    yield* finishStatus({ api, intent, book, ready, publication: Either.getOrUndefined(published) })
    return Outcome.Done()
  })

/**
 * Reconciles one ExposedAPI, level-triggered: it reads the current state itself and converges it, whatever event
 * brought the key. Deletion goes through the finalizer; a conflict (someone wrote first) simply comes round again.
 */
export const reconcileExposedApi = (key: ObjectKey) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const { namespace, name } = splitKey(key)
    const found = yield* kube.get(ExposedApis, namespace, name).pipe(Effect.mapError(asFailure))
    if (Option.isNone(found)) return Outcome.Done()
    const decoded = Schema.decodeUnknownEither(ExposedApi)(found.value)
    if (Either.isLeft(decoded)) {
      yield* Effect.logError("ExposedAPI cannot be decoded; skipped", decoded.left.message)
      return Outcome.Done()
    }
    const api = decoded.right
    if (api.isDeleting) {
      yield* finalizeExposedApi(api)
      return Outcome.Done()
    }
    const current = yield* ensureFinalizer(api).pipe(Effect.mapError(asFailure))
    return yield* converge(current)
  }).pipe(
    Effect.catchTag("ReconcileFailure", (failure): Effect.Effect<Outcome, ReconcileFailure> => {
      if (failure.reason === "KubeConflict") return Effect.succeed(Outcome.RequeueAfter({ after: Duration.millis(50) })) // re-read, retry
      if (failure.reason === "KubeNotFound") return Effect.succeed(Outcome.Done()) // it went away meanwhile
      return Effect.fail(failure)
    }),
    Effect.annotateLogs({ exposedApi: key })
  )
