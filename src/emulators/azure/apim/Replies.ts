import type { Json, JsonObject } from "../../Json.ts"
import type { EmulatorRequest, EmulatorResponse } from "../Http.ts"
import { failureBody, invalidRequestContent, notFound, succeed, type ArmFailure, type Outcome } from "./ArmFailure.ts"

/** Small builders for the answers the APIM HTTPS door gives. */
export const ok = (body: JsonObject, etag?: string, status = 200): EmulatorResponse => ({
  status,
  ...(etag === undefined ? {} : { headers: { ETag: etag } }),
  body
})

/** 201 on create, 200 on update, with the entity's ETag. */
export const written = (body: JsonObject, etag: string, created: boolean): EmulatorResponse => ok(body, etag, created ? 201 : 200)

/** HEAD answers carry the ETag and no body. */
export const head = (etag: string): EmulatorResponse => ({ status: 200, headers: { ETag: etag } })

/** Errors in ARM's shape; a HEAD error has no body, as the SDK sees it from the real service. */
export const refuse = (request: EmulatorRequest, failure: ArmFailure): EmulatorResponse =>
  request.method === "HEAD" ? { status: failure.status } : { status: failure.status, body: failureBody(failure) }

export const methodNotAllowed = (request: EmulatorRequest): EmulatorResponse =>
  refuse(request, {
    status: 405,
    code: "MethodNotAllowed",
    message: `The requested resource does not support http method '${request.method}'.`
  })

export const unknownRoute = (request: EmulatorRequest): EmulatorResponse =>
  refuse(request, {
    status: 404,
    code: "NotFound",
    message: `The APIM emulator does not serve ${request.method} ${request.rawPath}.`
  })

/** DELETE of something absent: 204 by default, or the entity's 404 when the model says so. */
export const deletedNothing = (request: EmulatorRequest, status: 204 | 404, label: string): EmulatorResponse =>
  status === 204 ? { status: 204 } : refuse(request, notFound(label))

export const readJson = (request: EmulatorRequest): Outcome<Json> => {
  if (request.bodyText.trim() === "") return succeed({})
  try {
    const parsed: Json = JSON.parse(request.bodyText)
    return succeed(parsed)
  } catch (cause) {
    return { ok: false, failure: invalidRequestContent(cause instanceof Error ? cause.message : String(cause)) }
  }
}

export const ifMatchOf = (request: EmulatorRequest): string | undefined => request.headers["if-match"]
