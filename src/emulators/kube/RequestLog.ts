/** One request as the emulator received it, for tests that assert the operator's wire behaviour. */
export interface LoggedRequest {
  readonly at: number
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly contentType: string | undefined
  readonly body: string
  readonly userAgent: string | undefined
  /** The answer's status; watches log 200 when their headers go out. */
  status: number
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"])

/** A bounded log (oldest entries dropped first), so long benchmarks do not grow without limit. */
export class RequestLog {
  private readonly capacity: number
  private items: Array<LoggedRequest> = []

  constructor(capacity = 200_000) {
    this.capacity = capacity
  }

  record(entry: LoggedRequest): LoggedRequest {
    this.items.push(entry)
    if (this.items.length > this.capacity) this.items = this.items.slice(this.items.length - Math.floor(this.capacity / 2))
    return entry
  }

  entries(filter?: (entry: LoggedRequest) => boolean): ReadonlyArray<LoggedRequest> {
    return filter === undefined ? [...this.items] : this.items.filter(filter)
  }

  /** Requests that could change state (POST, PUT, PATCH, DELETE), optionally since a timestamp. */
  writes(since = 0): ReadonlyArray<LoggedRequest> {
    return this.items.filter((e) => e.at >= since && WRITE_METHODS.has(e.method))
  }

  clear(): void {
    this.items = []
  }
}
