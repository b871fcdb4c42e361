import { isJsonObject, type Json, type JsonObject } from "../../Json.ts"
import { ApimEntities } from "./ApimEntities.ts"
import {
  lastSegment,
  prepareApiUpdate,
  prepareApiWrite,
  splitRevision,
  type ApiWriteContext,
  type StoredApi,
  type StoredPolicy
} from "./ApiDefinitions.ts"
import { fail, invalidField, notFound, succeed, type Outcome } from "./ArmFailure.ts"
import type { CollectionName } from "./ArmRoute.ts"
import { EntityStore, type Deleted, type Written } from "./EntityStore.ts"
import { checkIfMatch, makeETagClock, type ETagClock } from "./ETags.ts"
import { defaultFetcher, fetchLink, type Fetcher } from "./LinkFetcher.ts"
import { LongRunningOperations } from "./LongRunning.ts"
import type { ImportedOperation } from "./OpenApiDocument.ts"
import { validatePolicy, type PolicyFormat, type PolicyReferences } from "./PolicyValidation.ts"

/**
 * The state of one API Management service as its management plane (ARM) shows it, and the in-process door
 * to it: fast tests and "someone edited this in the Azure portal" simulations call these methods directly;
 * the HTTPS door (ApimHandler) translates ARM requests into the same calls. Every write returns an Outcome,
 * refusals in APIM's own error shape, so both doors answer alike.
 */
export interface ApimModelOptions {
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly serviceName: string
  readonly location?: string
  readonly sku?: { readonly name: string; readonly capacity: number }
  readonly publisherEmail?: string
  readonly publisherName?: string
  /** Default `https://{serviceName}.azure-api.net`. */
  readonly gatewayUrl?: string
  /** Default `https://{serviceName}.developer.azure-api.net`. */
  readonly developerPortalUrl?: string
  /** Downloads `*-link` documents; default global fetch. */
  readonly fetcher?: Fetcher
  readonly linkTimeoutMs?: number
  readonly now?: () => Date
}

/** How the HTTPS door answers where the service has a choice or tests want one. */
export interface WireBehaviour {
  /** DELETE of something absent: 204 per ARM, or 404 as APIM sometimes answers (Azure/apiops#834). */
  missingDeleteStatus: 204 | 404
  /** List page size when the request has no `$top`. */
  pageSize: number
}

export interface WriteOptions {
  readonly ifMatch?: string | undefined
}

export type { StoredApi, StoredPolicy } from "./ApiDefinitions.ts"
export type { Deleted, StoredEntity, Written } from "./EntityStore.ts"

const policyFormats: Readonly<Record<string, { readonly format: PolicyFormat; readonly link: boolean }>> = {
  xml: { format: "xml", link: false },
  rawxml: { format: "rawxml", link: false },
  "xml-link": { format: "xml", link: true },
  "rawxml-link": { format: "rawxml", link: true }
}

export class ApimModel {
  readonly options: ApimModelOptions
  readonly serviceId: string
  /** Products, tags, named values, … and the product/tag links to APIs. */
  readonly entities: ApimEntities
  /** The long-running-operation mode of API PUT/DELETE, named value PUT and policy fragment PUT on the wire. */
  readonly lro = new LongRunningOperations()
  readonly wire: WireBehaviour = { missingDeleteStatus: 204, pageSize: 100 }
  readonly #apis = new EntityStore<StoredApi>()
  readonly #etags: ETagClock = makeETagClock()
  readonly #now: () => Date
  #gatewayUrl: string
  #developerPortalUrl: string

  constructor(options: ApimModelOptions) {
    this.options = options
    const { subscriptionId, resourceGroup, serviceName } = options
    this.serviceId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${serviceName}`
    this.#now = options.now ?? (() => new Date())
    this.#gatewayUrl = options.gatewayUrl ?? `https://${options.serviceName}.azure-api.net`
    this.#developerPortalUrl = options.developerPortalUrl ?? `https://${options.serviceName}.developer.azure-api.net`
    this.entities = new ApimEntities({
      serviceId: this.serviceId,
      etags: this.#etags,
      now: this.#now,
      apiExists: (id) => this.getApi(id) !== undefined,
      apiOf: (id) => this.getApi(id),
      policiesInUse: () => this.#apis.list().flatMap((api) => (api.policy === undefined ? [] : [api.policy]))
    })
  }

  // ── the service ────────────────────────────────────────────────────────────────────────────────────────
  gatewayUrl(): string {
    return this.#gatewayUrl
  }

  setGatewayUrl(url: string): void {
    this.#gatewayUrl = url
  }

