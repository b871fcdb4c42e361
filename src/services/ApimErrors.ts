import { Schema } from "effect"

/** Every APIM failure, classified by what the caller should do about it. */

const fields = {
  operation: Schema.String,
  target: Schema.String,
  status: Schema.optional(Schema.Number),
  code: Schema.optional(Schema.String),
  message: Schema.String
}

/** APIM refused what we asked for (400 ValidationError, a bad document, a path taken): fix the spec, don't retry. */
export class ApimInvalid extends Schema.TaggedError<ApimInvalid>()("ApimInvalid", fields) {
  get retryable(): boolean {
    return false
  }
}

/** Someone else changed it first (409, 412 on a stale ETag): re-read and retry. */
export class ApimConflict extends Schema.TaggedError<ApimConflict>()("ApimConflict", fields) {
  get retryable(): boolean {
    return true
  }
}

export class ApimNotFound extends Schema.TaggedError<ApimNotFound>()("ApimNotFound", fields) {
  get retryable(): boolean {
    return false
  }
}

/** The credential may not do this (401/403): usually a role assignment still propagating; retry with backoff. */
export class ApimDenied extends Schema.TaggedError<ApimDenied>()("ApimDenied", fields) {
  get retryable(): boolean {
    return true
  }
}

/** Throttled, unavailable, timed out, or a long-running operation that failed: retry with backoff. */
export class ApimUnavailable extends Schema.TaggedError<ApimUnavailable>()("ApimUnavailable", {
  ...fields,
  /** Seconds ARM asked us to wait (Retry-After), when it said. */
  retryAfterSeconds: Schema.optional(Schema.Number)
}) {
  get retryable(): boolean {
    return true
  }
}

export type ApimError = ApimInvalid | ApimConflict | ApimNotFound | ApimDenied | ApimUnavailable

const invalidCodes = new Set(["ValidationError", "BadRequest", "InvalidRequestContent", "MethodNotAllowedInPricingTier"])

interface RestErrorLike {
  readonly statusCode?: number
  readonly code?: string
  readonly message: string
  readonly response?: {
    readonly headers?: { readonly get?: (name: string) => string | undefined }
    readonly parsedBody?: unknown
  }
}

/** ARM puts the useful part of a ValidationError in `error.details[].message`: keep it in our message. */
const detailsOf = (error: RestErrorLike): string => {
  const body = error.response?.parsedBody
  if (typeof body !== "object" || body === null || !("error" in body)) return ""
  const inner = body.error
  if (typeof inner !== "object" || inner === null || !("details" in inner) || !Array.isArray(inner.details)) return ""
  const messages = inner.details.flatMap((d: unknown) =>
    typeof d === "object" && d !== null && "message" in d && typeof d.message === "string" ? [d.message] : []
  )
  return messages.length === 0 ? "" : ` ${messages.join("; ")}`
}

const isRestErrorLike = (e: unknown): e is RestErrorLike => e instanceof Error && e.name === "RestError"

const retryAfterOf = (error: RestErrorLike): number | undefined => {
  const value = error.response?.headers?.get?.("retry-after")
  const seconds = value === undefined ? Number.NaN : Number(value)
  return Number.isFinite(seconds) ? seconds : undefined
}

/** Maps whatever the Azure SDK threw (RestError, the LRO's plain Error, a transport error) to our vocabulary. */
export const classifyApimFailure = (operation: string, target: string, cause: unknown): ApimError => {
  if (isRestErrorLike(cause)) {
    const status = cause.statusCode
    const base = {
      operation,
      target,
      message: `${cause.message === "" ? `HTTP ${status ?? "?"}` : cause.message}${detailsOf(cause)}`,
      ...(status === undefined ? {} : { status }),
      ...(cause.code === undefined ? {} : { code: cause.code })
    }
    if (status === 404) return new ApimNotFound(base)
    if (status === 409 || status === 412) return new ApimConflict(base)
    if (status === 401 || status === 403) return new ApimDenied(base)
    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return new ApimInvalid(base)
    const retryAfterSeconds = retryAfterOf(cause)
    return new ApimUnavailable({ ...base, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) })
  }
  const message = cause instanceof Error ? cause.message : String(cause)
  // core-lro reports a failed long-running operation as a plain Error: "The long-running operation has failed.
  // <code>. <message>"; a validation failure there is as final as a synchronous 400
  const code = /long-running operation has failed\. ([A-Za-z]+)\./.exec(message)?.[1]
  if (code !== undefined && invalidCodes.has(code)) return new ApimInvalid({ operation, target, code, message })
  return new ApimUnavailable({ operation, target, message, ...(code === undefined ? {} : { code }) })
}
