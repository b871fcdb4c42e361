import type { Json } from "../Json.ts"
import { errorBody, type ErrorShape } from "./ErrorBodies.ts"
import type { EmulatorRequest, EmulatorResponse } from "./Http.ts"
import { connectionReset, type Interception, type Interceptor } from "./HttpsFront.ts"

/**
 * Fault injection for one emulator listener. The HTTPS front asks `intercept` before the model sees a request,
 * so a faulted write changes nothing. Rules are checked in the order they were added: delay rules that fire
 * wait and let the next rules decide; the first status or reset rule that fires answers the request.
 */
export type FaultAction =
  | {
    readonly kind: "status"
    readonly status: number
    /** `Retry-After` header, in seconds. */
    readonly retryAfterSeconds?: number
    /** `retry-after-ms` header, which the Azure SDK throttling policy also honours. */
    readonly retryAfterMs?: number
    /** Overrides the service's default error code for the status. */
    readonly code?: string
    readonly message?: string
    /** Replaces the generated error body entirely (e.g. an ARM ValidationError with details). */
    readonly body?: Json
    readonly headers?: Readonly<Record<string, string>>
  }
  | { readonly kind: "reset" }
  | { readonly kind: "delay"; readonly ms: number | { readonly min: number; readonly max: number } }

export interface FaultRule {
  readonly action: FaultAction
  /** Fire on the next N matching requests, then retire. Without it the rule stays until removed. */
  readonly times?: number
  /** Fire on each matching request with this probability (0..1); default 1. */
  readonly probability?: number
  /** Only requests with this method (case-insensitive). */
  readonly method?: string
  /** Only requests whose raw path matches. */
  readonly path?: RegExp
  readonly when?: (request: EmulatorRequest) => boolean
}

export interface FaultHandle {
  /** How many times the rule has fired so far. */
  readonly fired: () => number
  readonly remove: () => void
}

export interface Faults {
  readonly inject: (rule: FaultRule) => FaultHandle
  readonly clear: () => void
  /** Total faults fired since creation or the last clear. */
  readonly firedCount: () => number
  readonly intercept: Interceptor
}

export interface FaultsOptions {
  readonly shape: ErrorShape
  /** Seeds the RNG behind probabilities and random delays, so a chaos run can be replayed. */
  readonly seed?: number
  readonly sleep?: (ms: number) => Promise<void>
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG, good enough for reproducible chaos. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface ActiveRule {
  readonly rule: FaultRule
  fired: number
}

const statusResponse = (shape: ErrorShape, action: Extract<FaultAction, { kind: "status" }>): EmulatorResponse => {
  const headers: Record<string, string> = { ...action.headers }
  if (action.retryAfterSeconds !== undefined) headers["Retry-After"] = String(action.retryAfterSeconds)
  if (action.retryAfterMs !== undefined) headers["retry-after-ms"] = String(action.retryAfterMs)
  return {
    status: action.status,
    headers,
    body: action.body ?? errorBody(shape, action.status, action.code, action.message ?? `Injected fault: HTTP ${action.status}.`)
  }
}

export const makeFaults = (options: FaultsOptions): Faults => {
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed)
  const sleep = options.sleep ?? realSleep
  let rules: Array<ActiveRule> = []
  let firedCount = 0

  const matches = ({ rule }: ActiveRule, request: EmulatorRequest): boolean =>
    (rule.method === undefined || rule.method.toUpperCase() === request.method) &&
    (rule.path === undefined || rule.path.test(request.rawPath)) &&
    (rule.when === undefined || rule.when(request))

  const fires = (active: ActiveRule, request: EmulatorRequest): boolean => {
    if (!matches(active, request)) return false
    // The RNG is drawn only for probabilistic rules, so adding a certain rule does not shift a seeded sequence.
    if (active.rule.probability !== undefined && random() >= active.rule.probability) return false
    active.fired += 1
    firedCount += 1
    if (active.rule.times !== undefined && active.fired >= active.rule.times) rules = rules.filter((r) => r !== active)
    return true
  }

  const intercept = async (request: EmulatorRequest): Promise<Interception> => {
    for (const active of [...rules]) {
      if (!fires(active, request)) continue
      const { action } = active.rule
      switch (action.kind) {
        case "delay":
          await sleep(typeof action.ms === "number" ? action.ms : action.ms.min + random() * (action.ms.max - action.ms.min))
          break
        case "reset":
          return connectionReset
        case "status":
          return statusResponse(options.shape, action)
      }
    }
    return undefined
  }

  return {
    inject: (rule) => {
      const active: ActiveRule = { rule, fired: 0 }
      rules.push(active)
      return {
        fired: () => active.fired,
        remove: () => {
          rules = rules.filter((r) => r !== active)
        }
      }
    },
    clear: () => {
      rules = []
      firedCount = 0
    },
    firedCount: () => firedCount,
    intercept
  }
}
