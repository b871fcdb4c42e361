import type { Json } from "../Json.ts"

/**
 * One decoded HTTP request, as every Azure emulator model sees it. The HTTPS front decodes the path
 * (percent-decoding each segment), parses the query with URLSearchParams (so `api%2Dversion` reads as
 * `api-version`), lower-cases header names and parses JSON or form bodies; models never touch sockets.
 */
export interface EmulatorRequest {
  readonly method: string
  /** The raw path as received, without the query. */
  readonly rawPath: string
  /** Path segments, percent-decoded. */
  readonly segments: ReadonlyArray<string>
  readonly query: URLSearchParams
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  /** The body text as received ("" when there is none). */
  readonly bodyText: string
  /** The base URL of the listener that received the request, e.g. "https://127.0.0.1:40123" (no trailing slash). */
  readonly baseUrl: string
}

export interface EmulatorResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** JSON bodies are serialised with `Content-Type: application/json; charset=utf-8`. */
  readonly body?: Json | undefined
  /** A raw text body, sent as is; set the Content-Type in `headers`. */
  readonly text?: string | undefined
}

/** A model's HTTP door: answers one decoded request. */
export type Handler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>
