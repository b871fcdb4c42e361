import type { RequestLogEntry } from "../src/emulators/azure/RequestLog.ts"
import type { LoggedRequest } from "../src/emulators/kube/RequestLog.ts"

/** What the ARM and Kubernetes request logs say about a window of a run. */
export interface ArmCounts {
  readonly calls: number
  readonly reads: number
  readonly writes: number
  readonly throttled429: number
  /** Calls by operation, e.g. `GET apis`, `PUT apis/policies`, with their status: `PUT apis 201`. */
  readonly byOperation: Readonly<Record<string, number>>
}

const READS = new Set(["GET", "HEAD"])
const KUBE_WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"])

/** `PUT apis/policies`: the resource types under the APIM service, as the operator's metrics name them. */
export const armOperation = (entry: Pick<RequestLogEntry, "method" | "path">): string => {
  const segments = entry.path.split("/").filter((s) => s !== "")
  const service = segments.findIndex((s) => s.toLowerCase() === "service")
  const types = service < 0 ? [] : segments.slice(service + 2).filter((_, i) => i % 2 === 0)
  return `${entry.method} ${types.length === 0 ? "service" : types.join("/")}`
}

export const countArm = (entries: ReadonlyArray<RequestLogEntry>): ArmCounts => {
  const byOperation: Record<string, number> = {}
  let reads = 0
  let throttled429 = 0
  for (const entry of entries) {
    if (READS.has(entry.method)) reads += 1
    if (entry.status === 429) throttled429 += 1
    const key = `${armOperation(entry)} ${entry.status}`
    byOperation[key] = (byOperation[key] ?? 0) + 1
  }
  return { calls: entries.length, reads, writes: entries.length - reads, throttled429, byOperation }
}

/** Kubernetes writes by verb and resource, e.g. `PATCH exposedapis`, `POST events`. */
export const countKubeWrites = (entries: ReadonlyArray<LoggedRequest>): { readonly total: number; readonly byResource: Readonly<Record<string, number>> } => {
  const byResource: Record<string, number> = {}
  let total = 0
  for (const entry of entries) {
    if (!KUBE_WRITES.has(entry.method)) continue
    total += 1
    const segments = entry.path.split("/").filter((s) => s !== "")
    const namespaces = segments.indexOf("namespaces")
    // namespaced: .../namespaces/{ns}/{resource}[/{name}[/{subresource}]]; otherwise the path's last resource
    const [resource, , subresource] = namespaces >= 0 && segments.length > namespaces + 2 ? segments.slice(namespaces + 2) : [segments.at(-1) ?? ""]
    const key = `${entry.method} ${resource ?? ""}${subresource === undefined ? "" : `/${subresource}`}`
    byResource[key] = (byResource[key] ?? 0) + 1
  }
  return { total, byResource }
}