  setDeveloperPortalUrl(url: string): void {
    this.#developerPortalUrl = url
  }

  serviceResource(): JsonObject {
    return {
      id: this.serviceId,
      name: this.options.serviceName,
      type: "Microsoft.ApiManagement/service",
      location: this.options.location ?? "West Europe",
      sku: { name: this.options.sku?.name ?? "Developer", capacity: this.options.sku?.capacity ?? 1 },
      properties: {
        publisherEmail: this.options.publisherEmail ?? "apim@example.com",
        publisherName: this.options.publisherName ?? "ODA Canvas",
        provisioningState: "Succeeded",
        gatewayUrl: this.#gatewayUrl,
        developerPortalUrl: this.#developerPortalUrl,
        managementApiUrl: `https://${this.options.serviceName}.management.azure-api.net`,
        scmUrl: `https://${this.options.serviceName}.scm.azure-api.net`,
        virtualNetworkType: "None"
      }
    }
  }

  // ── APIs ──────────────────────────────────────────────────────────────────────────────────────────────
  /** Every stored API, revisions included. */
  listApis(): ReadonlyArray<StoredApi> {
    return this.#apis.list()
  }

  /** `x;rev=N` also finds `x` when N is the revision `x` holds. */
  getApi(id: string): StoredApi | undefined {
    const direct = this.#apis.get(id)
    if (direct !== undefined) return direct
    const { base, revision } = splitRevision(id)
    const current = revision === undefined ? undefined : this.#apis.get(base)
    return current?.properties["apiRevision"] === revision ? current : undefined
  }

  apiOperations(id: string): ReadonlyArray<ImportedOperation> | undefined {
    return this.getApi(id)?.operations
  }

