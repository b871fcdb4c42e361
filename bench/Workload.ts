import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../src/emulators/Json.ts"
import type { KubeEmulator } from "../src/emulators/kube/KubeEmulator.ts"

/**
 * ODA Components as a benchmark or chaos run creates them, through the Kubernetes emulator's in-process door (the
 * same store, watches and semantics the operator sees over HTTP): a Service, an EndpointSlice with a ready endpoint,
 * and an ExposedAPI whose document is served by the world's document server.
 */
export interface ApiShape {
  readonly namespace: string
  readonly name: string
  /** The ExposedAPI's `spec.path`, e.g. `/bench-1/tmf-api/items/v4`. */
  readonly path: string
  /** `spec.rateLimit.limit` (calls per minute per client IP). */
  readonly rateLimit: number
  /** `spec.CORS.allowOrigins`. */
  readonly origin: string
  /** The owning ODA Component (label `oda.tmforum.org/componentName`); the operator tags the API with it in APIM. */
  readonly component: string
}

/** ODA Components usually expose several APIs; the benchmarks give each Component three. */
export const APIS_PER_COMPONENT = 3

export const GROUP = "oda.tmforum.org"
export const EXPOSED_API_STORAGE = `${GROUP}/exposedapis`
const EXPOSED_API_VERSION = `${GROUP}/v1`

export const apiShape = (namespace: string, index: number, prefix = "bench"): ApiShape => ({
  namespace,
  name: `${prefix}-${index}`,
  path: `/${prefix}-${index}/tmf-api/items/v4`,
  rateLimit: 100,
  origin: "https://shop.example.com",
  component: `${prefix}-component-${Math.floor(index / APIS_PER_COMPONENT)}`
})

export const exposedApiSpec = (documentsUrl: string, shape: ApiShape): JsonObject => ({
  name: shape.name,
  specification: { url: `${documentsUrl}/${shape.name}.json`, version: "v4.0.0" },
  apiType: "openapi",
  implementation: `${shape.name}-svc`,
  path: shape.path,
  port: 8080,
  rateLimit: { enabled: true, identifier: "IP", limit: String(shape.rateLimit), interval: "pm" },
  CORS: { enabled: true, allowOrigins: shape.origin }
})

export const ensureNamespace = (kube: KubeEmulator, namespace: string): void => {
  if (kube.objects.get("v1", "Namespace", "", namespace) === undefined) {
    kube.objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } })
  }
}

