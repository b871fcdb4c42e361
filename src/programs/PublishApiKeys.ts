import { Array as Arr, Effect, Option, Redacted, Schema } from "effect"
import { apimPath, type ApiIntent } from "../domain/ApiIntent.ts"
import {
  type ApiKeyRecord,
  apiKeySecretFor,
  apiKeySubscriptionId,
  apiKeySecretName,
  apiKeyUsage,
  checkApiKeySecret,
  isManagedProduct,
  type ObservedSecret,
  productDrift,
  productFor,
  type ProductPlan,
  secretDiffers,
  subscriptionDrift,
  subscriptionFor,
  type SubscriptionPlan
} from "../domain/ApiKeys.ts"
import { apimApiId } from "../domain/ApiNaming.ts"
import { conditionsOf, findCondition, POLICIES_APPLIED } from "../domain/Conditions.ts"
import type { DriftMode } from "../domain/DriftMode.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { Apim } from "../services/Apim.ts"
import type { ProductState, SubscriptionKeys } from "../services/ApimCatalog.ts"
import { convergeOnce } from "../services/KeyedLock.ts"
import { type KubeObject, Secrets } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import { Recorder } from "../services/Recorder.ts"
import { OperatorEnvironment } from "./Bootstrap.ts"
import { asFailure, type ConditionBook, subjectOf } from "./ExposedApiStatus.ts"
import { type DriftGate, driftGate, type PieceDrift, writeReason } from "./PieceDrift.ts"

/**
 * `apiKeyVerification` beyond the API definition (which already requires a subscription key): the API in its
 * product, a subscription to the product, the subscription's keys in a Secret owned by the ExposedAPI. At rest it
 * costs three ARM reads (product, link, subscription) and one Secret read: the keys are read from APIM (a POST)
 * only when the subscription's ETag or the Secret differs from what was written. What was set up is recorded in
 * status (`publication.apiKey`), so turning the feature off undoes it without probing APIM for every API.
 */

const ApiKeyRecordSchema = Schema.Struct({ productId: Schema.String, subscriptionId: Schema.String })

export const recordedApiKey = (api: ExposedApi): Option.Option<ApiKeyRecord> => {
  const publication = api.status?.["publication"]
  const record: unknown = typeof publication === "object" && publication !== null ? Reflect.get(publication, "apiKey") : undefined
  return Schema.decodeUnknownOption(ApiKeyRecordSchema)(record)
}

const SecretData = Schema.Record({ key: Schema.String, value: Schema.String })

const observedSecret = (object: KubeObject): ObservedSecret => ({
  metadata: object.metadata,
  data: Option.getOrElse(Schema.decodeUnknownOption(SecretData)(object["data"]), () => ({}))
})

const productDefinition = ({ id: _id, ...definition }: ProductPlan) => definition

/** The product as planned; false when it is missing and the drift mode leaves it so. */
const ensureProduct = (api: ExposedApi, plan: ProductPlan, unchanged: boolean, gate: DriftGate) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    // another reconcile of the same Component may be creating the product at this very moment
    const inOrder = (observed: Option.Option<ProductState>) => Option.exists(observed, (product) => productDrift(plan, product).length === 0)
    const written = yield* convergeOnce(apim.oneAtATime, `products/${plan.id}`, apim.getProduct(plan.id), inOrder, (observed) =>
      writeProduct(api, plan, observed, unchanged, gate))
    return Option.getOrElse(written, () => true)
  })

const writeProduct = (api: ExposedApi, plan: ProductPlan, observed: Option.Option<ProductState>, unchanged: boolean, gate: DriftGate) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const drifted = Option.match(observed, { onNone: () => [], onSome: (product) => productDrift(plan, product) })
    const reason = writeReason(unchanged, Option.isSome(observed))
    if (!gate.allows(reason, Option.isNone(observed) ? `product ${plan.id} is missing` : `product ${plan.id} differs in ${drifted.join(", ")}`)) {
      return Option.isSome(observed)
    }
    yield* apim.putProduct(plan.id, productDefinition(plan), Option.getOrUndefined(Option.map(observed, (p) => p.etag)))
    yield* (yield* Recorder).record(subjectOf(api), {
      type: "Normal",
      reason: Option.isNone(observed) ? "ProductCreated" : "ProductUpdated",
      action: "PublishApiKeys",
      note: Option.isNone(observed)
        ? `APIM product ${plan.id} created for the API keys of ${plan.displayName}`
        : `APIM product ${plan.id} differed in ${drifted.join(", ")}; re-applied`
    })
    return true
  })

