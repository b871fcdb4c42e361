import { createHash } from "node:crypto"
import type { ApiIntent } from "./ApiIntent.ts"
import { apimApiId, apimApiProductId, apimComponentProductId } from "./ApiNaming.ts"
import { contentHash } from "./ContentHash.ts"
import { GROUP } from "./ExposedApi.ts"
import { controllerReference, type IngressManifest, type IngressOwnerReference, ownedLabels } from "./Ingress.ts"
import { subscriptionKeySettings } from "./policy/SubscriptionKeys.ts"

/**
 * `apiKeyVerification`: the API goes into an APIM product, a subscription to that product holds the keys, and
 * the keys go to a Kubernetes Secret owned by the ExposedAPI.
 *
 * One product per ODA Component (label `oda.tmforum.org/componentName`), named after its namespace and name:
 * a key of the Component opens the Component's APIs, as a consumer of the Component expects. An ExposedAPI
 * without the label gets a product of its own rather than one per namespace, so a key never opens APIs that
 * merely share a namespace. The subscription has the API's own id (one per ExposedAPI).
 */

/** The first words of the description of every product the operator creates: what it may delete. */
export const MANAGED_PRODUCT_MARKER = "Managed by oda-apim-operator."

export interface ProductPlan {
  readonly id: string
  readonly displayName: string
  readonly description: string
  readonly subscriptionRequired: true
  readonly approvalRequired: false
  readonly state: "published"
}

/** APIM limits product display names to 300 characters and subscription display names to 100. */
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

export const productFor = (intent: Pick<ApiIntent, "namespace" | "name" | "component">): ProductPlan => {
  const common = { subscriptionRequired: true, approvalRequired: false, state: "published" } as const
  if (intent.component !== undefined) {
    return {
      id: apimComponentProductId(intent.namespace, intent.component),
      displayName: clip(`ODA Component ${intent.component} (${intent.namespace})`, 300),
      description: `${MANAGED_PRODUCT_MARKER} A subscription opens the APIs of ODA Component ${intent.component} in namespace ${intent.namespace}.`,
      ...common
    }
  }
  return {
    id: apimApiProductId(intent.namespace, intent.name),
    displayName: clip(`ODA ExposedAPI ${intent.namespace}/${intent.name}`, 300),
    description: `${MANAGED_PRODUCT_MARKER} A subscription opens the API of ExposedAPI ${intent.namespace}/${intent.name} (it belongs to no ODA Component).`,
    ...common
  }
}

/** Whether a product was created by the operator (and may be deleted by it once empty). */
export const isManagedProduct = (product: { readonly description: string }): boolean => product.description.startsWith(MANAGED_PRODUCT_MARKER)

/** The fields of a product the operator sets, where APIM differs from the plan (empty: nothing to write). */
export const productDrift = (
  plan: ProductPlan,
  observed: { readonly displayName: string; readonly description: string; readonly subscriptionRequired: boolean; readonly approvalRequired: boolean; readonly state: string }
): ReadonlyArray<string> =>
  (["displayName", "description", "subscriptionRequired", "approvalRequired", "state"] as const).filter((field) => plan[field] !== observed[field])

export interface SubscriptionPlan {
  readonly id: string
  readonly displayName: string
  readonly productId: string
  readonly state: "active"
}

/** One subscription per ExposedAPI, with the API's own id. */
export const apiKeySubscriptionId = (namespace: string, name: string): string => apimApiId(namespace, name)

export const subscriptionFor = (intent: Pick<ApiIntent, "namespace" | "name">, productId: string): SubscriptionPlan => ({
  id: apiKeySubscriptionId(intent.namespace, intent.name),
  displayName: clip(`ExposedAPI ${intent.namespace}/${intent.name}`, 100),
  productId,
  state: "active"
})

export const subscriptionDrift = (
  plan: SubscriptionPlan,
  observed: { readonly displayName: string; readonly productId: string | undefined; readonly state: string }
): ReadonlyArray<string> => [
  ...(plan.displayName === observed.displayName ? [] : ["displayName"]),
  ...(plan.productId.toLowerCase() === observed.productId?.toLowerCase() ? [] : ["scope"]),
  ...(plan.state === observed.state ? [] : ["state"])
]

/** What the operator records in status about what it set up, so that turning the feature off can undo it. */
export interface ApiKeyRecord {
  readonly productId: string
  readonly subscriptionId: string
}

// ---- the Secret ----

/** `<exposedapi>-api-key`; a name too long for a Secret is cut and given a hash of the full one. */
export const apiKeySecretName = (exposedApiName: string): string => {
  const name = `${exposedApiName}-api-key`
  if (name.length <= 253) return name
  const hash = createHash("sha256").update(exposedApiName, "utf8").digest("hex").slice(0, 8)
  return `${exposedApiName.slice(0, 253 - "-api-key".length - 9).replace(/[-.]+$/, "")}-${hash}-api-key`
}

/** The subscription ETag the Secret's keys were read at: a different one means the keys may have changed. */
export const SUBSCRIPTION_ETAG_ANNOTATION = `${GROUP}/subscription-etag`
/** Content hash of the Secret's data, labels and owner as the operator wrote them: any other edit is noticed. */
export const SECRET_HASH_ANNOTATION = `${GROUP}/spec-hash`

/** The Secret's non-secret entries: how to call the API with the keys. */
export interface ApiKeyUsage {
  readonly url: string
  readonly headerName: string
  readonly queryParameterName: string
}

