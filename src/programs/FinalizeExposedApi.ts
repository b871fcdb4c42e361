import { Effect } from "effect"
import { apimApiId } from "../domain/ApiNaming.ts"
import { type ExposedApi, FINALIZER } from "../domain/ExposedApi.ts"
import { Apim } from "../services/Apim.ts"
import { ExposedApis, Ingresses } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import { Recorder } from "../services/Recorder.ts"
import { deleteControlled } from "./DeleteControlled.ts"
import { asFailure, subjectOf } from "./ExposedApiStatus.ts"
import { removeGatewayOnlyPolicy } from "./GatewayOnlyTraffic.ts"
import { unpublishApiKeys } from "./PublishApiKeys.ts"

/**
 * Deletion: the API (and its revisions) leaves APIM, then the Ingress and the gateway-only NetworkPolicy, and only
 * then does the finalizer go. A failure keeps the finalizer, so Kubernetes never forgets an API that APIM still
 * serves. The drift mode does not matter here: a paused ExposedAPI is unpublished like any other.
 */
export const finalizeExposedApi = (api: ExposedApi) =>
  Effect.gen(function*() {
    if (!api.hasFinalizer(FINALIZER)) return
    const kube = yield* Kubernetes
    const apim = yield* Apim
    const recorder = yield* Recorder
    const { namespace, name } = api.metadata
    const apiId = apimApiId(namespace, name)
    // the subscription, the key Secret and the product link (and an emptied product of the operator's) first
    yield* unpublishApiKeys(api)
    yield* apim.deleteApi(apiId).pipe(
      Effect.tapError((error) =>
        recorder.record(subjectOf(api), {
          type: "Warning",
          reason: "UnpublishFailed",
          action: "Unpublish",
          note: `could not delete API ${apiId} from API Management (will retry; the resource is kept until it is gone): ${error.message}`
        })
      ),
      Effect.mapError(asFailure)
    )
    const ingressRemoved = yield* deleteControlled(Ingresses, api, name).pipe(Effect.mapError(asFailure))
    // whatever the drift mode: a deleted ExposedAPI leaves nothing behind (garbage collection would, later)
    yield* removeGatewayOnlyPolicy(api).pipe(Effect.mapError(asFailure))
    yield* kube.patch(ExposedApis, namespace, name, {
      type: "merge",
      body: {
        metadata: {
          resourceVersion: api.metadata.resourceVersion,
          finalizers: api.metadata.finalizers.filter((f) => f !== FINALIZER)
        }
      }
    }).pipe(
      Effect.catchTag("KubeNotFound", () => Effect.void),
      Effect.mapError(asFailure)
    )
    yield* recorder.record(subjectOf(api), {
      type: "Normal",
      reason: "Unpublished",
      action: "Unpublish",
      note: `API ${apiId} deleted from API Management${ingressRemoved ? " and its Ingress removed" : ""}`
    })
    yield* Effect.logInfo("unpublished").pipe(Effect.annotateLogs({ apiId }))
  })