/** The subscription as planned; None when it is missing and the drift mode leaves it so. */
const ensureSubscription = (plan: SubscriptionPlan, unchanged: boolean, gate: DriftGate) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const definition = { displayName: plan.displayName, productId: plan.productId, state: plan.state }
    const observed = yield* apim.getSubscription(plan.id)
    if (Option.isNone(observed)) {
      return gate.allows(writeReason(unchanged, false), `subscription ${plan.id} is missing`)
        ? Option.some(yield* apim.putSubscription(plan.id, definition))
        : Option.none()
    }
    const drifted = subscriptionDrift(plan, observed.value)
    if (drifted.length === 0 || !gate.allows(writeReason(unchanged, true), `subscription ${plan.id} differs in ${drifted.join(", ")}`)) return observed
    return Option.some(yield* apim.updateSubscription(plan.id, definition, observed.value.etag))
  })

/** Removes the API from a product, and the product too when the operator made it and no API is left in it. */
const leaveProduct = (productId: string, apiId: string) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    yield* apim.removeApiFromProduct(productId, apiId)
    const remaining = yield* apim.productApiIds(productId)
    if (Option.isNone(remaining) || remaining.value.length > 0) return
    const product = yield* apim.getProduct(productId)
    if (Option.isNone(product) || !isManagedProduct(product.value)) return
    yield* apim.deleteProduct(productId, product.value.etag).pipe(
      // someone subscribed to it by hand: theirs to remove
      Effect.catchTag("ApimInvalid", (refusal) => Effect.logInfo("empty product kept", refusal.message).pipe(Effect.annotateLogs({ productId })))
    )
  })

/** Deletes the Secret when this ExposedAPI controls it. */
const deleteOwnSecret = (api: ExposedApi) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const { namespace, name, uid } = api.metadata
    const secretName = apiKeySecretName(name)
    const found = yield* kube.get(Secrets, namespace, secretName)
    const ours = Option.filter(found, (s) => s.metadata.ownerReferences.some((r) => r.uid === uid && r.controller === true))
    if (Option.isSome(ours)) yield* kube.delete(Secrets, namespace, secretName, { uid: ours.value.metadata.uid })
    return Option.isSome(ours)
  })

/**
 * Undoes apiKeyVerification: the subscription, the Secret, the API's place in `productIds` and in the product the
 * subscription named, and those products when the operator made them and they are empty now.
 */
export const removeApiKeys = (api: ExposedApi, productIds: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const { namespace, name } = api.metadata
    const apiId = apimApiId(namespace, name)
    const subscriptionId = apiKeySubscriptionId(namespace, name)
    const subscription = yield* apim.getSubscription(subscriptionId)
    if (Option.isSome(subscription)) yield* apim.deleteSubscription(subscriptionId)
    const secretDeleted = yield* deleteOwnSecret(api)
    const scoped = Option.flatMap(subscription, (s) => Option.fromNullable(s.productId))
    const products = Arr.dedupeWith([...productIds, ...Option.toArray(scoped)], (a, b) => a.toLowerCase() === b.toLowerCase())
    for (const productId of products) yield* leaveProduct(productId, apiId)
    return { subscriptionDeleted: Option.isSome(subscription), secretDeleted, products }
  })

/** The keys written to the Secret: the one place they leave their Redacted wrapping. */
const writeSecret = (api: ExposedApi, intent: ApiIntent, usage: ReturnType<typeof apiKeyUsage>, keys: SubscriptionKeys, etag: string, observed: ObservedSecret | undefined) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const desired = apiKeySecretFor(api, intent, usage, { primaryKey: Redacted.value(keys.primaryKey), secondaryKey: Redacted.value(keys.secondaryKey) }, etag)
    if (!secretDiffers(desired, observed)) return false
    if (observed === undefined) yield* kube.create(Secrets, intent.namespace, { ...desired })
    else yield* kube.replace(Secrets, intent.namespace, desired.metadata.name, { ...desired, metadata: { ...desired.metadata, resourceVersion: observed.metadata.resourceVersion } })
    return true
  })

