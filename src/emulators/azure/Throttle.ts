import { armError } from "./ErrorBodies.ts"
import type { EmulatorRequest, EmulatorResponse, Handler } from "./Http.ts"

/**
 * Azure Resource Manager's per-subscription request budget, as the 2024 regional token-bucket model
 * documents it (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling):
 * reads bucket 250 refilled 25/s, writes bucket 200 refilled 10/s. Every answer carries the remaining count of
 * its category, as ARM does (`x-ms-ratelimit-remaining-subscription-reads` on GET/HEAD, `…-writes` on the
 * others); an empty bucket answers 429 with `Retry-After` (whole seconds until a token is back) and the code
 * ARM uses, `SubscriptionRequestsThrottled` ("Number of write requests for subscription '…' exceeded the
 * limit …", MicrosoftDocs/azure-docs#51431 and #105248). DELETE counts as a write here; the docs list a
 * separate deletes bucket with the same size and rate.
 *
 * The clock and sleep are injectable so unit tests run without waiting.
 */
export interface BucketBudget {
  readonly capacity: number
  readonly refillPerSecond: number
}

export interface TokenBucket {
  /** Takes one token if there is one; otherwise says how long until there will be. */
  readonly take: () => { readonly ok: true; readonly remaining: number } | { readonly ok: false; readonly retryAfterMs: number }
  readonly remaining: () => number
  readonly fill: () => void
}

export const makeTokenBucket = (budget: BucketBudget, clock: () => number): TokenBucket => {
  let tokens = budget.capacity
  let updatedAt = clock()
  const refill = (): void => {
    const now = clock()
    tokens = Math.min(budget.capacity, tokens + ((now - updatedAt) * budget.refillPerSecond) / 1000)
    updatedAt = now
  }
  return {
    take: () => {
      refill()
      if (tokens < 1) return { ok: false, retryAfterMs: ((1 - tokens) * 1000) / budget.refillPerSecond }
      tokens -= 1
      return { ok: true, remaining: Math.floor(tokens) }
    },
    remaining: () => {
      refill()
      return Math.floor(tokens)
    },
    fill: () => {
      tokens = budget.capacity
      updatedAt = clock()
    }
  }
}

export type ArmOperationOf = (request: EmulatorRequest) => { readonly name: string; readonly write: boolean } | undefined

export interface ThrottleOptions {
  /** Default true: the real budget is part of the behaviour the operator must live with. */
  readonly enabled?: boolean
  readonly reads?: BucketBudget
  readonly writes?: BucketBudget
  /** Names the ARM operation of a request, to look up its latency. */
  readonly operationOf?: ArmOperationOf
  /** Milliseconds added before the model answers, by operation name (e.g. `{ "api.import": 1500 }`). */
  readonly latencies?: Readonly<Record<string, number>>
  readonly clock?: () => number
  readonly sleep?: (ms: number) => Promise<void>
}

export interface Throttle {
  readonly wrap: (handler: Handler) => Handler
  readonly enabled: () => boolean
  readonly setEnabled: (enabled: boolean) => void
  /** Replaces a budget; the new bucket starts full. */
  readonly configure: (budgets: { readonly reads?: BucketBudget; readonly writes?: BucketBudget }) => void
  readonly remaining: () => { readonly reads: number; readonly writes: number }
  /** Refills both buckets, e.g. between test cases. */
  readonly fill: () => void
  readonly setLatency: (operation: string, ms: number) => void
}

export const defaultReadBudget: BucketBudget = { capacity: 250, refillPerSecond: 25 }
export const defaultWriteBudget: BucketBudget = { capacity: 200, refillPerSecond: 10 }

const isRead = (method: string): boolean => method === "GET" || method === "HEAD"

const subscriptionOf = (request: EmulatorRequest): string =>
  request.segments[0]?.toLowerCase() === "subscriptions" ? (request.segments[1] ?? "") : ""

const throttled = (
  request: EmulatorRequest,
  kind: "read" | "write",
  budget: BucketBudget,
  retryAfterMs: number,
  header: string
): EmulatorResponse => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return {
    status: 429,
    headers: { "Retry-After": String(seconds), [header]: "0" },
    body: armError(
      "SubscriptionRequestsThrottled",
      `Number of ${kind} requests for subscription '${subscriptionOf(request)}' exceeded the limit of '${budget.capacity}' ` +
        `(refilled at ${budget.refillPerSecond} per second). Please try again after '${seconds}' seconds.`
    )
  }
}

export const makeThrottle = (options: ThrottleOptions = {}): Throttle => {
  const clock = options.clock ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const latencies = new Map(Object.entries(options.latencies ?? {}))
  let enabled = options.enabled ?? true
  let budgets = { reads: options.reads ?? defaultReadBudget, writes: options.writes ?? defaultWriteBudget }
  let buckets = { reads: makeTokenBucket(budgets.reads, clock), writes: makeTokenBucket(budgets.writes, clock) }

  const wrap = (handler: Handler): Handler => async (request) => {
    const read = isRead(request.method)
    const bucket = read ? buckets.reads : buckets.writes
    const header = read ? "x-ms-ratelimit-remaining-subscription-reads" : "x-ms-ratelimit-remaining-subscription-writes"
    let remaining = bucket.remaining()
    if (enabled) {
      const taken = bucket.take()
      if (!taken.ok) return throttled(request, read ? "read" : "write", read ? budgets.reads : budgets.writes, taken.retryAfterMs, header)
      remaining = taken.remaining
    }
    const operation = options.operationOf?.(request)
    const latency = operation === undefined ? 0 : (latencies.get(operation.name) ?? 0)
    if (latency > 0) await sleep(latency)
    const response = await handler(request)
    return { ...response, headers: { ...response.headers, [header]: String(remaining) } }
  }

  return {
    wrap,
    enabled: () => enabled,
    setEnabled: (value) => {
      enabled = value
    },
    configure: (changes) => {
      budgets = { reads: changes.reads ?? budgets.reads, writes: changes.writes ?? budgets.writes }
      buckets = {
        reads: changes.reads === undefined ? buckets.reads : makeTokenBucket(changes.reads, clock),
        writes: changes.writes === undefined ? buckets.writes : makeTokenBucket(changes.writes, clock)
      }
    },
    remaining: () => ({ reads: buckets.reads.remaining(), writes: buckets.writes.remaining() }),
    fill: () => {
      buckets.reads.fill()
      buckets.writes.fill()
    },
    setLatency: (operation, ms) => {
      latencies.set(operation, ms)
    }
  }
}
