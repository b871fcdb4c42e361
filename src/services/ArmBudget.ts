import type { ApiManagementClient } from "@azure/arm-apimanagement"
import { Duration, Effect, Metric, RateLimiter, Runtime, type Scope } from "effect"
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
    const bucket = (budget: Budget) => {
      const burst = Math.max(1, Math.floor(budget.burst * budgets.margin))
      const perSecond = budget.perSecond * budgets.margin
      return RateLimiter.make({ limit: burst, interval: Duration.millis((burst / perSecond) * 1000), algorithm: "token-bucket" })
    }
    const reads = yield* bucket(budgets.reads)
    const writes = yield* bucket(budgets.writes)
    const run = Runtime.runPromise(yield* Effect.runtime<never>())
    client.pipeline.addPolicy(
      {
        name: "odaArmBudget",
        sendRequest: async (request, next) => {
          const limiter = WRITE_METHODS.has(request.method) ? writes : reads
          await run(limiter(Effect.void))
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
