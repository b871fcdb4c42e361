import type { Json, JsonObject } from "../Json.ts"

/**
 * core/v1 and events.k8s.io/v1 Events are one resource in two shapes; the store keeps the core shape.
 * Field pairs: events.k8s.io name <-> core name.
 */
const renamed: ReadonlyArray<readonly [string, string]> = [
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["reportingController", "reportingComponent"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"]
]

const rename = (object: JsonObject, pairs: ReadonlyArray<readonly [string, string]>): JsonObject => {
  const out: Record<string, Json> = {}
  const map = new Map(pairs)
  for (const [key, value] of Object.entries(object)) out[map.get(key) ?? key] = value
  return out
}

export const coreEventFromEventsV1 = (event: JsonObject): JsonObject => rename(event, renamed)

export const eventsV1FromCoreEvent = (event: JsonObject): JsonObject =>
  rename(event, renamed.map(([a, b]) => [b, a] as const))
