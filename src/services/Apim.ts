import { ApiManagementClient, type ApiCreateOrUpdateParameter, type ApiContract } from "@azure/arm-apimanagement"
import type { TokenCredential } from "@azure/identity"
import { Context, Duration, Effect, Layer, Option, Schema, type Scope } from "effect"
import type { ApiDefinition, ApiState } from "../domain/ApiDefinition.ts"
import { isOtherRevision, makeApiListingIndex } from "./ApiListingIndex.ts"
import { type ApimCatalogApi, collect, makeCatalog } from "./ApimCatalog.ts"
import { type ApimError, ApimUnavailable, classifyApimFailure } from "./ApimErrors.ts"
import { type Budget, defaultReadBudget, defaultWriteBudget, installArmBudget } from "./ArmBudget.ts"
import { AzureIdentity } from "./AzureIdentity.ts"
import { OperatorConfig } from "./OperatorConfig.ts"

/** The API Management operations the operator needs, in its own vocabulary (no SDK type leaves this file). */

export interface PolicyState {
  readonly etag: string
  readonly xml: string
}

export interface OpenIdProvider {
  readonly displayName: string
  readonly metadataEndpoint: string
  readonly clientId: string
}

export interface ServiceInfo {
  readonly gatewayUrl: string
  readonly developerPortalUrl: string | undefined
}

/** Operations on APIs and their policies here; on products, subscriptions, tags and fragments in ApimCatalog.ts. */
export interface ApimApi extends ApimCatalogApi {
  readonly service: () => Effect.Effect<ServiceInfo, ApimError>
  readonly getApi: (apiId: string) => Effect.Effect<Option.Option<ApiState>, ApimError>
  /**
   * The API as the listing ahead of this resync found it, once; no ETag, so a write reads it afresh. None when it
   * was not listed, or the listing is too old.
   */
  readonly listedApi: (apiId: string) => Effect.Effect<Option.Option<ApiState>>
  /** Lists every API and every API's tags, ahead of checking `expected` APIs (a resync); see ApiListingIndex. */
  readonly prefetchApis: (expected: number) => Effect.Effect<void, ApimError>
  /** Creates or updates; `ifMatch` makes it conditional on the ETag we last saw (412 -> ApimConflict). */
  readonly putApi: (apiId: string, definition: ApiDefinition, ifMatch?: string) => Effect.Effect<ApiState, ApimError>
  /** Deletes the API and its revisions; an API that is already gone counts as deleted. */
  readonly deleteApi: (apiId: string) => Effect.Effect<void, ApimError>
  readonly getPolicy: (apiId: string) => Effect.Effect<Option.Option<PolicyState>, ApimError>
  readonly putPolicy: (apiId: string, xml: string, ifMatch?: string) => Effect.Effect<PolicyState, ApimError>
  readonly ensureOpenIdProvider: (id: string, provider: OpenIdProvider) => Effect.Effect<void, ApimError>
}

export class Apim extends Context.Tag("oda/Apim")<Apim, ApimApi>() {}

export interface ApimOptions {
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly serviceName: string
  /** Azure Resource Manager's endpoint; the sandbox's emulator in tests. */
  readonly endpoint?: string | undefined
  /** Extra CA (PEM) to trust, for the sandbox's emulator. */
  readonly caPem?: string | undefined
  /** ARM's per-subscription budget, mirrored client-side so the operator paces itself instead of collecting 429s. */
  readonly writeBudget?: Budget
  readonly readBudget?: Budget
  /** The share of the budget the operator uses (default 0.95), for clock skew and other clients. */
  readonly budgetMargin?: number
  /** Retries inside the SDK (it honours Retry-After on 429/503); the controller's backoff comes on top. */
  readonly sdkMaxRetries?: number
  /** The SDK's first retry delay (it doubles per retry); ARM's Retry-After wins when given. */
  readonly sdkRetryDelay?: Duration.Duration
  /** How long what was listed ahead of a resync may be used (default 10 minutes). */
  readonly listingMaxAge?: Duration.Duration
  /** How long a long-running operation is polled between attempts (the SDK's default is 2 s). */
  readonly pollIntervalMs?: number
}

const PolicyEnvelope = Schema.Struct({ properties: Schema.Struct({ value: Schema.String }) })

const toState = (api: ApiContract, etag: string | undefined): ApiState => ({
  etag: etag ?? "",
  displayName: api.displayName ?? "",
  path: api.path ?? "",
  serviceUrl: api.serviceUrl,
  protocols: api.protocols ?? [],
  subscriptionRequired: api.subscriptionRequired ?? false,
  subscriptionKeyParameterNames: api.subscriptionKeyParameterNames?.header === undefined
    ? undefined
    : { header: api.subscriptionKeyParameterNames.header, query: api.subscriptionKeyParameterNames.query ?? "" },
  openIdProviderId: api.authenticationSettings?.openid?.openidProviderId,
  description: api.description
})

