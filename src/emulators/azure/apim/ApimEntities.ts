import { isJsonObject, type Json, type JsonObject } from "../../Json.ts"
import { splitRevision, type StoredApi, type StoredPolicy } from "./ApiDefinitions.ts"
import { fail, invalidField, notFound, succeed, validationFailure, type Outcome } from "./ArmFailure.ts"
import { collectionNames, type CollectionName } from "./ArmRoute.ts"
import { entityKinds, type KindContext } from "./EntityKinds.ts"
import { EntityStore, type Deleted, type StoredEntity, type Written } from "./EntityStore.ts"
import { checkIfMatch, type ETagClock } from "./ETags.ts"
import { LinkSet } from "./LinkSet.ts"
import { includedFragments } from "./PolicyValidation.ts"

/**
 * The APIM entities beside APIs (OpenID Connect providers, products, subscriptions, tags, named values,
 * backends, version sets, policy fragments) and the product↔API and API↔tag links. PUT replaces an entity
 * (ARM semantics) with the kind's defaults filled in; PATCH merges; DELETE requires If-Match.
 */
export interface ApimEntitiesOptions {
  readonly serviceId: string
  readonly etags: ETagClock
  readonly now: () => Date
  readonly apiExists: (id: string) => boolean
  readonly apiOf: (id: string) => StoredApi | undefined
  readonly policiesInUse: () => ReadonlyArray<StoredPolicy>
}

interface Options {
  readonly ifMatch?: string | undefined
}

const baseOf = (api: StoredApi): string => splitRevision(api.name).base

export class ApimEntities {
  readonly #options: ApimEntitiesOptions
  readonly #stores = new Map<CollectionName, EntityStore>(collectionNames.map((name) => [name, new EntityStore()]))
  /** product id → API id (an API's base id: links hold for all its revisions). */
  readonly #productApis = new LinkSet()
  /** API id → tag id. */
  readonly #apiTags = new LinkSet()

  constructor(options: ApimEntitiesOptions) {
    this.#options = options
  }

