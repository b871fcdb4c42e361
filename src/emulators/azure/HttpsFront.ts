import type { IncomingMessage, ServerResponse } from "node:http"
import * as https from "node:https"
import { Effect, type Scope } from "effect"
import type { Certificates } from "./Certificates.ts"
import type { EmulatorRequest, EmulatorResponse, Handler } from "./Http.ts"
import { makeRequestLog, type RequestLog } from "./RequestLog.ts"

/**
 * The HTTPS door of one Azure emulator: decodes each request into an EmulatorRequest, lets an optional
 * interceptor (fault injection) answer, delay or drop it before the model sees it, serialises the
 * EmulatorResponse, and records the exchange in a request log.
 */

/** Returned by an interceptor to destroy the connection without answering (a TCP reset seen by the client). */
export const connectionReset = Symbol.for("azure-emulator/connection-reset")
export type Interception = EmulatorResponse | typeof connectionReset | undefined
/** Runs before the handler; `undefined` lets the request through. It may wait (injected latency). */
export type Interceptor = (request: EmulatorRequest) => Interception | Promise<Interception>

export interface HttpsFrontOptions {
  readonly certificates: Certificates
  readonly handler: Handler
  /** 0 (the default) picks a free port. */
  readonly port?: number
  readonly intercept?: Interceptor
  /** Share a log between fronts, or let the front create its own. */
  readonly log?: RequestLog
}

export interface HttpsFront {
  /** e.g. `https://127.0.0.1:40123`, no trailing slash. */
  readonly url: string
  readonly port: number
  readonly log: RequestLog
  readonly close: () => Promise<void>
}

const jsonContentType = "application/json; charset=utf-8"

const readBody = async (message: IncomingMessage): Promise<string> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of message) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString("utf8")
}

const flattenHeaders = (message: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value
  }
  return headers
}

/**
 * Empty segments are dropped, so `/secrets/x/` and `/secrets/x` both give `["secrets", "x"]`; `rawPath`
 * keeps the trailing slash for models that care. Throws URIError on a malformed escape.
 */
export const decodeSegments = (rawPath: string): ReadonlyArray<string> =>
  rawPath.split("/").filter((segment) => segment !== "").map(decodeURIComponent)

export const decodeRequest = (message: IncomingMessage, bodyText: string, baseUrl: string): EmulatorRequest => {
  const target = message.url ?? "/"
  const queryStart = target.indexOf("?")
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart)
  return {
    method: (message.method ?? "GET").toUpperCase(),
    rawPath,
    segments: decodeSegments(rawPath),
    query: new URLSearchParams(queryStart === -1 ? "" : target.slice(queryStart + 1)),
    headers: flattenHeaders(message),
    bodyText,
    baseUrl
  }
}

const badRequest = (message: string): EmulatorResponse => ({
  status: 400,
  body: { error: { code: "BadRequest", message } }
})

const internalError = (cause: unknown): EmulatorResponse => ({
  status: 500,
  body: { error: { code: "InternalServerError", message: cause instanceof Error ? cause.message : String(cause) } }
})

interface Serialised {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly payload: Buffer | undefined
}

const serialise = (response: EmulatorResponse): Serialised => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = value
  let payload: Buffer | undefined
  if (response.body !== undefined) {
    headers["content-type"] = jsonContentType
    payload = Buffer.from(JSON.stringify(response.body), "utf8")
  } else if (response.text !== undefined) {
    payload = Buffer.from(response.text, "utf8")
  }
  headers["content-length"] = String(payload?.length ?? 0)
  return { status: response.status, headers, payload }
}

const send = (method: string, serialised: Serialised, res: ServerResponse): void => {
  res.writeHead(serialised.status, serialised.headers)
  // A HEAD answer advertises the length but carries no body.
  res.end(method === "HEAD" ? undefined : serialised.payload)
}

const answer = async (
  request: EmulatorRequest,
  options: HttpsFrontOptions
): Promise<EmulatorResponse | typeof connectionReset> => {
  const intercepted = options.intercept === undefined ? undefined : await options.intercept(request)
  return intercepted ?? (await options.handler(request))
}

export const startHttpsFront = async (options: HttpsFrontOptions): Promise<HttpsFront> => {
  const log = options.log ?? makeRequestLog()
  let baseUrl = ""
  const server = https.createServer(
    { cert: options.certificates.certPem, key: options.certificates.keyPem, keepAliveTimeout: 30_000 },
    (message, res) => {
      const timestamp = Date.now()
      void (async () => {
        const bodyText = await readBody(message)
        let request: EmulatorRequest | undefined
        let outcome: EmulatorResponse | typeof connectionReset
        try {
          request = decodeRequest(message, bodyText, baseUrl)
          outcome = await answer(request, options)
        } catch (cause) {
          outcome = cause instanceof URIError ? badRequest(`Malformed path: ${cause.message}`) : internalError(cause)
        }
        const rawPath = request?.rawPath ?? message.url ?? "/"
        const serialised = outcome === connectionReset ? undefined : serialise(outcome)
        log.record({
          method: request?.method ?? message.method ?? "GET",
          path: request === undefined ? rawPath : `/${request.segments.join("/")}`,
          rawPath,
          query: new URLSearchParams(request?.query),
          headers: request?.headers ?? flattenHeaders(message),
          bodyText,
          status: serialised?.status ?? "reset",
          responseHeaders: serialised?.headers ?? {},
          timestamp
        })
        if (serialised === undefined) message.socket.destroy()
        else send(request?.method ?? "GET", serialised, res)
      })().catch(() => message.socket.destroy())
    }
  )
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("HTTPS front is not listening on TCP")
  const port = address.port
  baseUrl = `https://127.0.0.1:${port}`
  return {
    url: baseUrl,
    port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The front as a scoped resource: closed (all connections dropped) when the scope closes. */
export const httpsFrontScoped = (options: HttpsFrontOptions): Effect.Effect<HttpsFront, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => startHttpsFront(options)),
    (front) => Effect.promise(() => front.close())
  )
