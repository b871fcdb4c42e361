import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { metadataOf } from "./ObjectMeta.ts"
import type { PrinterColumn } from "./ResourceType.ts"
import { servedVersion } from "./ResourceType.ts"
import type { Scope } from "./Store.ts"

/** `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io`: server-side printing. */
export const tableRequested = (accept: string): boolean => /as=Table/.test(accept)

const nameColumn: PrinterColumn = { name: "Name", type: "string", jsonPath: ".metadata.name" }
const ageColumn: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }

/** Evaluates the JSONPath subset printer columns use: `.a.b`, `.a[0].b`, `.a[*].b`. */
export const evaluateJsonPath = (object: Json, path: string): ReadonlyArray<Json> => {
  const steps = path.replace(/^\{?\.?/, "").replace(/\}$/, "").split(/\.|(?=\[)/).filter((s) => s !== "")
  let current: ReadonlyArray<Json> = [object]
  for (const step of steps) {
    const index = /^\[(\*|\d+)\]$/.exec(step)
    current = current.flatMap((value): ReadonlyArray<Json> => {
      if (index !== null) {
        if (!isJsonArray(value)) return []
        if (index[1] === "*") return value
        const item = value[Number(index[1])]
        return item === undefined ? [] : [item]
      }
      if (!isJsonObject(value)) return []
      const next = value[step]
      return next === undefined ? [] : [next]
    })
  }
  return current
}

/** Go's duration.HumanDuration, as the Age column prints it. */
export const humanDuration = (ms: number): string => {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return `${minutes}m${seconds % 60 === 0 ? "" : `${seconds % 60}s`}`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours}h`
  const days = Math.floor(hours / 24)
  return days < 365 * 2 ? `${days}d` : `${Math.floor(days / 365)}y`
}

const cell = (column: PrinterColumn, object: JsonObject): Json => {
  const values = evaluateJsonPath(object, column.jsonPath)
  if (values.length === 0) return column.type === "string" ? "" : null
  if (column.type === "date") {
    const first = values[0]
    return typeof first === "string" ? humanDuration(Date.now() - Date.parse(first)) : null
  }
  if (values.length === 1) {
    const only = values[0] ?? null
    return isJsonObject(only) || isJsonArray(only) ? JSON.stringify(only) : only
  }
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(",")
}

const rowObject = (object: JsonObject, include: string): Json => {
  if (include === "None") return null
  if (include === "Object") return object
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: metadataOf(object) }
}

/** A metav1.Table of one object or a list, with the type's printer columns (Name and Age when it has none). */
export const toTable = (scope: Scope, objectOrList: JsonObject, query: URLSearchParams): JsonObject => {
  const declared = servedVersion(scope.type, scope.version)?.printerColumns ?? []
  // custom resources: Name, then the CRD's columns; no columns at all: Name and Age
  const columns = declared.length === 0 ? [nameColumn, ageColumn] : scope.type.custom ? [nameColumn, ...declared] : declared
  const items = isJsonArray(objectOrList["items"]) ? objectOrList["items"].filter(isJsonObject) : [objectOrList]
  const include = query.get("includeObject") ?? "Metadata"
  const listMeta = metadataOf(objectOrList)
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: isJsonArray(objectOrList["items"]) ? listMeta : { resourceVersion: listMeta["resourceVersion"] ?? "" },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.name === "Name" ? "name" : c.format ?? "",
      description: c.description ?? "",
      priority: c.priority ?? 0
    })),
    rows: items.map((item) => ({ cells: columns.map((c) => cell(c, item)), object: rowObject(item, include) }))
  }
}
