import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { stringField } from "./ObjectMeta.ts"
import { badRequest, type FieldError } from "./Status.ts"

/**
 * The parts of kube-apiserver's per-kind validation (pkg/apis/*\/validation) that an operator can trip over.
 * Each function sees the object in the version of the request.
 */

const objectAt = (object: JsonObject, key: string): JsonObject => {
  const value = object[key]
  return isJsonObject(value) ? value : {}
}

const listAt = (object: JsonObject, key: string): ReadonlyArray<Json> => {
  const value = object[key]
  return isJsonArray(value) ? value : []
}

const required = (field: string, detail = ""): FieldError => ({ type: "FieldValueRequired", field, detail })

const portRange = (field: string, value: Json | undefined): ReadonlyArray<FieldError> =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535
    ? []
    : [{ type: "FieldValueInvalid", field, value: value ?? null, detail: "must be between 1 and 65535, inclusive" }]

const service = (object: JsonObject): ReadonlyArray<FieldError> => {
  const spec = objectAt(object, "spec")
  const type = stringField(spec, "type") ?? "ClusterIP"
  const ports = listAt(spec, "ports").filter(isJsonObject)
  const headless = spec["clusterIP"] === "None"
  const errors: Array<FieldError> = []
  if (ports.length === 0 && type !== "ExternalName" && !headless) errors.push(required("spec.ports"))
  const names = new Set<string>()
  ports.forEach((port, i) => {
    errors.push(...portRange(`spec.ports[${i}].port`, port["port"]))
    const name = stringField(port, "name") ?? ""
    if (ports.length > 1 && name === "") errors.push(required(`spec.ports[${i}].name`))
    if (name !== "" && names.has(name)) errors.push({ type: "FieldValueDuplicate", field: `spec.ports[${i}].name`, value: name })
    names.add(name)
    const target = port["targetPort"]
    if (typeof target === "number") errors.push(...portRange(`spec.ports[${i}].targetPort`, target))
  })
  return errors
}

const configKey = /^[-._a-zA-Z0-9]+$/
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const secret = (object: JsonObject): ReadonlyArray<FieldError> =>
  Object.keys(objectAt(object, "data"))
    .filter((key) => !configKey.test(key))
    .map((key) => ({
      type: "FieldValueInvalid" as const,
      field: `data[${key}]`,
      value: key,
      detail:
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    }))

const decodeSecret = (object: JsonObject): void => {
  for (const value of Object.values(objectAt(object, "data"))) {
    if (typeof value !== "string" || !base64.test(value)) {
      throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0`)
    }
  }
}

const ingress = (object: JsonObject): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  listAt(objectAt(object, "spec"), "rules").filter(isJsonObject).forEach((rule, r) => {
    listAt(objectAt(rule, "http"), "paths").filter(isJsonObject).forEach((p, i) => {
      const field = `spec.rules[${r}].http.paths[${i}]`
      const pathType = stringField(p, "pathType")
      if (pathType === undefined) errors.push(required(`${field}.pathType`, "pathType must be specified"))
      const path = stringField(p, "path") ?? ""
      if ((pathType === "Prefix" || pathType === "Exact") && !path.startsWith("/")) {
        errors.push({ type: "FieldValueInvalid", field: `${field}.path`, value: path, detail: "must be an absolute path" })
      }
      const backendService = objectAt(objectAt(p, "backend"), "service")
      if (stringField(backendService, "name") === undefined && !isJsonObject(objectAt(p, "backend")["resource"])) {
        errors.push({ type: "FieldValueInvalid", field: `${field}.backend`, value: "", detail: "must specify a resource or service" })
      }
    })
  })
  return errors
}

const endpointSlice = (object: JsonObject): ReadonlyArray<FieldError> => {
  const addressType = stringField(object, "addressType")
  if (addressType === undefined) return [required("addressType")]
  return ["IPv4", "IPv6", "FQDN"].includes(addressType)
    ? []
    : [{ type: "FieldValueNotSupported", field: "addressType", value: addressType, detail: `supported values: "FQDN", "IPv4", "IPv6"` }]
}

const lease = (object: JsonObject): ReadonlyArray<FieldError> => {
  const spec = objectAt(object, "spec")
  const errors: Array<FieldError> = []
  const duration = spec["leaseDurationSeconds"]
  if (typeof duration === "number" && duration <= 0) {
    errors.push({ type: "FieldValueInvalid", field: "spec.leaseDurationSeconds", value: duration, detail: "must be greater than 0" })
  }
  const transitions = spec["leaseTransitions"]
  if (typeof transitions === "number" && transitions < 0) {
    errors.push({
      type: "FieldValueInvalid",
      field: "spec.leaseTransitions",
      value: transitions,
      detail: "must be greater than or equal to 0"
    })
  }
  return errors
}

const microTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/

/** MicroTime fields decode only with exactly six fractional digits (kubernetes-client/javascript#828). */
const requireMicroTime = (kind: string, value: Json | undefined): void => {
  if (value === undefined || value === null) return
  if (typeof value === "string" && microTime.test(value)) return
  const text = typeof value === "string" ? value : JSON.stringify(value)
  const rest = text.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, "")
  throw badRequest(
    `${kind} in version "v1" cannot be handled as a ${kind}: parsing time "${text}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${rest}" as ".000000"`
  )
}

const decodeLease = (object: JsonObject): void => {
  const spec = objectAt(object, "spec")
  requireMicroTime("Lease", spec["acquireTime"])
  requireMicroTime("Lease", spec["renewTime"])
}

/** Both Event shapes carry eventTime and series.lastObservedTime as MicroTime. */
const decodeEvent = (object: JsonObject): void => {
  requireMicroTime("Event", object["eventTime"])
  requireMicroTime("Event", objectAt(object, "series")["lastObservedTime"])
}

export const BuiltinValidation = {
  service,
  secret,
  decodeSecret,
  decodeEvent,
  ingress,
  endpointSlice,
  lease,
  decodeLease
} as const
