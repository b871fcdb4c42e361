/** What one emulator listener received and answered, in arrival order, for tests to assert on. */
export interface RequestLogEntry {
  readonly method: string
  /** The path with each segment percent-decoded, e.g. `/apis/petstore;rev=2`. */
  readonly path: string
  readonly rawPath: string
  readonly query: URLSearchParams
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  readonly bodyText: string
  /** The status sent, or "reset" when the connection was destroyed without a response. */
  readonly status: number | "reset"
  /** The response headers as sent, names lower-cased ({} after a reset). */
  readonly responseHeaders: Readonly<Record<string, string>>
  /** Epoch milliseconds when the request arrived. */
  readonly timestamp: number
}

export interface RequestLog {
  readonly entries: () => ReadonlyArray<RequestLogEntry>
  readonly record: (entry: RequestLogEntry) => void
  readonly clear: () => void
}

export const makeRequestLog = (): RequestLog => {
  let entries: Array<RequestLogEntry> = []
  return {
    entries: () => [...entries],
    record: (entry) => {
      entries.push(entry)
    },
    clear: () => {
      entries = []
    }
  }
}
