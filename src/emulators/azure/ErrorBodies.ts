import type { Json } from "../Json.ts"

/**
 * Error bodies in the shape each Azure service writes, so the SDKs surface `code` and `message` as they do
 * against Azure. ARM and Key Vault share `{"error":{"code","message"}}`; Entra writes OAuth 2.0 errors
 * (`{"error":"invalid_client","error_description":"AADSTS…"}`).
 */
export type ErrorShape = "arm" | "keyvault" | "entra"

export const armError = (code: string, message: string): Json => ({ error: { code, message } })

export const entraError = (error: string, description: string, errorCodes: ReadonlyArray<number> = []): Json => ({
  error,
  error_description: description,
  error_codes: [...errorCodes],
  timestamp: new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z"),
  trace_id: crypto.randomUUID(),
  correlation_id: crypto.randomUUID()
})

const reasonPhrases: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  408: "RequestTimeout",
  409: "Conflict",
  412: "PreconditionFailed",
  429: "TooManyRequests",
  500: "InternalServerError",
  501: "NotImplemented",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout"
}

/** The error code Azure front ends commonly use for a bare status (e.g. 503 → "ServiceUnavailable"). */
export const defaultErrorCode = (status: number): string => reasonPhrases[status] ?? `Http${status}`

/** AAD maps throttling and outages to the OAuth `temporarily_unavailable` error, other failures to `server_error`. */
const entraErrorCode = (status: number): string =>
  status === 429 || status === 503 ? "temporarily_unavailable" : status >= 500 ? "server_error" : "invalid_request"

export const errorBody = (shape: ErrorShape, status: number, code: string | undefined, message: string): Json =>
  shape === "entra"
    ? entraError(code ?? entraErrorCode(status), message)
    : armError(code ?? defaultErrorCode(status), message)
