import type { ApiManagementClient, ProductContract, SubscriptionContract } from "@azure/arm-apimanagement"
import { type Duration, Effect, Option, Redacted } from "effect"
import { type ApiTagRow, isOtherRevision, makeApiListingIndex, tagsByApi } from "./ApiListingIndex.ts"
import { type KeyedLock, makeKeyedLock } from "./KeyedLock.ts"
import type { ApimError } from "./ApimErrors.ts"

/**
 * The APIM operations around an API rather than on it: products and their API links, subscriptions and their
 * keys, tags, policy fragments. Part of the Apim service (it shares its client, error mapping and ARM budget);
 * kept in its own file so each reads in one sitting. No SDK type leaves this file.
 */

export interface ProductDefinition {
  readonly displayName: string
  readonly description: string
  readonly subscriptionRequired: boolean
  readonly approvalRequired: boolean
  readonly state: "published" | "notPublished"
}

export interface ProductState extends ProductDefinition {
  readonly etag: string
}

export interface SubscriptionDefinition {
  readonly displayName: string
  /** The product the subscription opens. */
  readonly productId: string
  readonly state: "active"
}

export interface SubscriptionState {
  readonly etag: string
  readonly displayName: string
  /** The product in the subscription's scope; undefined for an API-scoped or all-APIs subscription. */
  readonly productId: string | undefined
  readonly state: string
}

/** A subscription's keys: secrets, kept Redacted until they are written where they belong. */
export interface SubscriptionKeys {
  readonly primaryKey: Redacted.Redacted<string>
  readonly secondaryKey: Redacted.Redacted<string>
}

export interface TagState {
  readonly id: string
  readonly displayName: string
}

export interface PolicyFragmentState {
  readonly etag: string
  readonly description: string | undefined
}

export interface ApimCatalogApi {
  readonly getProduct: (productId: string) => Effect.Effect<Option.Option<ProductState>, ApimError>
  readonly putProduct: (productId: string, product: ProductDefinition, ifMatch?: string) => Effect.Effect<ProductState, ApimError>
  /** Deletes a product without subscriptions; `ifMatch` guards against a product changed since it was read. Gone counts as deleted. */
  readonly deleteProduct: (productId: string, ifMatch?: string) => Effect.Effect<void, ApimError>
  /** Whether the API is in the product (a missing product or API: false). */
  readonly isApiInProduct: (productId: string, apiId: string) => Effect.Effect<boolean, ApimError>
  readonly addApiToProduct: (productId: string, apiId: string) => Effect.Effect<void, ApimError>
  /** Removes the API from the product; a link, product or API already gone counts as removed. */
  readonly removeApiFromProduct: (productId: string, apiId: string) => Effect.Effect<void, ApimError>
  /** The ids of the APIs in a product; None when the product does not exist. */
  readonly productApiIds: (productId: string) => Effect.Effect<Option.Option<ReadonlyArray<string>>, ApimError>
  readonly getSubscription: (sid: string) => Effect.Effect<Option.Option<SubscriptionState>, ApimError>
  /** Creates, or replaces everything but the keys (which APIM keeps when none are given). */
  readonly putSubscription: (sid: string, subscription: SubscriptionDefinition) => Effect.Effect<SubscriptionState, ApimError>
  readonly updateSubscription: (sid: string, subscription: SubscriptionDefinition, ifMatch: string) => Effect.Effect<SubscriptionState, ApimError>
  /** A subscription already gone counts as deleted. */
  readonly deleteSubscription: (sid: string) => Effect.Effect<void, ApimError>
  readonly subscriptionKeys: (sid: string) => Effect.Effect<SubscriptionKeys, ApimError>
  readonly getTag: (tagId: string) => Effect.Effect<Option.Option<TagState>, ApimError>
  readonly putTag: (tagId: string, displayName: string) => Effect.Effect<TagState, ApimError>
  /** The API's tags: from the prefetched listing when it has them, else read. */
  readonly apiTags: (apiId: string) => Effect.Effect<ReadonlyArray<TagState>, ApimError>
  /** Reads every API's tags in one listing, ahead of checking `expected` APIs (a resync); see ApiListingIndex. */
  readonly prefetchApiTags: (expected: number) => Effect.Effect<void, ApimError>
  readonly assignTag: (apiId: string, tagId: string) => Effect.Effect<void, ApimError>
  /** A tag already detached, or gone, counts as detached. */
  readonly detachTag: (apiId: string, tagId: string) => Effect.Effect<void, ApimError>
  readonly getPolicyFragment: (fragmentId: string) => Effect.Effect<Option.Option<PolicyFragmentState>, ApimError>
  /**
   * One reconcile at a time per shared entity (`tags/{id}`, `products/{id}`): the reconciles of a Component's APIs
   * run together and would each create its product and tags; in turn, the later ones read what the first created.
   */
  readonly oneAtATime: KeyedLock
}