  #store(collection: CollectionName): EntityStore {
    const store = this.#stores.get(collection)
    if (store === undefined) throw new Error(`no store for ${collection}`)
    return store
  }

  #context(id: string): KindContext {
    return {
      id,
      now: this.#options.now,
      serviceId: this.#options.serviceId,
      exists: (collection, entityId) => (collection === "apis" ? this.#options.apiExists(entityId) : this.has(collection, entityId)),
      references: {
        fragmentExists: (fragment) => this.has("policyFragments", fragment),
        backendExists: (backend) => this.has("backends", backend)
      }
    }
  }

  has(collection: CollectionName, id: string): boolean {
    return this.#store(collection).has(id)
  }

  get(collection: CollectionName, id: string): StoredEntity | undefined {
    return this.#store(collection).get(id)
  }

  list(collection: CollectionName): ReadonlyArray<StoredEntity> {
    return this.#store(collection).list()
  }

  put(collection: CollectionName, id: string, body: Json, options: Options = {}): Outcome<Written<StoredEntity>> {
    const store = this.#store(collection)
    const existing = store.get(id)
    const precondition = checkIfMatch(options.ifMatch, existing?.etag, { required: false })
    if (precondition !== undefined) return fail(precondition)
    const properties = isJsonObject(body) ? body["properties"] : undefined
    if (!isJsonObject(properties)) return fail(invalidField("properties", "'properties' is required."))
    const prepared = entityKinds[collection].prepare(properties, this.#context(id), existing?.properties)
    if (!prepared.ok) return prepared
    const value = store.set({ name: id, properties: prepared.value, etag: this.#options.etags.next() })
    return succeed({ value, created: existing === undefined })
  }

  /** PATCH: the given properties over the stored ones; If-Match is required. */
  update(collection: CollectionName, id: string, body: Json, options: Options): Outcome<StoredEntity> {
    const existing = this.get(collection, id)
    if (existing === undefined) return fail(notFound(entityKinds[collection].label))
    const precondition = checkIfMatch(options.ifMatch, existing.etag, { required: true })
    if (precondition !== undefined) return fail(precondition)
    const changes = isJsonObject(body) && isJsonObject(body["properties"]) ? body["properties"] : {}
    const prepared = entityKinds[collection].prepare({ ...existing.properties, ...changes }, this.#context(id), existing.properties)
    if (!prepared.ok) return prepared
    return succeed(this.#store(collection).set({ ...existing, properties: prepared.value, etag: this.#options.etags.next() }))
  }

  /** An edit made in the Azure portal: merged, checked, a new ETag, no precondition. */
  edit(collection: CollectionName, id: string, changes: JsonObject): Outcome<StoredEntity> {
    const existing = this.get(collection, id)
    return existing === undefined
      ? fail(notFound(entityKinds[collection].label))
      : this.update(collection, id, { properties: changes }, { ifMatch: "*" })
  }

  delete(
    collection: CollectionName,
    id: string,
    options: Options & { readonly deleteSubscriptions?: boolean }
  ): Outcome<Deleted> {
    const existing = this.get(collection, id)
    if (existing === undefined) return succeed({ existed: false })
    const precondition = checkIfMatch(options.ifMatch, existing.etag, { required: true })
    if (precondition !== undefined) return fail(precondition)
    const refusal = this.#deletionRefusal(collection, existing, options.deleteSubscriptions === true)
    if (refusal !== undefined) return fail(refusal)
    this.#store(collection).delete(id)
    if (collection === "products") this.#productApis.deleteLeft(existing.name)
    if (collection === "tags") this.#apiTags.deleteRight(existing.name)
    return succeed({ existed: true })
  }

  /** Emulator wording: what the service says in these two cases has not been seen in public. */
  #deletionRefusal(collection: CollectionName, entity: StoredEntity, deleteSubscriptions: boolean) {
    if (collection === "policyFragments") {
      const inUse = this.#options
        .policiesInUse()
        .some((policy) => includedFragments(policy.value, policy.format).some((id) => id.toLowerCase() === entity.name.toLowerCase()))
      return inUse ? invalidField("id", `Policy fragment '${entity.name}' is referenced by a policy and cannot be deleted.`) : undefined
    }
    if (collection !== "products") return undefined
    const scope = `${this.#options.serviceId}/products/${entity.name}`.toLowerCase()
    const subscribed = this.list("subscriptions").filter((s) => String(s.properties["scope"]).toLowerCase() === scope)
    if (subscribed.length === 0) return undefined
    const message = `Product '${entity.name}' has subscriptions; pass deleteSubscriptions=true to delete them with it.`
    if (!deleteSubscriptions) return validationFailure([{ code: "ValidationError", message }])
    for (const subscription of subscribed) this.#store("subscriptions").delete(subscription.name)
    return undefined
  }

  /** The body of `listSecrets` / `listValue`. */
  secrets(collection: CollectionName, id: string): Outcome<JsonObject> {
    const entity = this.get(collection, id)
    const reveal = entityKinds[collection].secrets?.reveal
    if (entity === undefined || reveal === undefined) return fail(notFound(entityKinds[collection].label))
    return succeed(reveal(entity.properties))
  }

  regenerateKey(id: string, key: "primaryKey" | "secondaryKey"): Outcome<StoredEntity> {
    const subscription = this.get("subscriptions", id)
    if (subscription === undefined) return fail(notFound("Subscription"))
    const properties = { ...subscription.properties, [key]: crypto.randomUUID().replace(/-/g, "") }
    const fresh = this.put("subscriptions", id, { properties })
    return fresh.ok ? succeed(fresh.value.value) : fresh
  }

  // ── product ↔ API ─────────────────────────────────────────────────────────────────────────────────────
  #productAndApi(productId: string, apiId: string): Outcome<{ readonly product: StoredEntity; readonly api: StoredApi }> {
    const product = this.get("products", productId)
    if (product === undefined) return fail(notFound("Product"))
    const api = this.#options.apiOf(apiId)
    return api === undefined ? fail(notFound("Api")) : succeed({ product, api })
  }

  linkProductApi(productId: string, apiId: string): Outcome<Written<StoredApi>> {
    const found = this.#productAndApi(productId, apiId)
    if (!found.ok) return found
    const created = this.#productApis.add(found.value.product.name, baseOf(found.value.api))
    return succeed({ value: found.value.api, created })
  }

  isProductApiLinked(productId: string, apiId: string): boolean {
    const found = this.#productAndApi(productId, apiId)
    return found.ok && this.#productApis.has(found.value.product.name, baseOf(found.value.api))
  }

  unlinkProductApi(productId: string, apiId: string): Outcome<Deleted> {
    const found = this.#productAndApi(productId, apiId)
    if (!found.ok) return found.failure.status === 404 ? succeed({ existed: false }) : found
    return succeed({ existed: this.#productApis.delete(found.value.product.name, baseOf(found.value.api)) })
  }

  productApis(productId: string): Outcome<ReadonlyArray<StoredApi>> {
    const product = this.get("products", productId)
    if (product === undefined) return fail(notFound("Product"))
    return succeed(this.#productApis.rightsOf(product.name).flatMap((id) => this.#options.apiOf(id) ?? []))
  }

  // ── API ↔ tag ─────────────────────────────────────────────────────────────────────────────────────────
  #apiAndTag(apiId: string, tagId: string): Outcome<{ readonly api: StoredApi; readonly tag: StoredEntity }> {
    const api = this.#options.apiOf(apiId)
    if (api === undefined) return fail(notFound("Api"))
    const tag = this.get("tags", tagId)
    return tag === undefined ? fail(notFound("Tag")) : succeed({ api, tag })
  }

  assignTag(apiId: string, tagId: string): Outcome<Written<StoredEntity>> {
    const found = this.#apiAndTag(apiId, tagId)
    if (!found.ok) return found
    return succeed({ value: found.value.tag, created: this.#apiTags.add(baseOf(found.value.api), found.value.tag.name) })
  }

  apiTag(apiId: string, tagId: string): Outcome<StoredEntity> {
    const found = this.#apiAndTag(apiId, tagId)
    if (!found.ok) return found
    return this.#apiTags.has(baseOf(found.value.api), found.value.tag.name) ? succeed(found.value.tag) : fail(notFound("Tag"))
  }

  detachTag(apiId: string, tagId: string): Outcome<Deleted> {
    const found = this.#apiAndTag(apiId, tagId)
    if (!found.ok) return found.failure.status === 404 ? succeed({ existed: false }) : found
    return succeed({ existed: this.#apiTags.delete(baseOf(found.value.api), found.value.tag.name) })
  }

  apiTags(apiId: string): Outcome<ReadonlyArray<StoredEntity>> {
    const api = this.#options.apiOf(apiId)
    if (api === undefined) return fail(notFound("Api"))
    return succeed(this.#apiTags.rightsOf(baseOf(api)).flatMap((id) => this.get("tags", id) ?? []))
  }

  /** Drops the links of an API that no longer exists in any revision. */
  forgetApi(baseId: string): void {
    this.#productApis.deleteRight(baseId)
    this.#apiTags.deleteLeft(baseId)
  }

  counts(): Readonly<Record<string, number>> {
    return {
      ...Object.fromEntries(collectionNames.map((name) => [name, this.#store(name).size])),
      productApis: this.#productApis.size,
      apiTags: this.#apiTags.size
    }
  }

  clear(): void {
    for (const store of this.#stores.values()) store.clear()
    this.#productApis.clear()
    this.#apiTags.clear()
  }
}
