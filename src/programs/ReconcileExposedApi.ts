import { Duration, Effect, Either, Option, Schema } from "effect"
import { type ApiIntent, type ObjectKey, publishedToApim, splitKey } from "../domain/ApiIntent.ts"
import { capabilitiesOf, type CapabilityContext } from "../domain/Capabilities.ts"
import {
  API_PUBLISHED,
  conditionsOf,
  hasReadyEndpoint,
  IMPLEMENTATION_READY,
  IN_SYNC,
  INGRESS_READY,
  POLICIES_APPLIED,
  READY
} from "../domain/Conditions.ts"
import { DRIFT_MODE_ANNOTATION, type DriftMode, driftModeOf } from "../domain/DriftMode.ts"
import { ExposedApi, FINALIZER, type IntentSettings, toApiIntent } from "../domain/ExposedApi.ts"
import { backendUrl, ingressAddress, ingressFor } from "../domain/Ingress.ts"
import { type AppliedHashes, planIngress } from "../domain/Plan.ts"
import type { PolicySettings } from "../domain/Policy.ts"
import { EndpointSlices, ExposedApis, Ingresses } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import { OperatorConfig, type OperatorSettings } from "../services/OperatorConfig.ts"
import { policySettingsOf } from "../services/PolicySettingsConfig.ts"
import { Recorder } from "../services/Recorder.ts"
import { Outcome } from "./Controller.ts"
import { asFailure, type ConditionBook, newConditionBook, type ReconcileFailure, subjectOf, writeStatus } from "./ExposedApiStatus.ts"
import { finalizeExposedApi } from "./FinalizeExposedApi.ts"
import { finishStatus } from "./FinishStatus.ts"
import { convergeGatewayOnlyTraffic } from "./GatewayOnlyTraffic.ts"
import { type Publication, publishApi } from "./PublishApi.ts"

export { publishedToApim } from "../domain/ApiIntent.ts"

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

export const capabilityContext = (s: OperatorSettings): CapabilityContext => ({
  gatewayOnlyTraffic: s.gatewayOnlyTraffic.enabled,
  specRefreshInterval: Duration.format(s.specFetch.refreshInterval)
})

const recordedString = (value: unknown, key: string): string | undefined => {
  const found = typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
  return typeof found === "string" ? found : undefined
}