/** One SDK call, paced by the ARM budget and mapped to ApimError (the Apim service's own wrapper). */
export type ArmCall = <A>(operation: string, target: string, run: (signal: AbortSignal) => Promise<A>) => Effect.Effect<A, ApimError>

const orNone = <A>(effect: Effect.Effect<A, ApimError>): Effect.Effect<Option.Option<A>, ApimError> =>
  effect.pipe(Effect.map(Option.some), Effect.catchTag("ApimNotFound", () => Effect.succeedNone))

const goneIsDone = (effect: Effect.Effect<unknown, ApimError>): Effect.Effect<void, ApimError> =>
  effect.pipe(Effect.asVoid, Effect.catchTag("ApimNotFound", () => Effect.void))

/** The product id at the end of a subscription scope (`…/products/{id}` or `/products/{id}`). */
export const productOfScope = (scope: string | undefined): string | undefined => /\/products\/([^/]+)\/?$/i.exec(scope ?? "")?.[1]

/** Every item of a paged SDK listing. */
export const collect = async <A>(items: AsyncIterable<A>): Promise<ReadonlyArray<A>> => {
  const all: Array<A> = []
  for await (const item of items) all.push(item)
  return all
}

/** The last segment of an ARM resource id (`…/apis/{id}` -> `{id}`). */
const lastSegment = (id: string | undefined): string | undefined => id?.split("/").filter((s) => s !== "").at(-1)