/** The ARM API contract properties sent for a definition; `render` prints the same ones. */
export const toParameters = (definition: ApiDefinition): ApiCreateOrUpdateParameter => ({
  displayName: definition.displayName,
  path: definition.path,
  serviceUrl: definition.serviceUrl,
  protocols: [...definition.protocols],
  subscriptionRequired: definition.subscriptionRequired,
  apiType: "http",
  ...(definition.description === undefined ? {} : { description: definition.description }),
  ...(definition.subscriptionKeyParameterNames === undefined ? {} : { subscriptionKeyParameterNames: { ...definition.subscriptionKeyParameterNames } }),
  ...(definition.openIdProviderId === undefined
    ? {}
    : { authenticationSettings: { openid: { openidProviderId: definition.openIdProviderId, bearerTokenSendingMethods: ["authorizationHeader"] } } }),
  ...(definition.document === undefined ? {} : { format: definition.document.format, value: definition.document.value })
})

/** The service over a credential: one client, one pair of rate limiters (ARM's reads and writes buckets). */
export const make = (credential: TokenCredential, options: ApimOptions): Effect.Effect<ApimApi, never, Scope.Scope> =>
  Effect.gen(function*() {
    const client = new ApiManagementClient(credential, options.subscriptionId, {
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint.replace(/\/+$/, "") }),
      ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
      retryOptions: {
        maxRetries: options.sdkMaxRetries ?? 3,
        ...(options.sdkRetryDelay === undefined ? {} : { retryDelayInMs: Duration.toMillis(options.sdkRetryDelay) })
      }
    })
    yield* installArmBudget(client, {
      reads: options.readBudget ?? defaultReadBudget,
      writes: options.writeBudget ?? defaultWriteBudget,
      margin: options.budgetMargin ?? 0.95
    })
    const rg = options.resourceGroup
    const svc = options.serviceName
    const lro = { updateIntervalInMs: options.pollIntervalMs ?? 2000 }

    /** One SDK call (paced and counted per HTTP request by the budget policy), its failure in our vocabulary. */
    const arm = <A>(operation: string, target: string, run: (signal: AbortSignal) => Promise<A>): Effect.Effect<A, ApimError> =>
      Effect.tryPromise({ try: run, catch: (cause) => classifyApimFailure(operation, target, cause) }).pipe(
        Effect.withSpan(`Apim.${operation}`, { attributes: { target } })
      )

    const service: ApimApi["service"] = () =>
      arm("service.get", svc, (abortSignal) => client.apiManagementService.get(rg, svc, { abortSignal })).pipe(
        Effect.flatMap((resource) =>
          resource.gatewayUrl === undefined || resource.gatewayUrl === ""
            ? Effect.fail(new ApimUnavailable({ operation: "service.get", target: svc, message: "the APIM service reports no gateway URL yet" }))
            : Effect.succeed({ gatewayUrl: resource.gatewayUrl.replace(/\/+$/, ""), developerPortalUrl: resource.developerPortalUrl })
        )
      )

    const getApi: ApimApi["getApi"] = (apiId) =>
      arm("api.get", apiId, (abortSignal) => client.api.get(rg, svc, apiId, { abortSignal })).pipe(
        Effect.map((api) => Option.some(toState(api, api.eTag))),
        Effect.catchTag("ApimNotFound", () => Effect.succeedNone)
      )

    const listingMaxAge = options.listingMaxAge ?? Duration.minutes(10)
    const apiIndex = makeApiListingIndex(
      arm("api.listByService", svc, (abortSignal) => collect(client.api.listByService(rg, svc, { abortSignal }))).pipe(
        Effect.map((apis) =>
          apis.flatMap((api) =>
            api.name === undefined || isOtherRevision(api.name) || api.isCurrent === false ? [] : [[api.name, toState(api, undefined)] as const]
          )
        )
      ),
      listingMaxAge
    )
    const catalog = makeCatalog(client, rg, svc, arm, listingMaxAge)

    const prefetchApis: ApimApi["prefetchApis"] = (expected) =>
      Effect.all([apiIndex.prefetch(expected), catalog.prefetchApiTags(expected)], { concurrency: 2, discard: true })

    const putApi: ApimApi["putApi"] = (apiId, definition, ifMatch) =>
      Effect.zipRight(
        apiIndex.forget(apiId),
        arm(definition.document === undefined ? "api.put" : "api.import", apiId, (abortSignal) =>
          client.api.beginCreateOrUpdateAndWait(rg, svc, apiId, toParameters(definition), {
            abortSignal,
            ...lro,
            ...(ifMatch === undefined ? {} : { ifMatch })
          }))
      ).pipe(Effect.map((api) => toState(api, api.eTag)))

    const deleteApi: ApimApi["deleteApi"] = (apiId) =>
      Effect.zipRight(
        apiIndex.forget(apiId),
        arm("api.delete", apiId, (abortSignal) =>
          client.api.beginDeleteAndWait(rg, svc, apiId, "*", { abortSignal, deleteRevisions: true, ...lro }))
      ).pipe(
        Effect.asVoid,
        // ARM answers 204 for something already gone, APIM sometimes 404 (Azure/apiops#834): both mean gone
        Effect.catchTag("ApimNotFound", () => Effect.void)
      )

    const getPolicy: ApimApi["getPolicy"] = (apiId) =>
      arm("policy.get", apiId, async (abortSignal) => {
        // apiPolicy.get deserialises the JSON answer with its XML serializer and loses `value`
        // (Azure/azure-sdk-for-js#31566): read the raw body instead
        let raw = ""
        const answer = await client.apiPolicy.get(rg, svc, apiId, "policy", {
          abortSignal,
          // "xml" answers with policy expressions escaped, i.e. well-formed XML we can compare by meaning
          format: "xml",
          onResponse: (response) => {
            raw = response.bodyAsText ?? ""
          }
        })
        return { raw, etag: answer.eTag ?? "" }
      }).pipe(
        Effect.flatMap(({ etag, raw }) =>
          Schema.decodeUnknown(Schema.parseJson(PolicyEnvelope))(raw).pipe(
            Effect.map((envelope) => Option.some({ etag, xml: envelope.properties.value })),
            Effect.mapError((e) => new ApimUnavailable({ operation: "policy.get", target: apiId, message: `unreadable policy: ${e.message}` }))
          )
        ),
        Effect.catchTag("ApimNotFound", () => Effect.succeedNone)
      )

    const putPolicy: ApimApi["putPolicy"] = (apiId, xml, ifMatch) =>
      arm("policy.put", apiId, (abortSignal) =>
        client.apiPolicy.createOrUpdate(rg, svc, apiId, "policy", { format: "xml", value: xml }, {
          abortSignal,
          ...(ifMatch === undefined ? {} : { ifMatch })
        })).pipe(Effect.map((policy) => ({ etag: policy.eTag ?? "", xml })))

    const ensureOpenIdProvider: ApimApi["ensureOpenIdProvider"] = (id, provider) =>
      arm("openidConnectProvider.get", id, (abortSignal) => client.openIdConnectProvider.get(rg, svc, id, { abortSignal })).pipe(
        Effect.map(Option.some),
        Effect.catchTag("ApimNotFound", () => Effect.succeedNone),
        Effect.flatMap((existing) =>
          Option.isSome(existing) &&
            existing.value.metadataEndpoint === provider.metadataEndpoint &&
            existing.value.clientId === provider.clientId &&
            existing.value.displayName === provider.displayName
            ? Effect.void
            : arm("openidConnectProvider.put", id, (abortSignal) =>
              client.openIdConnectProvider.createOrUpdate(rg, svc, id, { ...provider }, { abortSignal })).pipe(Effect.asVoid)
        )
      )

    return {
      ...catalog,
      service,
      getApi,
      listedApi: apiIndex.take,
      prefetchApis,
      putApi,
      deleteApi,
      getPolicy,
      putPolicy,
      ensureOpenIdProvider
    }
  })

export const layer = (credential: TokenCredential, options: ApimOptions): Layer.Layer<Apim> => Layer.scoped(Apim, make(credential, options))

/** The service for the configured target: subscription, resource group and service from OperatorConfig. */
export const layerFromConfig: Layer.Layer<Apim, never, OperatorConfig | AzureIdentity> = Layer.scoped(
  Apim,
  Effect.gen(function*() {
    const settings = yield* OperatorConfig
    const identity = yield* AzureIdentity
    return yield* make(identity.credential, {
      subscriptionId: settings.target.subscriptionId,
      resourceGroup: settings.target.resourceGroup,
      serviceName: settings.target.apimServiceName,
      endpoint: settings.armEndpoint,
      caPem: identity.caPem,
      writeBudget: settings.armBudget.writes,
      readBudget: settings.armBudget.reads,
      budgetMargin: settings.armBudget.margin,
      sdkMaxRetries: settings.armSdk.maxRetries,
      sdkRetryDelay: settings.armSdk.retryDelay,
      // a resync longer than its interval (or than a minute, for short test intervals) still uses what it listed
      listingMaxAge: Duration.max(settings.resyncInterval, Duration.minutes(1))
    })
  })
)
