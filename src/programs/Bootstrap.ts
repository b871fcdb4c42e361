import { Context, Duration, Effect, Layer, Schedule } from "effect"
import { Apim, type ServiceInfo } from "../services/Apim.ts"
import type { ApimError } from "../services/ApimErrors.ts"
import { ExposedApis, type KubeRejected, type KubeUnavailable } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import { OperatorConfig } from "../services/OperatorConfig.ts"

/** What the operator learns about its surroundings at start-up and keeps fresh. */
export interface OperatorEnvironmentApi {
  /** Whether the installed ExposedAPI CRD declares `/status` (the ODA Canvas's does not). */
  readonly statusSubresource: boolean
  readonly openIdProviderId: string
  /** The APIM gateway and developer portal, re-read at most once per resync interval. */
  readonly service: Effect.Effect<ServiceInfo, ApimError>
}

export class OperatorEnvironment extends Context.Tag("oda/OperatorEnvironment")<OperatorEnvironment, OperatorEnvironmentApi>() {}

/** Start-up waits out a cluster or APIM that is not reachable yet rather than crash-looping. */
const startupRetry = Schedule.exponential(Duration.millis(500)).pipe(
  Schedule.union(Schedule.spaced(Duration.seconds(30))),
  Schedule.jittered
)

/**
 * Start-up checks: the ExposedAPI CRD is served (and whether it has a status subresource), APIM answers with its
 * gateway URL, and the OpenID Connect provider the published APIs refer to exists. A refusal (wrong API version,
 * missing permission) fails start-up with its message; an outage is retried.
 */
export const make: Effect.Effect<OperatorEnvironmentApi, KubeRejected | KubeUnavailable | ApimError, Kubernetes | Apim | OperatorConfig> = Effect.gen(
  function*() {
    const kube = yield* Kubernetes
    const apim = yield* Apim
    const settings = yield* OperatorConfig
    const retryOutages = <A, E extends { readonly retryable: boolean; readonly message: string }>(what: string, effect: Effect.Effect<A, E>) =>
      effect.pipe(
        Effect.tapError((e) => Effect.logWarning(`start-up: ${what} failed`, e.message)),
        Effect.retry({ schedule: startupRetry, while: (e) => e.retryable })
      )
    const statusSubresource = yield* retryOutages("discovering the ExposedAPI API", kube.hasStatusSubresource(ExposedApis))
    const service = yield* retryOutages("reading the APIM service", apim.service())
    yield* retryOutages(
      "ensuring the OpenID Connect provider",
      apim.ensureOpenIdProvider(settings.openIdProviderId, {
        displayName: "ODA Canvas identity provider (managed by oda-apim-operator)",
        metadataEndpoint: settings.openIdMetadataUrl,
        clientId: settings.target.clientId
      })
    )
    yield* Effect.logInfo("start-up checks passed").pipe(
      Effect.annotateLogs({ gatewayUrl: service.gatewayUrl, statusSubresource, openIdProvider: settings.openIdProviderId })
    )
    const cached = yield* Effect.cachedWithTTL(apim.service(), settings.resyncInterval)
    return { statusSubresource, openIdProviderId: settings.openIdProviderId, service: cached }
  }
)

export const layer: Layer.Layer<OperatorEnvironment, KubeRejected | KubeUnavailable | ApimError, Kubernetes | Apim | OperatorConfig> = Layer.effect(
  OperatorEnvironment,
  make
)
