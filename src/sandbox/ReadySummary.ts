import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../emulators/Json.ts"

/** How one ExposedAPI stands, as a newcomer reads it: one state word, and the URL or the reason. */
export interface ReadySummary {
  readonly state: "created" | "updated" | "Ready=True" | "Ready=False" | "Ready=Unknown" | "deleting" | "deleted"
  readonly tone: "good" | "bad" | "pending" | "gone"
  readonly detail: string
  /** Converged on the current spec, one way or the other: nothing more happens without a change. */
  readonly settled: boolean
  /** `status.apiStatus.url`, when set. */
  readonly url?: string
}

const objectAt = (object: JsonObject | undefined, name: string): JsonObject | undefined => {
  const value = object?.[name]
  return isJsonObject(value) ? value : undefined
}
const textAt = (object: JsonObject | undefined, name: string): string | undefined => {
  const value = object?.[name]
  return typeof value === "string" ? value : undefined
}
const numberAt = (object: JsonObject | undefined, name: string): number | undefined => {
  const value = object?.[name]
  return typeof value === "number" ? value : undefined
}

const conditionOf = (status: JsonObject | undefined, type: string): JsonObject | undefined => {
  const conditions: Json | undefined = status?.["conditions"]
  return isJsonArray(conditions) ? conditions.filter(isJsonObject).find((c) => c["type"] === type) : undefined
}

/** Status text is written by whoever can write the resource: no control character reaches the terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
export const printable = (text: string): string =>
  text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)

/** Waiting on the ingress controller is on the way to Ready, not an outcome. */
const TRANSIENT_REASONS: ReadonlySet<string> = new Set(["AddressPending", "Reconciling"])

/** The summary of an ExposedAPI as stored, or of one just deleted (`deleted: true`). */
export const summarize = (object: JsonObject, deleted = false): ReadySummary => {
  if (deleted) return { state: "deleted", tone: "gone", detail: "the resource is gone", settled: true }
  const metadata = objectAt(object, "metadata")
  if (textAt(metadata, "deletionTimestamp") !== undefined)
    return { state: "deleting", tone: "gone", detail: "the operator removes the API from API Management, then releases its finalizer", settled: false }
  const status = objectAt(object, "status")
  const ready = conditionOf(status, "Ready")
  if (ready === undefined) return { state: "created", tone: "pending", detail: "waiting for the operator", settled: false }
  const generation = numberAt(metadata, "generation")
  if (generation !== undefined && numberAt(ready, "observedGeneration") !== generation)
    return { state: "updated", tone: "pending", detail: `spec changed (generation ${generation}); waiting for the operator`, settled: false }
  const reason = printable(textAt(ready, "reason") ?? "")
  const message = printable(textAt(ready, "message") ?? "")
  const url = textAt(objectAt(status, "apiStatus"), "url")
  const implementationReady = objectAt(status, "implementation")?.["ready"]
  const unready = implementationReady === false ? " (implementation: no ready endpoint)" : ""
  switch (textAt(ready, "status")) {
    case "True": {
      if (url !== undefined && url !== "") return { state: "Ready=True", tone: "good", detail: `${printable(url)}${unready}`, settled: true, url }
      const ingress = printable(textAt(conditionOf(status, "IngressReady"), "message") ?? "")
      const published = printable(textAt(conditionOf(status, "ApiPublished"), "reason") ?? "")
      return { state: "Ready=True", tone: "good", detail: `${ingress} [${published}]${unready}`, settled: true }
    }
    case "False":
      return { state: "Ready=False", tone: TRANSIENT_REASONS.has(reason) ? "pending" : "bad", detail: `${reason}: ${message}`, settled: !TRANSIENT_REASONS.has(reason) }
    default:
      return { state: "Ready=Unknown", tone: "pending", detail: `${reason}: ${message}`, settled: false }
  }
}

const COLORS: Record<ReadySummary["tone"], string> = { good: "32", bad: "31", pending: "33", gone: "90" }

/** One line of the view: `HH:MM:SS  namespace/name  state  detail`, the state coloured on a terminal. */
export const formatLine = (time: Date, key: string, summary: ReadySummary, colors: boolean): string => {
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":")
  const state = summary.state.padEnd(14)
  const shown = colors ? `\u001b[${COLORS[summary.tone]}m${state}\u001b[0m` : state
  return `${clock}  ${key.padEnd(38)} ${shown} ${summary.detail}`
}