export const makeCatalog = (client: ApiManagementClient, rg: string, svc: string, arm: ArmCall, listingMaxAge: Duration.Duration): ApimCatalogApi => {
  const toProduct = (p: ProductContract & { readonly eTag?: string | undefined }): ProductState => ({
    etag: p.eTag ?? "",
    displayName: p.displayName ?? "",
    description: p.description ?? "",
    subscriptionRequired: p.subscriptionRequired ?? false,
    approvalRequired: p.approvalRequired ?? false,
    state: p.state === "published" ? "published" : "notPublished"
  })
  // current revisions only: a revision's id carries ";rev=" and its tags are the API's own
  const tagRows = arm("api.listByTags", svc, (abortSignal) => collect(client.api.listByTags(rg, svc, { includeNotTaggedApis: true, abortSignal }))).pipe(
    Effect.map((items) =>
      items.flatMap((item): ReadonlyArray<ApiTagRow> => {
        const apiId = lastSegment(item.api?.id)
        if (apiId === undefined || isOtherRevision(apiId)) return []
        const tagId = lastSegment(item.tag?.id)
        return [{ apiId, tag: tagId === undefined ? undefined : { id: tagId, displayName: item.tag?.name ?? "" } }]
      })
    )
  )
  const tagIndex = makeApiListingIndex(Effect.map(tagRows, tagsByApi), listingMaxAge)

  const toSubscription = (s: SubscriptionContract & { readonly eTag?: string | undefined }): SubscriptionState => ({
    etag: s.eTag ?? "",
    displayName: s.displayName ?? "",
    productId: productOfScope(s.scope),
    state: s.state ?? ""
  })

  const subscriptionParameters = (subscription: SubscriptionDefinition) => ({
    displayName: subscription.displayName,
    scope: `/products/${subscription.productId}`,
    state: subscription.state
  })

  return {
    getProduct: (productId) =>
      orNone(arm("product.get", productId, (abortSignal) => client.product.get(rg, svc, productId, { abortSignal }))).pipe(
        Effect.map(Option.map(toProduct))
      ),

    putProduct: (productId, product, ifMatch) =>
      arm("product.put", productId, (abortSignal) =>
        client.product.createOrUpdate(rg, svc, productId, { ...product }, { abortSignal, ...(ifMatch === undefined ? {} : { ifMatch }) })).pipe(
          Effect.map(toProduct)
        ),

    deleteProduct: (productId, ifMatch) =>
      goneIsDone(arm("product.delete", productId, (abortSignal) => client.product.delete(rg, svc, productId, ifMatch ?? "*", { abortSignal }))),

    isApiInProduct: (productId, apiId) =>
      arm("productApi.head", `${productId}/${apiId}`, (abortSignal) =>
        client.productApi.checkEntityExists(rg, svc, productId, apiId, { abortSignal })).pipe(
          Effect.map((answer) => answer.body !== false),
          Effect.catchTag("ApimNotFound", () => Effect.succeed(false))
        ),

    addApiToProduct: (productId, apiId) =>
      arm("productApi.put", `${productId}/${apiId}`, (abortSignal) =>
        client.productApi.createOrUpdate(rg, svc, productId, apiId, { abortSignal })).pipe(Effect.asVoid),

    removeApiFromProduct: (productId, apiId) =>
      goneIsDone(arm("productApi.delete", `${productId}/${apiId}`, (abortSignal) =>
        client.productApi.delete(rg, svc, productId, apiId, { abortSignal }))),

    productApiIds: (productId) =>
      orNone(arm("productApi.list", productId, (abortSignal) => collect(client.productApi.listByProduct(rg, svc, productId, { abortSignal })))).pipe(
        Effect.map(Option.map((apis) => apis.flatMap((api) => (api.name === undefined ? [] : [api.name]))))
      ),

    getSubscription: (sid) =>
      orNone(arm("subscription.get", sid, (abortSignal) => client.subscription.get(rg, svc, sid, { abortSignal }))).pipe(
        Effect.map(Option.map(toSubscription))
      ),

    putSubscription: (sid, subscription) =>
      arm("subscription.put", sid, (abortSignal) =>
        client.subscription.createOrUpdate(rg, svc, sid, subscriptionParameters(subscription), { abortSignal })).pipe(
          Effect.map(toSubscription)
        ),

    updateSubscription: (sid, subscription, ifMatch) =>
      arm("subscription.update", sid, (abortSignal) =>
        client.subscription.update(rg, svc, sid, ifMatch, subscriptionParameters(subscription), { abortSignal })).pipe(
          Effect.map(toSubscription)
        ),

    deleteSubscription: (sid) =>
      goneIsDone(arm("subscription.delete", sid, (abortSignal) => client.subscription.delete(rg, svc, sid, "*", { abortSignal }))),

    subscriptionKeys: (sid) =>
      arm("subscription.listSecrets", sid, (abortSignal) => client.subscription.listSecrets(rg, svc, sid, { abortSignal })).pipe(
        Effect.map((keys) => ({ primaryKey: Redacted.make(keys.primaryKey ?? ""), secondaryKey: Redacted.make(keys.secondaryKey ?? "") }))
      ),

    getTag: (tagId) =>
      orNone(arm("tag.get", tagId, (abortSignal) => client.tag.get(rg, svc, tagId, { abortSignal }))).pipe(
        Effect.map(Option.map((tag) => ({ id: tag.name ?? tagId, displayName: tag.displayName ?? "" })))
      ),

    putTag: (tagId, displayName) =>
      arm("tag.put", tagId, (abortSignal) => client.tag.createOrUpdate(rg, svc, tagId, { displayName }, { abortSignal })).pipe(
        Effect.map((tag) => ({ id: tag.name ?? tagId, displayName: tag.displayName ?? displayName }))
      ),

    apiTags: (apiId) =>
      tagIndex.take(apiId).pipe(Effect.flatMap(Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          arm("tag.listByApi", apiId, (abortSignal) => collect(client.tag.listByApi(rg, svc, apiId, { abortSignal }))).pipe(
            Effect.map((tags) => tags.flatMap((tag) => (tag.name === undefined ? [] : [{ id: tag.name, displayName: tag.displayName ?? "" }])))
          )
      }))),

    prefetchApiTags: tagIndex.prefetch,

    assignTag: (apiId, tagId) =>
      tagIndex.forget(apiId).pipe(
        Effect.zipRight(arm("tag.assignToApi", `${apiId}/${tagId}`, (abortSignal) => client.tag.assignToApi(rg, svc, apiId, tagId, { abortSignal }))),
        Effect.asVoid
      ),

    detachTag: (apiId, tagId) =>
      tagIndex.forget(apiId).pipe(
        Effect.zipRight(goneIsDone(arm("tag.detachFromApi", `${apiId}/${tagId}`, (abortSignal) => client.tag.detachFromApi(rg, svc, apiId, tagId, { abortSignal }))))
      ),

    oneAtATime: makeKeyedLock(),

    getPolicyFragment: (fragmentId) =>
      orNone(arm("policyFragment.get", fragmentId, (abortSignal) => client.policyFragment.get(rg, svc, fragmentId, { abortSignal }))).pipe(
        Effect.map(Option.map((fragment) => ({ etag: fragment.eTag ?? "", description: fragment.description })))
      )
  }
}