/** The Service and its EndpointSlice (one ready endpoint), left in place when the ExposedAPI is deleted. */
export const createImplementation = (kube: KubeEmulator, shape: Pick<ApiShape, "namespace" | "name">): void => {
  const service = `${shape.name}-svc`
  if (kube.objects.get("v1", "Service", shape.namespace, service) !== undefined) return
  kube.objects.create({ apiVersion: "v1", kind: "Service", metadata: { name: service, namespace: shape.namespace }, spec: { ports: [{ port: 8080 }] } })
  kube.objects.create({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${service}-abc`, namespace: shape.namespace, labels: { "kubernetes.io/service-name": service } },
    addressType: "IPv4",
    endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready: true } }],
    ports: [{ port: 8080 }]
  })
}

export const createExposedApi = (kube: KubeEmulator, documentsUrl: string, shape: ApiShape): void => {
  createImplementation(kube, shape)
  kube.objects.create({
    apiVersion: EXPOSED_API_VERSION,
    kind: "ExposedAPI",
    metadata: { name: shape.name, namespace: shape.namespace, labels: { "oda.tmforum.org/componentName": shape.component } },
    spec: exposedApiSpec(documentsUrl, shape)
  })
}

/** Replaces the spec (a user's `kubectl apply` of a changed manifest). */
export const updateExposedApi = (kube: KubeEmulator, documentsUrl: string, shape: ApiShape): void => {
  kube.objects.patch(EXPOSED_API_VERSION, "ExposedAPI", shape.namespace, shape.name, "merge", { spec: exposedApiSpec(documentsUrl, shape) })
}

export const deleteExposedApi = (kube: KubeEmulator, shape: Pick<ApiShape, "namespace" | "name">): void => {
  kube.objects.delete(EXPOSED_API_VERSION, "ExposedAPI", shape.namespace, shape.name)
}

export const getExposedApi = (kube: KubeEmulator, namespace: string, name: string): JsonObject | undefined =>
  kube.objects.get(EXPOSED_API_VERSION, "ExposedAPI", namespace, name)

export const listExposedApis = (kube: KubeEmulator, namespace: string): ReadonlyArray<JsonObject> =>
  kube.objects.list(EXPOSED_API_VERSION, "ExposedAPI", namespace)

const field = (object: JsonObject | undefined, ...path: ReadonlyArray<string>): Json | undefined =>
  path.reduce<Json | undefined>((node, key) => (node !== undefined && isJsonObject(node) ? node[key] : undefined), object)

export interface Condition {
  readonly type: string
  readonly status: string
  readonly reason: string
  readonly message: string
  readonly observedGeneration: number | undefined
}

export const conditionOf = (object: JsonObject | undefined, type: string): Condition | undefined => {
  const conditions = field(object, "status", "conditions")
  if (!isJsonArray(conditions)) return undefined
  const found = conditions.filter(isJsonObject).find((c) => c["type"] === type)
  if (found === undefined) return undefined
  const text = (key: string): string => (typeof found[key] === "string" ? found[key] : "")
  const generation = found["observedGeneration"]
  return { type, status: text("status"), reason: text("reason"), message: text("message"), observedGeneration: typeof generation === "number" ? generation : undefined }
}

export const generationOf = (object: JsonObject | undefined): number => {
  const generation = field(object, "metadata", "generation")
  return typeof generation === "number" ? generation : 0
}

/** Ready=True for the object's current generation. */
export const isReady = (object: JsonObject | undefined): boolean => {
  const ready = conditionOf(object, "Ready")
  return ready?.status === "True" && ready.observedGeneration === generationOf(object)
}

export const apiUrlOf = (object: JsonObject | undefined): string | undefined => {
  const url = field(object, "status", "apiStatus", "url")
  return typeof url === "string" ? url : undefined
}

const keyOf = (object: JsonObject): string => `${String(field(object, "metadata", "namespace"))}/${String(field(object, "metadata", "name"))}`

/**
 * Watches ExposedAPIs in-process and remembers when each first became Ready for its current generation; `wait`
 * resolves when every named one has.
 */
export interface ReadyTracker {
  readonly readyAt: (key: string) => number | undefined
  readonly readyCount: () => number
  /** Forgets a key, so its next Ready counts again (a new object of the same name). */
  readonly reset: (key: string) => void
  readonly waitFor: (keys: ReadonlyArray<string>, timeoutMs: number) => Promise<void>
  readonly close: () => void
}

export const trackReady = (kube: KubeEmulator): ReadyTracker => {
  const ready = new Map<string, number>()
  let waiters: Array<() => void> = []
  const unsubscribe = kube.store.onEvent((event) => {
    if (event.storage !== EXPOSED_API_STORAGE || event.type === "DELETED") return
    const key = keyOf(event.object)
    if (ready.has(key) || !isReady(event.object)) return
    ready.set(key, performance.now())
    const current = waiters
    waiters = []
    for (const wake of current) wake()
  })
  const waitFor = async (keys: ReadonlyArray<string>, timeoutMs: number): Promise<void> => {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const missing = keys.filter((k) => !ready.has(k))
      if (missing.length === 0) return
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`${missing.length} of ${keys.length} ExposedAPIs not Ready in ${Math.round(timeoutMs / 1000)} s (e.g. ${missing.slice(0, 3).join(", ")})`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000))
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
  return {
    readyAt: (key) => ready.get(key),
    readyCount: () => ready.size,
    reset: (key) => {
      ready.delete(key)
    },
    waitFor,
    close: unsubscribe
  }
}
