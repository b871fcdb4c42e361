import { Effect, Option } from "effect"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import type { ResourceRef } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"

/**
 * Deletes an object in the ExposedAPI's namespace when the ExposedAPI is its controlling owner (never someone
 * else's object of the same name), conditioned on the uid read; true when it deleted one.
 */
export const deleteControlled = (ref: ResourceRef, api: ExposedApi, name: string) =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const { namespace, uid } = api.metadata
    const found = yield* kube.get(ref, namespace, name)
    const ours = Option.filter(found, (o) => o.metadata.ownerReferences.some((r) => r.uid === uid && r.controller === true))
    if (Option.isNone(ours)) return false
    return yield* kube.delete(ref, namespace, name, { uid: ours.value.metadata.uid })
  })
