import { Effect, Either, Option } from "effect"
import { type ApiIntent, publishedToApim } from "../domain/ApiIntent.ts"
import { findCondition, GATEWAY_ONLY_TRAFFIC } from "../domain/Conditions.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { formatMatchLabels, implementationTarget, networkPolicyFor, networkPolicyName } from "../domain/NetworkPolicy.ts"
import { planOwned } from "../domain/Plan.ts"
import { NetworkPolicies, Services } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import { OperatorConfig } from "../services/OperatorConfig.ts"
import { Recorder } from "../services/Recorder.ts"
import { deleteControlled } from "./DeleteControlled.ts"
import { asFailure, type ConditionBook, subjectOf } from "./ExposedApiStatus.ts"

/**
 * Removes the ExposedAPI's gateway-only NetworkPolicy when there is one it controls (the setting was turned off,
 * the API is no longer published to the gateway, or the ExposedAPI is being deleted); true when one was deleted.
 */
export const removeGatewayOnlyPolicy = (api: ExposedApi) => deleteControlled(NetworkPolicies, api, networkPolicyName(api.metadata.name))

/**
 * Gateway-only traffic for one ExposedAPI (setting GATEWAY_ONLY_TRAFFIC): its NetworkPolicy as the implementation
 * Service's selector and port ask for, written only when its content hash changed; condition GatewayOnlyTraffic
 * says whether the restriction holds. A Service that names no pods is reported, never guessed at, and the policy
 * already in place (if any) is left as it was.
 */
export const convergeGatewayOnlyTraffic = (api: ExposedApi, intent: ApiIntent, book: ConditionBook) =>
  Effect.gen(function*() {
    const settings = yield* OperatorConfig
    const kube = yield* Kubernetes
    const recorder = yield* Recorder
    const subject = subjectOf(api)
    const previous = Option.getOrUndefined(findCondition(book.conditions, GATEWAY_ONLY_TRAFFIC))
    /** The condition, and a Warning Event when the problem is new (not at every resync). */
    const report = (reason: string, message: string) =>
      Effect.gen(function*() {
        book.set(GATEWAY_ONLY_TRAFFIC, "False", reason, message)
        if (previous?.reason !== reason) yield* recorder.record(subject, { type: "Warning", reason, action: "RestrictTraffic", note: message })
      })

    if (!settings.gatewayOnlyTraffic.enabled || !publishedToApim(intent)) {
      book.remove(GATEWAY_ONLY_TRAFFIC)
      if (yield* removeGatewayOnlyPolicy(api)) {
        yield* recorder.record(subject, {
          type: "Normal",
          reason: "NetworkPolicyRemoved",
          action: "RestrictTraffic",
          note: `NetworkPolicy ${networkPolicyName(intent.name)} removed: traffic to Service ${intent.implementation.service} is no longer restricted to the ingress gateway`
        })
      }
      return
    }

    const service = yield* kube.get(Services, intent.namespace, intent.implementation.service)
    if (Option.isNone(service)) {
      return yield* report("ServiceNotFound", `Service ${intent.implementation.service} does not exist (yet): its pods cannot be restricted to gateway traffic`)
    }
    const target = implementationTarget(service.value, intent.implementation.port)
    if (Either.isLeft(target)) return yield* report(target.left.reason, target.left.message)

    const desired = networkPolicyFor(api, intent, target.right, settings.gatewayOnlyTraffic.gateway)
    const { name } = desired.metadata
    const observed = yield* kube.get(NetworkPolicies, intent.namespace, name)
    const action = planOwned(desired, observed, api.metadata.uid)
    switch (action._tag) {
      case "Conflict":
        return yield* report("NetworkPolicyConflict", action.message)
      case "Create":
        yield* kube.create(NetworkPolicies, intent.namespace, { ...action.manifest })
        break
      case "Replace":
        yield* kube.replace(NetworkPolicies, intent.namespace, name, {
          ...action.manifest,
          metadata: { ...action.manifest.metadata, resourceVersion: action.resourceVersion }
        })
        break
      case "Keep":
        break
    }
    const { gateway } = settings.gatewayOnlyTraffic
    const restriction = `NetworkPolicy ${name} admits traffic to the pods of Service ${intent.implementation.service} (${formatMatchLabels(target.right.podSelector)}) on port ${target.right.port}/${target.right.protocol} only from pods ${formatMatchLabels(gateway.podSelector)} in namespaces ${formatMatchLabels(gateway.namespaceSelector)}`
    if (action._tag !== "Keep") {
      yield* recorder.record(subject, {
        type: "Normal",
        reason: action._tag === "Create" ? "NetworkPolicyCreated" : "NetworkPolicyUpdated",
        action: "RestrictTraffic",
        note: restriction
      })
    }
    book.set(GATEWAY_ONLY_TRAFFIC, "True", "NetworkPolicyApplied", restriction)
  }).pipe(Effect.mapError(asFailure))
