import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { isJsonArray, isJsonObject } from "../../src/emulators/Json.ts"
import type { BenchWorld } from "../../bench/BenchWorld.ts"
import { apiUrlOf, type ApiShape, getExposedApi, isReady } from "../../bench/Workload.ts"

/** What the chaos run last asked of each name: its spec, or its deletion. */
export type Expected = ReadonlyMap<string, { readonly shape: ApiShape; readonly live: boolean }>

export interface Verdict {
  readonly surviving: number
  readonly deleted: number
  readonly apimApis: number
  readonly ready: number
  /** Everything that differs from what was asked, one line each; empty when the world has converged. */
  readonly problems: ReadonlyArray<string>
}

const ingressIp = (world: BenchWorld, shape: ApiShape): string | undefined => {
  const ingress = world.kube.objects.get("networking.k8s.io/v1", "Ingress", shape.namespace, shape.name)
  const status = ingress?.["status"]
  const balancer = isJsonObject(status) ? status["loadBalancer"] : undefined
  const entries = isJsonObject(balancer) ? balancer["ingress"] : undefined
  const first = isJsonArray(entries) ? entries[0] : undefined
  const ip = isJsonObject(first) ? first["ip"] : undefined
  return typeof ip === "string" ? ip : undefined
}

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/**
 * Compares the world with what was asked, exactly: APIM holds one API per surviving ExposedAPI with its path, its
 * Ingress's address as backend and a policy carrying its rate limit and CORS origin, and nothing else; every
 * surviving ExposedAPI is Ready for its current generation with its URL; every deleted one is gone, its Ingress too.
 */
export const checkConvergence = (world: BenchWorld, expected: Expected): Verdict => {
  const problems: Array<string> = []
  const gateway = world.azure.apim.gatewayUrl().replace(/\/+$/, "")
  const wanted = new Map<string, ApiShape>()
  let ready = 0
  let deleted = 0
  for (const { live, shape } of expected.values()) {
    const key = `${shape.namespace}/${shape.name}`
    const object = getExposedApi(world.kube, shape.namespace, shape.name)
    if (!live) {
      deleted += 1
      if (object !== undefined) problems.push(`${key}: deleted, but the ExposedAPI is still there`)
      if (world.kube.objects.get("networking.k8s.io/v1", "Ingress", shape.namespace, shape.name) !== undefined) {
        problems.push(`${key}: deleted, but its Ingress is still there`)
      }
      continue
    }
    wanted.set(apimApiId(shape.namespace, shape.name), shape)
    if (object === undefined) {
      problems.push(`${key}: missing from Kubernetes`)
      continue
    }
    const path = shape.path.replace(/^\/+/, "")
    if (!isReady(object)) problems.push(`${key}: not Ready for its current generation`)
    else ready += 1
    const url = apiUrlOf(object)
    if (url !== `${gateway}/${path}`) problems.push(`${key}: status.apiStatus.url is ${String(url)}, expected ${gateway}/${path}`)
  }

  const apis = world.azure.apim.listApis()
  for (const api of apis) {
    const shape = wanted.get(api.name)
    if (shape === undefined) {
      problems.push(`APIM API ${api.name} (path ${String(api.properties["path"])}) belongs to no surviving ExposedAPI: an orphan`)
      continue
    }
    const key = `${shape.namespace}/${shape.name}`
    const path = shape.path.replace(/^\/+/, "")
    if (api.properties["path"] !== path) problems.push(`${key}: APIM path is ${String(api.properties["path"])}, expected ${path}`)
    const ip = ingressIp(world, shape)
    const backend = ip === undefined ? undefined : `http://${ip}${shape.path}`
    if (backend === undefined || api.properties["serviceUrl"] !== backend) {
      problems.push(`${key}: APIM backend is ${String(api.properties["serviceUrl"])}, expected ${String(backend)}`)
    }
    const policy = api.policy?.value ?? ""
    if (!policy.includes(`<rate-limit-by-key calls="${shape.rateLimit}" renewal-period="60"`)) {
      problems.push(`${key}: APIM policy does not limit to ${shape.rateLimit} calls per minute`)
    }
    if (!policy.includes(`<origin>${escapeXml(shape.origin)}</origin>`)) problems.push(`${key}: APIM policy does not allow origin ${shape.origin}`)
  }
  const published = new Set(apis.map((a) => a.name))
  for (const [id, shape] of wanted) if (!published.has(id)) problems.push(`${shape.namespace}/${shape.name}: no APIM API ${id}`)

  return { surviving: wanted.size, deleted, apimApis: apis.length, ready, problems }
}
