/** Requests a fault applies to; undefined matches everything. */
export interface FaultMatch {
  readonly method?: string | undefined
  /** Matches when the request path contains this text, or satisfies the predicate. */
  readonly path?: string | ((path: string) => boolean) | undefined
  readonly watch?: boolean | undefined
}

export interface RequestFacts {
  readonly method: string
  readonly path: string
  readonly watch: boolean
}

interface PendingFailure {
  remaining: number
  readonly status: number
  readonly message: string
  readonly match: FaultMatch
}

interface PendingStall {
  remaining: number
  readonly ms: number
  readonly match: FaultMatch
}

const matches = (match: FaultMatch, request: RequestFacts): boolean => {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false
  if (match.watch !== undefined && match.watch !== request.watch) return false
  if (match.path === undefined) return true
  return typeof match.path === "string" ? request.path.includes(match.path) : match.path(request.path)
}

/**
 * Request-level fault injection for the HTTP door: fail the next N matching requests with a status, or stall
 * them. Watch-level faults (close, reset, 410, stall, bookmark) act on open watches and live in the front.
 */
export class RequestFaults {
  private failures: Array<PendingFailure> = []
  private stalls: Array<PendingStall> = []

  failNext(count: number, status: number, options: { readonly match?: FaultMatch; readonly message?: string } = {}): void {
    this.failures.push({
      remaining: count,
      status,
      message: options.message ?? `injected fault: HTTP ${status}`,
      match: options.match ?? {}
    })
  }

  stallNext(count: number, ms: number, match: FaultMatch = {}): void {
    this.stalls.push({ remaining: count, ms, match })
  }

  clear(): void {
    this.failures = []
    this.stalls = []
  }

  /** The failure this request must get, if any (consumed). */
  takeFailure(request: RequestFacts): { readonly status: number; readonly message: string } | undefined {
    const failure = this.failures.find((f) => f.remaining > 0 && matches(f.match, request))
    if (failure === undefined) return undefined
    failure.remaining -= 1
    this.failures = this.failures.filter((f) => f.remaining > 0)
    return failure
  }

  /** How long this request must wait before it is served (consumed). */
  takeStall(request: RequestFacts): number {
    const stall = this.stalls.find((s) => s.remaining > 0 && matches(s.match, request))
    if (stall === undefined) return 0
    stall.remaining -= 1
    this.stalls = this.stalls.filter((s) => s.remaining > 0)
    return stall.ms
  }
}
