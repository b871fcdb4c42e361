import { isIPv4, isIPv6 } from "node:net"
import { Option } from "effect"
import type { ApiIntent } from "./ApiIntent.ts"
import { contentHash } from "./ContentHash.ts"
import { COMPONENT_LABEL, EXPOSED_API, GROUP } from "./ExposedApi.ts"

/**
 * The Ingress that routes the cluster's ingress gateway to an ExposedAPI's implementation, and the address APIM
 * calls it on. One Ingress per ExposedAPI, named like it and owned by it, so Kubernetes garbage-collects it with it.
 */

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
export const MANAGED_BY = "oda-apim-operator"
export const EXPOSED_API_LABEL = `${GROUP}/exposedapi`
/** The content hash of everything the operator sets on the Ingress: equal hashes mean no write is needed. */
export const SPEC_HASH_ANNOTATION = `${GROUP}/spec-hash`

export interface IngressOwnerReference {
  readonly apiVersion: string
  readonly kind: string
  readonly name: string
  readonly uid: string
  readonly controller: true
  readonly blockOwnerDeletion: true
}

export interface IngressPath {
  readonly path: string
  readonly pathType: "Prefix"
  readonly backend: { readonly service: { readonly name: string; readonly port: { readonly number: number } } }
}

export interface IngressManifest {
  readonly apiVersion: "networking.k8s.io/v1"
  readonly kind: "Ingress"
  readonly metadata: {
    readonly name: string
    readonly namespace: string
    readonly labels: Readonly<Record<string, string>>
    readonly annotations: Readonly<Record<string, string>>
    readonly ownerReferences: ReadonlyArray<IngressOwnerReference>
  }
  readonly spec: {
    readonly ingressClassName: string
    readonly rules: ReadonlyArray<{ readonly http: { readonly paths: ReadonlyArray<IngressPath> } }>
  }
}

export interface IngressOwner {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly uid: string }
}

/** The labels of every object the operator creates for an ExposedAPI. */
export const ownedLabels = (api: IngressOwner, intent: Pick<ApiIntent, "component">): Readonly<Record<string, string>> => {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY, [EXPOSED_API_LABEL]: api.metadata.name }
  if (intent.component !== undefined) labels[COMPONENT_LABEL] = intent.component
  return labels
}

/** The ExposedAPI as the controlling owner, so Kubernetes garbage-collects what the operator created with it. */
export const controllerReference = (api: IngressOwner): IngressOwnerReference => ({
  apiVersion: `${GROUP}/${EXPOSED_API.version}`,
  kind: EXPOSED_API.kind,
  name: api.metadata.name,
  uid: api.metadata.uid,
  controller: true,
  blockOwnerDeletion: true
})

export const ingressFor = (api: IngressOwner, intent: ApiIntent, settings: { readonly ingressClassName: string }): IngressManifest => {
  const { name, namespace } = api.metadata
  const labels = ownedLabels(api, intent)
  const ownerReferences: ReadonlyArray<IngressOwnerReference> = [controllerReference(api)]
  const spec: IngressManifest["spec"] = {
    ingressClassName: settings.ingressClassName,
    rules: [
      {
        http: {
          paths: [
            {
              path: intent.path,
              pathType: "Prefix",
              backend: { service: { name: intent.implementation.service, port: { number: intent.implementation.port } } }
            }
          ]
        }
      }
    ]
  }
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name,
      namespace,
      labels,
      annotations: { [SPEC_HASH_ANNOTATION]: contentHash({ labels, ownerReferences, spec }) },
      ownerReferences
    },
    spec
  }
}

/** The hash an existing Ingress carries, to compare with the desired manifest's before writing. */
export const ingressSpecHash = (ingress: unknown): Option.Option<string> => {
  const hash = at(ingress, "metadata", "annotations", SPEC_HASH_ANNOTATION)
  return typeof hash === "string" ? Option.some(hash) : Option.none()
}

export interface IngressAddress {
  readonly scheme: "http" | "https"
  /** A DNS name, an IPv4 address, or an IPv6 address (without brackets). */
  readonly host: string
}

/**
 * Where the ingress controller published the Ingress (`status.loadBalancer.ingress[0]`): its hostname when it has
 * one (what a TLS certificate names), else its IP. https when the Ingress has TLS. None until an address is
 * published, and for an address that is not a plain host (it would otherwise be spliced into APIM's backend URL).
 */
export const ingressAddress = (ingress: unknown): Option.Option<IngressAddress> => {
  const first = at(ingress, "status", "loadBalancer", "ingress", 0)
  const hostname = at(first, "hostname")
  const ip = at(first, "ip")
  const host = typeof hostname === "string" && hostname !== "" ? hostname : typeof ip === "string" ? ip : undefined
  if (host === undefined || !isHost(host)) return Option.none()
  const tls = at(ingress, "spec", "tls")
  return Option.some({ scheme: Array.isArray(tls) && tls.length > 0 ? "https" : "http", host })
}

const DNS_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?$/

const isHost = (host: string): boolean => isIPv4(host) || isIPv6(host) || DNS_NAME.test(host)

/**
 * `scheme://host` + path for an address from `ingressAddress`, built with the URL class: IPv6 bracketed, the path
 * escaped as the URL standard says. The root path gives the bare origin, as APIM appends operation paths to it.
 */
export const backendUrl = (address: IngressAddress, path: string): string => {
  const url = new URL(`${address.scheme}://backend.invalid`)
  url.hostname = isIPv6(address.host) ? `[${address.host}]` : address.host
  url.pathname = path
  return url.pathname === "/" ? url.origin : url.href
}

/** `value[k0][k1]...`, or undefined as soon as a step is missing or not a container. */
const at = (value: unknown, ...keys: ReadonlyArray<string | number>): unknown =>
  keys.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? Reflect.get(node, key) : undefined), value)
