import { Context, Duration, Effect, type Fiber, Layer, Option, type Scope } from "effect"
import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { sandboxOperatorLayer } from "../../src/layers/SandboxOperator.ts"
import { runOperator } from "../../src/programs/Operator.ts"
import { listenForProbes, probeUrl } from "../../src/programs/Probes.ts"
import { Apim } from "../../src/services/Apim.ts"
import { Kubernetes, type KubernetesApi } from "../../src/services/Kubernetes.ts"
import type { World } from "../e2e/World.ts"

export const LEASE = "oda-apim-operator"

/** What one operator instance asked of Kubernetes (writes, by resource) and of APIM (every call, by method). */
export interface Calls {
  readonly kubeWrites: Array<string>
  readonly apim: Array<string>
}

export interface Instance {
  readonly identity: string
  readonly fiber: Fiber.RuntimeFiber<void, unknown>
  readonly calls: Calls
  /** Base URL of its probe port, when it has one. */
  readonly probes: string | undefined
}

/** Records each method call of a service (ours return Effects, so a call is the start of an operation). */
const observed = <T extends object>(api: T, record: (method: string) => void): T =>
  new Proxy(api, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== "function") return value
      return (...args: Array<unknown>) => {
        record(String(property))
        return Reflect.apply(value, target, args)
      }
    }
  })

const recordingWrites = (kube: KubernetesApi, writes: Array<string>): KubernetesApi => ({
  ...kube,
  create: (ref, namespace, body) => Effect.suspend(() => (writes.push(`create ${ref.plural}`), kube.create(ref, namespace, body))),
  replace: (ref, namespace, name, body) => Effect.suspend(() => (writes.push(`replace ${ref.plural}`), kube.replace(ref, namespace, name, body))),
  patch: (ref, namespace, name, body, options) => Effect.suspend(() => (writes.push(`patch ${ref.plural}`), kube.patch(ref, namespace, name, body, options))),
  delete: (ref, namespace, name, options) => Effect.suspend(() => (writes.push(`delete ${ref.plural}`), kube.delete(ref, namespace, name, options)))
})

/**
 * One operator as `run` composes it, on the world's emulators, with leader election on a short lease (1 s, renew
 * deadline 0.6 s, retry 0.2 s) and its own identity; the reconciles' Kubernetes writes and APIM calls recorded.
 */
export const startInstance = (
  world: World,
  identity: string,
  options: { readonly probes?: boolean; readonly releaseOnCancel?: boolean; readonly leaderElection?: boolean } = {}
): Effect.Effect<Instance, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const calls: Calls = { kubeWrites: [], apim: [] }
    const services = sandboxOperatorLayer(world.kube, world.azure, { resyncInterval: "1 hour", settings: { ARM_SDK_RETRY_DELAY: "20 millis" } }).pipe(
      Layer.map((context) =>
        context.pipe(
          Context.add(Kubernetes, recordingWrites(Context.get(context, Kubernetes), calls.kubeWrites)),
          Context.add(Apim, observed(Context.get(context, Apim), (method) => calls.apim.push(method)))
        )
      )
    )
    const server = options.probes === true ? yield* listenForProbes({ port: 0, host: "127.0.0.1" }) : undefined
    const leaderElection = options.leaderElection === false ? Option.none() : Option.some({
      namespace: "default",
      name: LEASE,
      identity,
      leaseDuration: Duration.seconds(1),
      renewDeadline: Duration.millis(600),
      retryPeriod: Duration.millis(200),
      releaseOnCancel: options.releaseOnCancel ?? true
    })
    const fiber: Fiber.RuntimeFiber<void, unknown> = yield* runOperator(services, {
      leaderElection,
      probes: server,
      shutdownGracePeriod: "5 seconds"
    }).pipe(Effect.annotateLogs({ instance: identity }), Effect.forkScoped)
    return { identity, fiber, calls, probes: server === undefined ? undefined : probeUrl(server) }
  })

export const leaseSpec = (world: World): JsonObject => {
  const spec = world.kube.objects.get("coordination.k8s.io/v1", "Lease", "default", LEASE)?.["spec"]
  return isJsonObject(spec) ? spec : {}
}

export const holder = (world: World): Effect.Effect<string> => Effect.sync(() => String(leaseSpec(world)["holderIdentity"] ?? ""))

/** Kubernetes writes other than the instance's own Lease. */
export const reconcileWrites = (instance: Instance): ReadonlyArray<string> => instance.calls.kubeWrites.filter((w) => !w.endsWith(" leases"))
