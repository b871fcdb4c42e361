import { isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { coreEventFromEventsV1 } from "./EventConversion.ts"
import { goQuote, goTime } from "./GoFormat.ts"
import { labelKeyErrors } from "./LabelRequirement.ts"
import { deepEqual, namespaceOf, stringField } from "./ObjectMeta.ts"
import type { FieldError } from "./Status.ts"

/**
 * pkg/apis/core/validation/events.go. Both API groups validate the internal, core-shaped Event, so errors name
 * core fields (`message`, `count`, `source`, `involvedObject`) even for events.k8s.io requests; only the
 * reporting controller is named per group. core/v1 gets the legacy rules alone; events.k8s.io/v1 adds strict
 * create rules and, on update, makes every field but series immutable.
 */

type Api = "core" | "events.k8s.io"

const text = (object: JsonObject, key: string): string => stringField(object, key) ?? ""
const objectAt = (object: JsonObject, key: string): JsonObject => {
  const value = object[key]
  return isJsonObject(value) ? value : {}
}
const isSet = (value: Json | undefined): boolean =>
  value !== undefined && value !== null && value !== "" && value !== 0 && !(isJsonObject(value) && Object.keys(value).length === 0)

const required = (field: string): FieldError => ({ type: "FieldValueRequired", field })
const invalid = (field: string, value: Json, detail: string): FieldError => ({ type: "FieldValueInvalid", field, value, detail })
const atMost = (field: string, limit: number): FieldError => invalid(field, "", `can have at most ${limit} characters`)

/** legacyValidateEvent: namespaces agree; an event with eventTime set needs its reporting fields. */
const legacy = (event: JsonObject, api: Api): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const involvedNamespace = text(objectAt(event, "involvedObject"), "namespace")
  const namespace = namespaceOf(event)
  const mismatch = invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace")
  if (!isSet(event["eventTime"])) {
    if (involvedNamespace === "" ? namespace !== "" && namespace !== "default" : namespace !== involvedNamespace) errors.push(mismatch)
    return errors
  }
  if (involvedNamespace === "" && namespace !== "default" && namespace !== "kube-system") errors.push(mismatch)
  const controllerField = api === "core" ? "reportingComponent" : "reportingController"
  const controller = text(event, "reportingComponent")
  if (controller === "") errors.push(required(controllerField))
  for (const message of labelKeyErrors(controller)) errors.push(invalid(controllerField, controller, message))
  for (const [field, limit] of [["reportingInstance", 128], ["action", 128], ["reason", 128]] as const) {
    if (text(event, field) === "") errors.push(required(field))
    if (text(event, field).length > limit) errors.push(atMost(field, limit))
  }
  if (text(event, "message").length > 1024) errors.push(atMost("message", 1024))
  return errors
}

const series = (event: JsonObject): ReadonlyArray<FieldError> => {
  const value = event["series"]
  if (!isJsonObject(value)) return []
  const errors: Array<FieldError> = []
  const count = value["count"]
  if (typeof count !== "number" || count < 2) errors.push(invalid("series.count", "", "should be at least 2"))
  if (!isSet(value["lastObservedTime"])) errors.push(required("series.lastObservedTime"))
  return errors
}

const strictCreate = (event: JsonObject): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = [...series(event)]
  if (!isSet(event["eventTime"])) errors.push(required("eventTime"))
  const type = text(event, "type")
  if (type !== "Normal" && type !== "Warning") errors.push(invalid("type", "", `has invalid value: ${type}`))
  for (const field of ["firstTimestamp", "lastTimestamp", "count"]) {
    if (isSet(event[field])) errors.push(invalid(field, "", "needs to be unset"))
  }
  const source = objectAt(event, "source")
  if (text(source, "component") !== "" || text(source, "host") !== "") errors.push(invalid("source", "", "needs to be unset"))
  return errors
}

// ---- update: ValidateImmutableField, with values printed as Go prints the internal types ----

const goString = (value: Json | undefined): string => goQuote(typeof value === "string" ? value : "")

const structLiteral = (type: string, fields: ReadonlyArray<readonly [string, string]>) => (value: Json | undefined): string => {
  const object = isJsonObject(value) ? value : {}
  return `${type}{${fields.map(([goName, jsonName]) => `${goName}:${goString(object[jsonName])}`).join(", ")}}`
}

const reference = structLiteral("core.ObjectReference", [
  ["Kind", "kind"],
  ["Namespace", "namespace"],
  ["Name", "name"],
  ["UID", "uid"],
  ["APIVersion", "apiVersion"],
  ["ResourceVersion", "resourceVersion"],
  ["FieldPath", "fieldPath"]
])

/** A nil pointer prints as the quoted string "null" (field.Error's ErrorBody). */
const referencePointer = (value: Json | undefined): string => (isJsonObject(value) ? reference(value) : goQuote("null"))
const source = structLiteral("core.EventSource", [["Component", "component"], ["Host", "host"]])
const time = (value: Json | undefined): string => (typeof value === "string" && value !== "" ? goTime(value) : "0001-01-01 00:00:00 +0000 UTC")
const count = (value: Json | undefined): string => String(typeof value === "number" ? value : 0)

/** [core field, how Go prints it], in ValidateEventUpdate's order (reason is checked twice upstream). */
const immutableFields: ReadonlyArray<readonly [string, (value: Json | undefined) => string]> = [
  ["involvedObject", reference],
  ["reason", goString],
  ["message", goString],
  ["source", source],
  ["firstTimestamp", time],
  ["lastTimestamp", time],
  ["count", count],
  ["reason", goString],
  ["type", goString],
  ["eventTime", time],
  ["action", goString],
  ["related", referencePointer],
  ["reportingComponent", goString],
  ["reportingInstance", goString]
]

const same = (a: Json | undefined, b: Json | undefined): boolean => (isSet(a) || isSet(b) ? deepEqual(a, b) : true)

const strictUpdate = (next: JsonObject, old: JsonObject): ReadonlyArray<FieldError> => [
  ...(same(next["series"], old["series"]) ? [] : series(next)),
  ...immutableFields
    .filter(([field]) => !same(next[field], old[field]))
    .map(([field, render]): FieldError => ({
      type: "FieldValueInvalid",
      field: field === "reportingComponent" ? "reportingController" : field,
      goValue: render(next[field]),
      detail: "field is immutable"
    }))
]

export const EventValidation = {
  core: (event: JsonObject): ReadonlyArray<FieldError> => legacy(event, "core"),
  eventsV1: (event: JsonObject, old: JsonObject | undefined): ReadonlyArray<FieldError> => {
    const next = coreEventFromEventsV1(event)
    const checks = old === undefined ? strictCreate(next) : strictUpdate(next, coreEventFromEventsV1(old))
    return [...legacy(next, "events.k8s.io"), ...checks]
  }
} as const
