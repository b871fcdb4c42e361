import { Effect, Layer, Option, Schema } from "effect"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { InProcessDoor } from "../../src/emulators/kube/InProcessDoor.ts"
import { StatusError } from "../../src/emulators/kube/Status.ts"
import { Store } from "../../src/emulators/kube/Store.ts"
import {
  apiVersionOf,
  describe,
  KubeConflict,
  type KubeError,
  KubeNotFound,
  KubeObject,
  KubeRejected,
  KubeUnavailable,
  type ResourceRef
} from "../../src/services/KubeResources.ts"
import { Kubernetes, type KubernetesApi } from "../../src/services/Kubernetes.ts"

/**
 * The Kubernetes service over the emulator's in-process door, synchronous, so leader election runs on the
 * TestClock with the emulator's own Lease validation (MicroTime, resourceVersion preconditions). Only get,
 * create and replace are served: what leader election uses. Tests can fail requests and act between a read
 * and the next write (a competing writer).
 */
export interface LeaseDoor {
  readonly layer: Layer.Layer<Kubernetes>
  readonly door: InProcessDoor
  readonly lease: (namespace: string, name: string) => JsonObject | undefined
  /** Requests made, as "get" | "create" | "replace". */
  readonly requests: Array<string>
  /** While set, every request fails as if the API server were unreachable. */
  unreachable: boolean
  /** Runs once, just before the next replace reaches the store. */
  beforeNextReplace: (() => void) | undefined
}

const errorOf = (operation: string, resource: string, error: unknown): KubeError => {
  if (!(error instanceof StatusError)) return new KubeUnavailable({ operation, resource, message: String(error) })
  const fields = { operation, resource, status: error.code, message: error.message }
  if (error.code === 404) return new KubeNotFound(fields)
  if (error.code === 409) return new KubeConflict(fields)
  return error.code >= 400 && error.code < 500 ? new KubeRejected(fields) : new KubeUnavailable(fields)
}

export const makeLeaseDoor = (): LeaseDoor => {
  const door = new InProcessDoor(new Store())
  const requests: Array<string> = []
  const served = <A>(operation: string, ref: ResourceRef, namespace: string, run: () => A): Effect.Effect<A, KubeError> =>
    Effect.suspend(() => {
      requests.push(operation)
      const resource = describe(ref, namespace)
      if (doorState.unreachable) return Effect.fail(new KubeUnavailable({ operation, resource, message: "connect ECONNREFUSED (test)" }))
      return Effect.try({ try: run, catch: (e) => errorOf(operation, resource, e) })
    })
  const decode = (object: JsonObject) => Schema.decodeUnknownSync(KubeObject)(object)
  const withNamespace = (namespace: string, body: Record<string, unknown>): JsonObject =>
    JSON.parse(JSON.stringify({ ...body, metadata: { ...(typeof body["metadata"] === "object" ? body["metadata"] : {}), namespace } }))
  const unused = () => Effect.die("not served by the LeaseDoor")
  const api: KubernetesApi = {
    get: (ref, namespace, name) =>
      served("get", ref, namespace, () => door.get(apiVersionOf(ref), ref.kind, namespace, name)).pipe(
        Effect.map((o) => (o === undefined ? Option.none() : Option.some(decode(o)))),
        Effect.catchTag("KubeConflict", "KubeNotFound", (e) => Effect.fail(new KubeUnavailable(e)))
      ),
    create: (ref, namespace, body) => served("create", ref, namespace, () => decode(door.create(withNamespace(namespace, body)))),
    replace: (ref, namespace, _name, body) =>
      served("replace", ref, namespace, () => {
        const hook = doorState.beforeNextReplace
        doorState.beforeNextReplace = undefined
        hook?.()
        return decode(door.replace(withNamespace(namespace, body)))
      }),
    list: unused,
    patch: unused,
    delete: unused,
    watch: () => Effect.die("not served by the LeaseDoor"),
    hasStatusSubresource: unused
  }
  const doorState: LeaseDoor = {
    layer: Layer.succeed(Kubernetes, api),
    door,
    lease: (namespace, name) => door.get("coordination.k8s.io/v1", "Lease", namespace, name),
    requests,
    unreachable: false,
    beforeNextReplace: undefined
  }
  return doorState
}
