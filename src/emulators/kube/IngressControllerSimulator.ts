import { isJsonObject, type JsonObject } from "../Json.ts"
import type { KubeEmulator } from "./KubeEmulator.ts"
import { nameOf, namespaceOf } from "./ObjectMeta.ts"

export interface IngressControllerOptions {
  /** Only Ingresses of this class get an address (default "istio"). */
  readonly className?: string
  /** How long the simulated load balancer takes to publish an address (default 100 ms). */
  readonly delayMs?: number
  /** The first address handed out; later ones count up (default 10.240.0.10). */
  readonly firstAddress?: string
}

const hasAddress = (ingress: JsonObject): boolean => {
  const status = ingress["status"]
  const lb = isJsonObject(status) ? status["loadBalancer"] : undefined
  const entries = isJsonObject(lb) ? lb["ingress"] : undefined
  return Array.isArray(entries) && entries.length > 0
}

const classOf = (ingress: JsonObject): string | undefined => {
  const spec = ingress["spec"]
  const name = isJsonObject(spec) ? spec["ingressClassName"] : undefined
  return typeof name === "string" ? name : undefined
}

/**
 * What an ingress controller (Istio's gateway, say) does for the sandbox: every Ingress of its class gets a
 * load-balancer address in `status.loadBalancer.ingress`, shortly after it appears. Returns a stop function.
 */
export const simulateIngressController = (emulator: KubeEmulator, options: IngressControllerOptions = {}): (() => void) => {
  const className = options.className ?? "istio"
  const [a, b, c, d] = (options.firstAddress ?? "10.240.0.10").split(".").map(Number)
  let next = ((a ?? 10) << 24) + ((b ?? 240) << 16) + ((c ?? 0) << 8) + (d ?? 10)
  const assigned = new Map<string, string>()
  const timers = new Set<NodeJS.Timeout>()
  const addressFor = (key: string): string => {
    const existing = assigned.get(key)
    if (existing !== undefined) return existing
    const ip = [next >>> 24, (next >>> 16) & 255, (next >>> 8) & 255, next & 255].join(".")
    next += 1
    assigned.set(key, ip)
    return ip
  }
  const unsubscribe = emulator.store.onEvent((event) => {
    if (event.storage !== "networking.k8s.io/ingresses" || event.type === "DELETED") return
    const ingress = event.object
    if (classOf(ingress) !== className || hasAddress(ingress)) return
    const namespace = namespaceOf(ingress)
    const name = nameOf(ingress)
    const timer = setTimeout(() => {
      timers.delete(timer)
      const current = emulator.objects.get("networking.k8s.io/v1", "Ingress", namespace, name)
      if (current === undefined || hasAddress(current)) return
      emulator.objects.patch("networking.k8s.io/v1", "Ingress", namespace, name, "merge", {
        status: { loadBalancer: { ingress: [{ ip: addressFor(`${namespace}/${name}`) }] } }
      }, { subresource: "status" })
    }, options.delayMs ?? 100)
    timers.add(timer)
  })
  return () => {
    unsubscribe()
    for (const timer of timers) clearTimeout(timer)
  }
}
