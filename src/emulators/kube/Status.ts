import type { Json } from "../Json.ts"

/**
 * metav1.Status bodies exactly as kube-apiserver writes them, and the error the emulator's model raises to
 * abort a request. The model is a synchronous in-memory store that mirrors the apiserver's own error flow:
 * a failed precondition throws a StatusError and the HTTP door turns it into the Status response.
 */
export type StatusCause = {
  readonly reason: string
  readonly message: string
  readonly field?: string
}

export type StatusDetails = {
  readonly name?: string
  readonly group?: string
  readonly kind?: string
  readonly uid?: string
  readonly causes?: ReadonlyArray<StatusCause>
  readonly retryAfterSeconds?: number
}

export type Status = {
  readonly kind: "Status"
  readonly apiVersion: "v1"
  readonly metadata: Record<string, never>
  readonly status: "Success" | "Failure"
  readonly message?: string
  readonly reason?: string
  readonly details?: StatusDetails
  readonly code: number
}

export class StatusError extends Error {
  readonly status: Status
  constructor(status: Status) {
    super(status.message ?? status.reason ?? `status ${status.code}`)
    this.name = "StatusError"
    this.status = status
  }
  get code(): number {
    return this.status.code
  }
}

/** The resource as the apiserver names it in messages: `exposedapis.oda.tmforum.org`, or `services` for the core group. */
export interface QualifiedResource {
  readonly group: string
  readonly resource: string
}

export const qualified = ({ group, resource }: QualifiedResource): string =>
  group === "" ? resource : `${resource}.${group}`

/** A Failure Status; `reason` is omitted for plain Go errors that reached the handler (reason Unknown). */
export const failure = (code: number, reason: string | undefined, message: string, details?: StatusDetails): StatusError =>
  new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    ...(reason === undefined ? {} : { reason }),
    ...(details === undefined ? {} : { details }),
    code
  })

const detailsOf = (qr: QualifiedResource, name: string): StatusDetails => ({
  name,
  ...(qr.group === "" ? {} : { group: qr.group }),
  kind: qr.resource
})

/**
 * The Status a delete answers with once the object is gone: store.finalizeDelete builds it without a code, and
 * the handler writes it as is (`code` is omitempty), so the body has none.
 */
export const success = (details?: StatusDetails): Omit<Status, "code"> => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Success",
  ...(details === undefined ? {} : { details })
})

export const notFound = (qr: QualifiedResource, name: string): StatusError =>
  failure(404, "NotFound", `${qualified(qr)} "${name}" not found`, detailsOf(qr, name))

export const alreadyExists = (qr: QualifiedResource, name: string): StatusError =>
  failure(409, "AlreadyExists", `${qualified(qr)} "${name}" already exists`, detailsOf(qr, name))

/** errors.NewGenerateNameConflict: every generated name was taken; clients may retry after a second. */
export const generateNameConflict = (qr: QualifiedResource, name: string): StatusError =>
  failure(409, "AlreadyExists", `${qualified(qr)} "${name}" already exists, the server was not able to generate a unique name for the object`, {
    ...detailsOf(qr, name),
    retryAfterSeconds: 1
  })

export const conflict = (qr: QualifiedResource, name: string, why = "the object has been modified; please apply your changes to the latest version and try again"): StatusError =>
  failure(409, "Conflict", `Operation cannot be fulfilled on ${qualified(qr)} "${name}": ${why}`, detailsOf(qr, name))

export const badRequest = (message: string): StatusError => failure(400, "BadRequest", message)

export const forbidden = (qr: QualifiedResource, name: string, why: string): StatusError =>
  failure(403, "Forbidden", `${qualified(qr)} "${name}" is forbidden: ${why}`, detailsOf(qr, name))

export const methodNotAllowed = (message = "the server does not allow this method on the requested resource"): StatusError =>
  failure(405, "MethodNotAllowed", message)

/** negotiation.errUnsupportedMediaType: its Status has no details (kubectl's "UnexpectedServerResponse" cause is client-side). */
export const unsupportedMediaType = (accepted: ReadonlyArray<string>): StatusError =>
  failure(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`)

export const expired = (message: string): StatusError => failure(410, "Expired", message)

export const gone = (message: string): StatusError => failure(410, "Gone", message)

export const internalError = (message: string): StatusError =>
  failure(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ reason: "", message }] })

export const tooManyRequests = (retryAfterSeconds: number): StatusError =>
  failure(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds })

export const serviceUnavailable = (message: string): StatusError => failure(503, "ServiceUnavailable", message)

/** A Status with an arbitrary code, for fault injection. */
export const statusFor = (code: number, message: string): StatusError => {
  const reason: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout"
  }
  return failure(code, reason[code] ?? "Unknown", message)
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueTypeInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueDuplicate"
  | "FieldValueNotFound"

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: "Required value",
  FieldValueInvalid: "Invalid value",
  FieldValueTypeInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  FieldValueDuplicate: "Duplicate value",
  FieldValueNotFound: "Not found"
}

/** One field.Error: `field` is the dotted path (`spec.ports[0].port`), `detail` the human explanation. */
export interface FieldError {
  readonly type: FieldErrorType
  readonly field: string
  /** The offending value; omitted for Required, Forbidden and TooLong/TooMany as the apiserver does. */
  readonly value?: Json
  /** The value as Go's %#v prints it, for values that are not JSON (a uint64 0 prints as `0x0`). */
  readonly goValue?: string
  readonly detail?: string
}

/** Go's %#v-ish rendering of a bad value, as the apiserver prints it in messages. */
const renderValue = (value: Json): string => {
  if (typeof value === "string") return JSON.stringify(value)
  if (value === null) return "null"
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return Array.isArray(value) ? `[]interface {}{...}` : `map[string]interface {}{...}`
}

/** The error without its field prefix, as it appears in `details.causes[].message`. */
export const fieldErrorBody = (e: FieldError): string => {
  let text = typeText[e.type]
  if (e.goValue !== undefined) text += `: ${e.goValue}`
  else if (e.value !== undefined && e.type !== "FieldValueRequired" && e.type !== "FieldValueForbidden") {
    text += `: ${renderValue(e.value)}`
  }
  if (e.detail !== undefined && e.detail !== "") text += `: ${e.detail}`
  return text
}

export const fieldErrorText = (e: FieldError): string => `${e.field}: ${fieldErrorBody(e)}`

/** 422 Invalid, `<Kind>.<group> "<name>" is invalid: <errors>`, with one cause per field error. */
export const invalid = (kind: { readonly group: string; readonly kind: string }, name: string, errors: ReadonlyArray<FieldError>): StatusError => {
  const qualifiedKind = kind.group === "" ? kind.kind : `${kind.kind}.${kind.group}`
  const list = errors.map(fieldErrorText)
  const summary = list.length === 1 ? list[0] : `[${list.join(", ")}]`
  return failure(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(kind.group === "" ? {} : { group: kind.group }),
    kind: kind.kind,
    causes: errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }))
  })
}

/** A path the server does not serve at all (unknown group, version, resource or subresource). */
export const notFoundPath = (): StatusError =>
  failure(404, "NotFound", "the server could not find the requested resource", {})