const ensureSecret = (api: ExposedApi, intent: ApiIntent, subscription: { readonly id: string; readonly etag: string }, book: ConditionBook) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const gateway = yield* (yield* OperatorEnvironment).service
    const usage = apiKeyUsage(intent, `${gateway.gatewayUrl}/${apimPath(intent)}`)
    const secretName = apiKeySecretName(intent.name)
    const observed = Option.getOrUndefined(Option.map(yield* kube.get(Secrets, intent.namespace, secretName), observedSecret))
    const check = checkApiKeySecret(api, intent, usage, subscription.etag, observed)
    if (check._tag === "Current") return
    if (check._tag === "Conflict") {
      // the API and its subscription stay published: only handing the keys over waits for the name to be free
      const reported = findCondition(conditionsOf(api.status), POLICIES_APPLIED).pipe(Option.exists((c) => c.reason === "ApiKeySecretConflict"))
      book.set(POLICIES_APPLIED, "False", "ApiKeySecretConflict", check.message)
      if (!reported) yield* (yield* Recorder).record(subjectOf(api), { type: "Warning", reason: "ApiKeySecretConflict", action: "PublishApiKeys", note: check.message })
      return
    }
    const keys = yield* (yield* Apim).subscriptionKeys(subscription.id)
    if (yield* writeSecret(api, intent, usage, keys, subscription.etag, observed)) {
      yield* (yield* Recorder).record(subjectOf(api), {
        type: "Normal",
        reason: "ApiKeySecretWritten",
        action: "PublishApiKeys",
        note: `Secret ${intent.namespace}/${secretName} holds the keys of APIM subscription ${subscription.id}`
      })
    }
  })

export interface ApiKeyOutcome {
  /** What to record in status; undefined when the feature is off. */
  readonly record: ApiKeyRecord | undefined
  readonly drift: ReadonlyArray<PieceDrift>
}

/**
 * Converges apiKeyVerification for a published API: what to record in status and the drift found. Turning the
 * feature off is a spec change: always carried out. The Secret is the ExposedAPI's own object, like its Ingress:
 * kept right whatever the drift mode.
 */
export const publishApiKeys = (api: ExposedApi, intent: ApiIntent, book: ConditionBook, driftMode: DriftMode) =>
  Effect.gen(function*() {
    const recorded = recordedApiKey(api)
    if (intent.policies.apiKey === undefined) {
      if (Option.isNone(recorded)) return { record: undefined, drift: [] } satisfies ApiKeyOutcome
      const removed = yield* removeApiKeys(api, [recorded.value.productId])
      yield* (yield* Recorder).record(subjectOf(api), {
        type: "Normal",
        reason: "ApiKeysRemoved",
        action: "PublishApiKeys",
        note: `apiKeyVerification is off: API ${intent.apiId} left ${removed.products.join(", ")}; its subscription${removed.secretDeleted ? " and Secret" : ""} deleted`
      })
      return { record: undefined, drift: [] } satisfies ApiKeyOutcome
    }
    const apim = yield* Apim
    const gate = driftGate("apiKeys", driftMode)
    const product = productFor(intent)
    const plan = subscriptionFor(intent, product.id)
    const record: ApiKeyRecord = { productId: product.id, subscriptionId: plan.id }
    const unchanged = Option.exists(recorded, (r) => r.productId.toLowerCase() === product.id.toLowerCase())
    const outcome = (): ApiKeyOutcome => ({ record, drift: gate.found() })
    if (!(yield* ensureProduct(api, product, unchanged, gate))) return outcome()
    if (!(yield* apim.isApiInProduct(product.id, intent.apiId)) && gate.allows(writeReason(unchanged, false), `API ${intent.apiId} was taken out of product ${product.id}`)) {
      yield* apim.addApiToProduct(product.id, intent.apiId)
    }
    const subscription = yield* ensureSubscription(plan, unchanged, gate)
    if (Option.isNone(subscription)) return outcome()
    yield* ensureSecret(api, intent, { id: plan.id, etag: subscription.value.etag }, book)
    // the Component changed: the API leaves its former product
    if (Option.isSome(recorded) && !unchanged) yield* leaveProduct(recorded.value.productId, intent.apiId)
    return outcome()
  }).pipe(
    Effect.tapError((error) => Effect.sync(() => book.set(POLICIES_APPLIED, "False", error._tag, `apiKeyVerification: ${error.message}`))),
    Effect.mapError(asFailure)
  )

/** On deletion, before the API goes: whatever apiKeyVerification set up for the ExposedAPI goes too. */
export const unpublishApiKeys = (api: ExposedApi) =>
  removeApiKeys(api, Option.toArray(Option.map(recordedApiKey(api), (record) => record.productId))).pipe(Effect.mapError(asFailure))