  #writeContext(id: string, existing: StoredApi | undefined): ApiWriteContext {
    const { base, revision } = splitRevision(id)
    return {
      id,
      existing,
      revisionOf: existing === undefined && revision !== undefined ? this.#apis.get(base) : undefined,
      others: this.#apis.list().filter((api) => api.name.toLowerCase() !== (existing?.name ?? id).toLowerCase()),
      exists: (collection, entityId) => this.entities.has(collection, entityId),
      fetchLink: (url) => this.#download(url)
    }
  }

  #download(url: string): Promise<Outcome<string>> {
    return fetchLink(url, { fetcher: this.options.fetcher ?? defaultFetcher, timeoutMs: this.options.linkTimeoutMs ?? 10_000 })
  }

  /** PUT `/apis/{id}`: `body` is the ARM envelope `{ properties: … }` as the SDK sends it. */
  async putApi(id: string, body: Json, options: WriteOptions = {}): Promise<Outcome<Written<StoredApi>>> {
    const existing = this.getApi(id)
    const precondition = checkIfMatch(options.ifMatch, existing?.etag, { required: false })
    if (precondition !== undefined) return fail(precondition)
    const { base, revision } = splitRevision(id)
    if (existing === undefined && revision !== undefined && revision !== "1" && !this.#apis.has(base)) return fail(notFound("Api"))
    const write = await prepareApiWrite(body, this.#writeContext(id, existing))
    if (!write.ok) return write
    const stored = this.#apis.set({
      name: existing?.name ?? id,
      properties: write.value.properties,
      etag: this.#etags.next(),
      operations: write.value.operations ?? existing?.operations ?? [],
      ...(existing?.policy === undefined ? {} : { policy: existing.policy })
    })
    return succeed({ value: stored, created: existing === undefined })
  }

  /** PATCH `/apis/{id}` (`api.update`): If-Match is required. */
  updateApi(id: string, body: Json, options: WriteOptions): Outcome<StoredApi> {
    const existing = this.getApi(id)
    if (existing === undefined) return fail(notFound("Api"))
    const precondition = checkIfMatch(options.ifMatch, existing.etag, { required: true })
    if (precondition !== undefined) return fail(precondition)
    const merged = prepareApiUpdate(body, this.#writeContext(existing.name, existing))
    if (!merged.ok) return merged
    return succeed(this.#apis.set({ ...existing, properties: merged.value, etag: this.#etags.next() }))
  }

  /** An edit made in the Azure portal: no precondition, a new ETag, the same checks as the service applies. */
  editApi(id: string, changes: JsonObject): Outcome<StoredApi> {
    const existing = this.getApi(id)
    return existing === undefined ? fail(notFound("Api")) : this.updateApi(id, { properties: changes }, { ifMatch: existing.etag })
  }

  /**
   * DELETE `/apis/{id}`: If-Match is required; with `deleteRevisions` every `id;rev=N` goes too. An API's
   * operations and policy go with it, and its product and tag links once no revision is left.
   */
  deleteApi(id: string, options: WriteOptions & { readonly deleteRevisions?: boolean }): Outcome<Deleted> {
    const api = this.getApi(id)
    if (api === undefined) return succeed({ existed: false })
    const precondition = checkIfMatch(options.ifMatch, api.etag, { required: true })
    if (precondition !== undefined) return fail(precondition)
    const base = splitRevision(api.name).base.toLowerCase()
    const sameApi = (candidate: StoredApi) => splitRevision(candidate.name).base.toLowerCase() === base
    for (const target of options.deleteRevisions === true ? this.#apis.list().filter(sameApi) : [api]) this.#apis.delete(target.name)
    if (!this.#apis.list().some(sameApi)) this.entities.forgetApi(splitRevision(api.name).base)
    return succeed({ existed: true })
  }

  // ── API policies ──────────────────────────────────────────────────────────────────────────────────────
  #references(): PolicyReferences {
    return {
      fragmentExists: (id) => this.entities.has("policyFragments", id),
      backendExists: (id) => this.entities.has("backends", id)
    }
  }

  getApiPolicy(apiId: string): StoredPolicy | undefined {
    return this.getApi(apiId)?.policy
  }

  /** PUT `/apis/{id}/policies/policy` with `{ properties: { format, value } }`; `*-link` formats are downloaded. */
  async putApiPolicy(apiId: string, body: Json, options: WriteOptions = {}): Promise<Outcome<Written<StoredPolicy>>> {
    const api = this.getApi(apiId)
    if (api === undefined) return fail(notFound("Api"))
    const precondition = checkIfMatch(options.ifMatch, api.policy?.etag, { required: false })
    if (precondition !== undefined) return fail(precondition)
    const properties = isJsonObject(body) ? body["properties"] : undefined
    const spec = policyFormats[String((isJsonObject(properties) ? properties["format"] : undefined) ?? "xml")]
    const value = isJsonObject(properties) ? properties["value"] : undefined
    if (spec === undefined) return fail(invalidField("format", "'format' must be one of xml, xml-link, rawxml, rawxml-link."))
    if (typeof value !== "string" || value === "") return fail(invalidField("value", "'value' is required."))
    const text = spec.link ? await this.#download(value) : succeed(value)
    if (!text.ok) return text
    return this.#storePolicy(api, text.value, spec.format)
  }

  #storePolicy(api: StoredApi, value: string, format: PolicyFormat): Outcome<Written<StoredPolicy>> {
    const valid = validatePolicy(value, format, this.#references())
    if (!valid.ok) return valid
    const policy: StoredPolicy = { value, format, etag: this.#etags.next() }
    this.#apis.set({ ...api, policy })
    return succeed({ value: policy, created: api.policy === undefined })
  }

  /** A policy edited in the Azure portal's code editor (validated like any write, no precondition). */
  editApiPolicy(apiId: string, value: string, format: PolicyFormat = "rawxml"): Outcome<Written<StoredPolicy>> {
    const api = this.getApi(apiId)
    return api === undefined ? fail(notFound("Api")) : this.#storePolicy(api, value, format)
  }

  deleteApiPolicy(apiId: string, options: WriteOptions): Outcome<Deleted> {
    const api = this.getApi(apiId)
    if (api === undefined) return fail(notFound("Api"))
    if (api.policy === undefined) return succeed({ existed: false })
    const precondition = checkIfMatch(options.ifMatch, api.policy.etag, { required: true })
    if (precondition !== undefined) return fail(precondition)
    const { policy: _removed, ...rest } = api
    this.#apis.set(rest)
    return succeed({ existed: true })
  }

  // ── the whole ─────────────────────────────────────────────────────────────────────────────────────────
  exists(collection: CollectionName | "apis", id: string): boolean {
    return collection === "apis" ? this.getApi(lastSegment(id)) !== undefined : this.entities.has(collection, id)
  }

  counts(): Readonly<Record<string, number>> {
    const apis = this.#apis.list()
    return {
      apis: apis.filter((api) => splitRevision(api.name).revision === undefined).length,
      apiRevisions: apis.length,
      operations: apis.reduce((sum, api) => sum + api.operations.length, 0),
      policies: apis.filter((api) => api.policy !== undefined).length,
      ...this.entities.counts()
    }
  }

  /** Empties the service and restores the default wire behaviour (sync LROs, 204 on missing deletes). */
  reset(): void {
    this.#apis.clear()
    this.entities.clear()
    this.lro.reset()
    this.wire.missingDeleteStatus = 204
    this.wire.pageSize = 100
  }
}