export const apiKeyUsage = (intent: Pick<ApiIntent, "policies">, url: string): ApiKeyUsage => {
  const names = subscriptionKeySettings(intent.policies).subscriptionKeyParameterNames
  return { url, headerName: names.header, queryParameterName: names.query }
}

export interface SecretOwner {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly uid: string }
}

export interface ApiKeySecretManifest {
  readonly apiVersion: "v1"
  readonly kind: "Secret"
  readonly type: "Opaque"
  /** As every object the operator owns for an ExposedAPI has it. */
  readonly metadata: IngressManifest["metadata"]
  /** base64, as the API server stores and returns it. */
  readonly data: Readonly<Record<string, string>>
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64")

const labelsFor = ownedLabels

const ownerReferencesFor = (owner: SecretOwner): ReadonlyArray<IngressOwnerReference> => [controllerReference(owner)]

const secretHash = (data: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>, owner: SecretOwner, etag: string) =>
  contentHash({ data, labels, ownerReferences: ownerReferencesFor(owner), etag })

/**
 * The Secret holding a subscription's keys (`primaryKey`, `secondaryKey`) and how to use them (`headerName`,
 * `queryParameterName`, `url`), owned by the ExposedAPI so it goes with it. Plain strings in, because this is
 * the one place the keys are spelt out: the caller unwraps them on the line that writes the Secret.
 */
export const apiKeySecretFor = (
  owner: SecretOwner,
  intent: Pick<ApiIntent, "component">,
  usage: ApiKeyUsage,
  keys: { readonly primaryKey: string; readonly secondaryKey: string },
  subscriptionEtag: string
): ApiKeySecretManifest => {
  const labels = labelsFor(owner, intent)
  const data = {
    primaryKey: base64(keys.primaryKey),
    secondaryKey: base64(keys.secondaryKey),
    headerName: base64(usage.headerName),
    queryParameterName: base64(usage.queryParameterName),
    url: base64(usage.url)
  }
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: apiKeySecretName(owner.metadata.name),
      namespace: owner.metadata.namespace,
      labels,
      annotations: { [SUBSCRIPTION_ETAG_ANNOTATION]: subscriptionEtag, [SECRET_HASH_ANNOTATION]: secretHash(data, labels, owner, subscriptionEtag) },
      ownerReferences: ownerReferencesFor(owner)
    },
    data
  }
}

/** The part of an existing Secret the planner looks at. */
export interface ObservedSecret {
  readonly metadata: {
    readonly resourceVersion: string
    readonly labels: Readonly<Record<string, string>>
    readonly annotations: Readonly<Record<string, string>>
    readonly ownerReferences: ReadonlyArray<{ readonly uid: string; readonly controller?: boolean | undefined }>
  }
  readonly data: Readonly<Record<string, string>>
}

export type SecretCheck =
  /** The Secret holds the keys of the subscription as it is, and the usage asked for: no read of the keys, no write. */
  | { readonly _tag: "Current" }
  /** Absent, or written for another subscription state or usage, or edited by someone: read the keys, write if different. */
  | { readonly _tag: "Refresh"; readonly resourceVersion: string | undefined }
  /** A Secret of that name belongs to something else: never overwrite it. */
  | { readonly _tag: "Conflict"; readonly message: string }

export const checkApiKeySecret = (
  owner: SecretOwner,
  intent: Pick<ApiIntent, "component">,
  usage: ApiKeyUsage,
  subscriptionEtag: string,
  observed: ObservedSecret | undefined
): SecretCheck => {
  if (observed === undefined) return { _tag: "Refresh", resourceVersion: undefined }
  const controller = observed.metadata.ownerReferences.find((reference) => reference.controller === true)
  if (controller?.uid !== owner.metadata.uid) {
    return {
      _tag: "Conflict",
      message: `a Secret named ${owner.metadata.namespace}/${apiKeySecretName(owner.metadata.name)} already exists and is not controlled by this ExposedAPI; rename or remove it`
    }
  }
  const labels = labelsFor(owner, intent)
  const data = observed.data
  const current =
    observed.metadata.annotations[SUBSCRIPTION_ETAG_ANNOTATION] === subscriptionEtag &&
    observed.metadata.annotations[SECRET_HASH_ANNOTATION] === secretHash(data, labels, owner, subscriptionEtag) &&
    data["headerName"] === base64(usage.headerName) &&
    data["queryParameterName"] === base64(usage.queryParameterName) &&
    data["url"] === base64(usage.url)
  return current ? { _tag: "Current" } : { _tag: "Refresh", resourceVersion: observed.metadata.resourceVersion }
}

/** Whether the Secret to write differs from the one there, by content hash of what the operator sets. */
export const secretDiffers = (desired: ApiKeySecretManifest, observed: ObservedSecret | undefined): boolean => {
  if (observed === undefined) return true
  const managed = (secret: Pick<ObservedSecret, "data"> & { readonly metadata: Pick<ObservedSecret["metadata"], "labels" | "annotations"> }) =>
    contentHash({
      data: secret.data,
      labels: secret.metadata.labels,
      etag: secret.metadata.annotations[SUBSCRIPTION_ETAG_ANNOTATION] ?? null,
      hash: secret.metadata.annotations[SECRET_HASH_ANNOTATION] ?? null
    })
  return managed(desired) !== managed(observed)
}
