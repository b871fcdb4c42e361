import type { ApiManagementClient } from "@azure/arm-apimanagement"
import { Clock, Duration, Effect, Metric, Runtime, type Scope } from "effect"
import { armThrottled, countArmRequest } from "../Metrics.ts"

/** A per-subscription ARM bucket: `burst` tokens, refilled at `perSecond`. */
export interface Budget {
  readonly burst: number
  readonly perSecond: number
}

/** ARM's documented defaults: writes 200 refilled 10/s, reads 250 refilled 25/s. */
export const defaultWriteBudget: Budget = { burst: 200, perSecond: 10 }
export const defaultReadBudget: Budget = { burst: 250, perSecond: 25 }

const WRITE_METHODS = new Set(["PUT", "POST", "PATCH", "DELETE"])

/** `PUT apis`, `GET apis/policies`: the ARM resource type a request addresses, for metrics. */
export const armOperationLabel = (method: string, url: string): string => {
  const path = new URL(url).pathname.split("/").filter((s) => s !== "")
  const service = path.findIndex((s) => s.toLowerCase() === "service")
  const types = path.slice(service + 2).filter((_, i) => i % 2 === 0)
  return `${method} ${types.length === 0 ? "service" : types.join("/")}`
}

/**
 * A token bucket as reservations (the generic cell rate algorithm): every caller reserves the next token at once, in
 * arrival order, and waits until the bucket would have refilled it. No fiber waits on a lock and the rate is exact;
 * Effect's RateLimiter refills with a sleep per token (its rate drifts below the budget as the event loop gets busy)
 * and wakes every waiter per token through its Semaphore.
 */
export const makePacer = (budget: Budget): Effect.Effect<Effect.Effect<void>> =>
  Effect.sync(() => {
    const interval = 1000 / budget.perSecond
    const tolerance = budget.burst * interval
    // when the bucket runs dry, given every reservation so far (epoch ms); at or before now, the bucket is full
    let emptyAt = 0
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      emptyAt = Math.max(emptyAt, now) + interval
      const wait = emptyAt - tolerance - now
      return wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void
    })
  })

/**
 * Paces every ARM request the SDK sends (first attempts, its own retries and long-running-operation polls) through
 * client-side token buckets sized below ARM's, so the operator spends the subscription's budget without tripping
 * 429s. The buckets are taken after the request is signed, right before it leaves, so that token acquisition does
 * not make the client's clock run ahead of ARM's; `margin` (0..1) keeps a little headroom for clock skew and for
 * other clients of the same subscription.
 */
export const installArmBudget = (
  client: ApiManagementClient,
  budgets: { readonly reads: Budget; readonly writes: Budget; readonly margin: number }
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const bucket = (budget: Budget) =>
      makePacer({ burst: Math.max(1, Math.floor(budget.burst * budgets.margin)), perSecond: budget.perSecond * budgets.margin })
    const reads = yield* bucket(budgets.reads)
    const writes = yield* bucket(budgets.writes)
    const run = Runtime.runPromise(yield* Effect.runtime<never>())
    client.pipeline.addPolicy(
      {
        name: "odaArmBudget",
        sendRequest: async (request, next) => {
          await run(WRITE_METHODS.has(request.method) ? writes : reads)
          const response = await next(request)
          const operation = armOperationLabel(request.method, request.url)
          await run(
            countArmRequest(operation, String(response.status)).pipe(
              Effect.zipRight(response.status === 429 ? Metric.increment(armThrottled) : Effect.void)
            )
          )
          return response
        }
      },
      { afterPhase: "Sign" }
    )
  })
