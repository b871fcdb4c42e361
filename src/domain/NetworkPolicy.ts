import { createHash } from "node:crypto"
import { Either } from "effect"
import type { ApiIntent } from "./ApiIntent.ts"
import { contentHash } from "./ContentHash.ts"
import { controllerReference, type IngressOwner, type IngressOwnerReference, ownedLabels, SPEC_HASH_ANNOTATION } from "./Ingress.ts"

/**
 * Gateway-only traffic: a NetworkPolicy, owned by the ExposedAPI, that admits traffic to the implementation's pods
 * on the API's port only from the ingress gateway, so the API cannot be called around API Management. The pods are
 * the implementation Service's (its `spec.selector`); a Service without a selector has no pods we could name, and
 * guessing would either leave the API open or cut off something else, so it is reported instead.
 */

export type LabelMap = Readonly<Record<string, string>>

/** Where the ingress gateway runs: its namespaces and its pods, as label selectors (matchLabels). */
export interface GatewaySelectors {
  readonly namespaceSelector: LabelMap
  readonly podSelector: LabelMap
}

/** Istio's ingress gateway, as the Canvas installs it. */
export const ISTIO_GATEWAY: GatewaySelectors = {
  namespaceSelector: { "kubernetes.io/metadata.name": "istio-system" },
  podSelector: { istio: "ingressgateway" }
}

export const GATEWAY_ONLY_SUFFIX = "-gateway-only"
const MAX_NAME_LENGTH = 253

/** `<exposedapi>-gateway-only`, shortened with a hash when the ExposedAPI's name leaves no room. */
export const networkPolicyName = (exposedApiName: string): string => {
  const name = `${exposedApiName}${GATEWAY_ONLY_SUFFIX}`
  if (name.length <= MAX_NAME_LENGTH) return name
  const hash = createHash("sha256").update(exposedApiName, "utf8").digest("hex").slice(0, 8)
  const room = MAX_NAME_LENGTH - GATEWAY_ONLY_SUFFIX.length - hash.length - 1
  return `${exposedApiName.slice(0, room).replace(/[-.]+$/, "")}-${hash}${GATEWAY_ONLY_SUFFIX}`
}

/** The pods and the port behind a Service port: what the NetworkPolicy admits traffic to. */
export interface ImplementationTarget {
  readonly podSelector: LabelMap
  /** The container port: a number, or the name of a container port. */
  readonly port: number | string
  readonly protocol: string
}

export interface TargetProblem {
  readonly reason: "ServiceWithoutSelector" | "PortNotFound"
  readonly message: string
}

const get = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined)

const isLabelMap = (value: unknown): value is LabelMap =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string")

/** The pods and container port a Service sends `servicePort` to, read from the Service as the API server returns it. */
export const implementationTarget = (service: unknown, servicePort: number): Either.Either<ImplementationTarget, TargetProblem> => {
  const name = String(get(get(service, "metadata"), "name") ?? "")
  const spec = get(service, "spec")
  const selector = get(spec, "selector")
  if (!isLabelMap(selector) || Object.keys(selector).length === 0) {
    return Either.left({
      reason: "ServiceWithoutSelector",
      message: `Service ${name} has no pod selector (endpoints managed by hand, or type ExternalName), so no NetworkPolicy can name its pods; traffic around the gateway is not restricted`
    })
  }
  const ports = get(spec, "ports")
  const entry = Array.isArray(ports) ? ports.find((p: unknown) => get(p, "port") === servicePort) : undefined
  if (entry === undefined) {
    return Either.left({
      reason: "PortNotFound",
      message: `Service ${name} has no port ${servicePort} (spec.port), so the NetworkPolicy cannot name the container port; traffic around the gateway is not restricted`
    })
  }
  const targetPort: unknown = get(entry, "targetPort")
  const protocol: unknown = get(entry, "protocol")
  return Either.right({
    podSelector: selector,
    port: typeof targetPort === "number" || (typeof targetPort === "string" && targetPort !== "") ? targetPort : servicePort,
    protocol: typeof protocol === "string" && protocol !== "" ? protocol : "TCP"
  })
}

export interface NetworkPolicyManifest {
  readonly apiVersion: "networking.k8s.io/v1"
  readonly kind: "NetworkPolicy"
  readonly metadata: {
    readonly name: string
    readonly namespace: string
    readonly labels: LabelMap
    readonly annotations: LabelMap
    readonly ownerReferences: ReadonlyArray<IngressOwnerReference>
  }
  readonly spec: {
    readonly podSelector: { readonly matchLabels: LabelMap }
    readonly policyTypes: ReadonlyArray<"Ingress">
    readonly ingress: ReadonlyArray<{
      readonly from: ReadonlyArray<{ readonly namespaceSelector: { readonly matchLabels: LabelMap }; readonly podSelector: { readonly matchLabels: LabelMap } }>
      readonly ports: ReadonlyArray<{ readonly protocol: string; readonly port: number | string }>
    }>
  }
}

export const networkPolicyFor = (
  api: IngressOwner,
  intent: Pick<ApiIntent, "component">,
  target: ImplementationTarget,
  gateway: GatewaySelectors
): NetworkPolicyManifest => {
  const labels = ownedLabels(api, intent)
  const ownerReferences = [controllerReference(api)]
  const spec: NetworkPolicyManifest["spec"] = {
    podSelector: { matchLabels: target.podSelector },
    policyTypes: ["Ingress"],
    ingress: [
      {
        // one peer with both selectors: gateway pods in gateway namespaces (two peers would admit either)
        from: [{ namespaceSelector: { matchLabels: gateway.namespaceSelector }, podSelector: { matchLabels: gateway.podSelector } }],
        ports: [{ protocol: target.protocol, port: target.port }]
      }
    ]
  }
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name: networkPolicyName(api.metadata.name),
      namespace: api.metadata.namespace,
      labels,
      annotations: { [SPEC_HASH_ANNOTATION]: contentHash({ labels, ownerReferences, spec }) },
      ownerReferences
    },
    spec
  }
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

const isLabelKey = (key: string): boolean => {
  const slash = key.indexOf("/")
  return slash < 0 ? LABEL_NAME.test(key) : DNS_SUBDOMAIN.test(key.slice(0, slash)) && LABEL_NAME.test(key.slice(slash + 1))
}

/**
 * `key=value[,key=value...]` as matchLabels. Empty is refused: an empty selector selects every namespace (or pod),
 * which would quietly admit the whole cluster.
 */
export const parseMatchLabels = (text: string): Either.Either<LabelMap, string> => {
  const pairs = text.split(",").map((s) => s.trim()).filter((s) => s !== "")
  if (pairs.length === 0) return Either.left("must name at least one label (key=value): an empty selector would admit every namespace or pod")
  const labels: Record<string, string> = {}
  for (const pair of pairs) {
    const equals = pair.indexOf("=")
    const key = equals < 0 ? pair : pair.slice(0, equals).trim()
    const value = equals < 0 ? undefined : pair.slice(equals + 1).trim()
    if (value === undefined || !isLabelKey(key) || !LABEL_VALUE.test(value)) {
      return Either.left(`"${pair}" is not a label requirement key=value (only equality is supported)`)
    }
    labels[key] = value
  }
  return Either.right(labels)
}

/** `key=value,...` as a selector is written in settings and messages. */
export const formatMatchLabels = (labels: LabelMap): string =>
  Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(",")