/** What status says was last applied to APIM. */
const appliedHashes = (api: ExposedApi): AppliedHashes => {
  const publication = api.status?.["publication"]
  return {
    documentHash: recordedString(publication, "documentHash"),
    definitionHash: recordedString(publication, "definitionHash"),
    policyHash: recordedString(publication, "policyHash")
  }
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

/**
 * A resource the operator cannot act on (invalid spec, invalid drift-mode annotation): Ready=False with the reason,
 * a Warning Event when that is news, and nothing else written; what is published stays as it is until the
 * resource changes. A resync of a resource still refused writes nothing.
 */
const refuse = (api: ExposedApi, book: ConditionBook, reason: string, message: string) =>
  Effect.gen(function*() {
    const before = book.conditions
    book.set(READY, "False", reason, message)
    if (book.conditions !== before) yield* (yield* Recorder).record(subjectOf(api), { type: "Warning", reason, action: "Validate", note: message })
    yield* writeStatus(api, {
      apiStatus: api.status?.["apiStatus"],
      implementation: api.status?.["implementation"],
      conditions: book.conditions,
      publication: api.status?.["publication"],
      capabilities: api.status?.["capabilities"]
    }).pipe(Effect.mapError(asFailure))
    return Outcome.Done()
  })

/** Hands off (drift mode paused): only the status says so. */
const pause = (api: ExposedApi, book: ConditionBook) =>
  Effect.gen(function*() {
    const fromAnnotation = api.metadata.annotations?.[DRIFT_MODE_ANNOTATION] !== undefined
    book.set(
      IN_SYNC,
      "Unknown",
      "Paused",
      `drift control is paused (${fromAnnotation ? `annotation ${DRIFT_MODE_ANNOTATION}` : "the operator's DRIFT_MODE"}): API Management, the Ingress and the NetworkPolicy are neither read nor written until it changes; deleting the ExposedAPI still unpublishes it`
    )
    yield* finishStatus({ api, intent: undefined, book, ready: undefined, publication: undefined, reportToComponent: false })
    return Outcome.Done()
  })

/** Converges one live ExposedAPI: Ingress, NetworkPolicy, address, APIM API and policy, status, parent Component. */
const converge = (api: ExposedApi) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const settings = yield* OperatorConfig
    const recorder = yield* Recorder
    const book = yield* newConditionBook(api, conditionsOf(api.status))
    const subject = subjectOf(api)

    const mode = driftModeOf(api.metadata.annotations, settings.driftMode)
    if (Either.isLeft(mode)) return yield* refuse(api, book, "InvalidDriftMode", `${mode.left}; nothing is written until it is fixed`)
    if (mode.right === "paused") return yield* pause(api, book)
    const driftMode: DriftMode = mode.right

    const parsed = toApiIntent(api, intentSettings(settings))
    if (Either.isLeft(parsed)) return yield* refuse(api, book, "InvalidSpec", parsed.left.message)
    const intent = parsed.right
    const capabilities = capabilitiesOf(api.spec, intent, capabilityContext(settings))
    const finish = (ready: boolean | undefined, publication?: Publication) =>
      finishStatus({ api, intent, book, ready, publication, capabilities })

    // 1. the Ingress, owned by the ExposedAPI
    const desired = ingressFor(api, intent, { ingressClassName: settings.ingressClassName })
    const observed = yield* kube.get(Ingresses, intent.namespace, intent.name).pipe(Effect.mapError(asFailure))
    const action = planIngress(desired, observed, api.metadata.uid)
    if (action._tag === "Conflict") {
      book.set(INGRESS_READY, "False", "IngressConflict", action.message)
      yield* recorder.record(subject, { type: "Warning", reason: "IngressConflict", action: "CreateIngress", note: action.message })
      yield* finish(undefined)
      return Outcome.RequeueAfter({ after: settings.resyncInterval })
    }
    const ingress = action._tag === "Keep"
      ? observed
      : yield* (action._tag === "Create"
        ? kube.create(Ingresses, intent.namespace, { ...action.manifest })
        : kube.replace(Ingresses, intent.namespace, intent.name, {
          ...action.manifest,
          metadata: { ...action.manifest.metadata, resourceVersion: action.resourceVersion }
        })).pipe(Effect.map(Option.some), Effect.mapError(asFailure))
    if (action._tag !== "Keep") {
      yield* recorder.record(subject, {
        type: "Normal",
        reason: action._tag === "Create" ? "IngressCreated" : "IngressUpdated",
        action: "CreateIngress",
        note: `Ingress ${intent.namespace}/${intent.name} routes ${intent.path} to Service ${intent.implementation.service}:${intent.implementation.port}`
      })
    }

    // 2. only the ingress gateway may reach the implementation (setting GATEWAY_ONLY_TRAFFIC)
    yield* convergeGatewayOnlyTraffic(api, intent, book)

    const ready = yield* implementationReady(intent).pipe(Effect.mapError(asFailure))
    book.set(
      IMPLEMENTATION_READY,
      ready ? "True" : "False",
      ready ? "EndpointsReady" : "NoReadyEndpoints",
      ready
        ? `Service ${intent.implementation.service} has ready endpoints`
        : `Service ${intent.implementation.service} has no ready endpoint (yet)`
    )

    // 3. the address the ingress controller gave it
    const address = Option.flatMap(ingress, ingressAddress)
    if (Option.isNone(address)) {
      book.set(INGRESS_READY, "False", "AddressPending", `waiting for the ingress controller (class ${settings.ingressClassName}) to give Ingress ${intent.name} an address`)
      yield* finish(ready)
      return Outcome.RequeueAfter({ after: ADDRESS_RECHECK })
    }
    const serviceUrl = backendUrl(address.value, intent.path)
    book.set(INGRESS_READY, "True", "AddressAssigned", `Ingress ${intent.name} is served at ${serviceUrl}`)

    // 4. APIM: the API and its policy
    if (!publishedToApim(intent)) {
      const note = `${intent.apiType} APIs are not published to the public gateway; they are reachable through the Ingress only`
      book.set(API_PUBLISHED, "True", "NotPublishedByDesign", note)
      book.set(POLICIES_APPLIED, "True", "NotPublishedByDesign", note)
      book.set(IN_SYNC, "True", "NotPublishedByDesign", note)
      yield* finish(ready)
      return Outcome.Done()
    }
    const published = yield* publishApi(api, intent, serviceUrl, appliedHashes(api), policySettings(settings), book, driftMode).pipe(
      // record what failed on the object before the controller decides about retrying
      Effect.tapError(() => finish(ready).pipe(Effect.ignore))
    )
    yield* finish(ready, Either.getOrUndefined(published))
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
