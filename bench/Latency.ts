import { join } from "node:path"
import { startBenchWorld } from "./BenchWorld.ts"
import { startOperatorProcess } from "./OperatorProcess.ts"
import { startWatchingOperator } from "./OperatorStart.ts"
import { keyOf, unthrottledBudget } from "./Publish.ts"
import { round } from "./Wait.ts"
import { apiShape, createExposedApi, ensureNamespace, trackReady } from "./Workload.ts"

export interface LatencyOptions {
  readonly runs: number
  readonly settings: Readonly<Record<string, string>>
  readonly logDir: string
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0

/**
 * The operator's own overhead: one ExposedAPI at a time, from its creation to Ready, with emulators that answer at
 * once (no APIM latency, no throttling, the ingress address given immediately).
 */
export const runLatency = async (options: LatencyOptions) => {
  const world = await startBenchWorld({ throttle: false, ingressDelayMs: 0 })
  const tracker = trackReady(world.kube)
  const operator = startOperatorProcess(
    world.operatorEnvironment({ ...unthrottledBudget, RESYNC_INTERVAL: "1 hour", ...options.settings }),
    join(options.logDir, "latency-operator.log")
  )
  try {
    await startWatchingOperator(world, operator)
    ensureNamespace(world.kube, "latency")
    // a few unmeasured runs first: the operator's code paths are compiled on first use
    const warmUp = 5
    const samples: Array<number> = []
    for (let i = 0; i < warmUp + options.runs; i++) {
      const shape = apiShape("latency", i)
      const created = performance.now()
      createExposedApi(world.kube, world.documentsUrl, shape)
      await tracker.waitFor([keyOf(shape)], 60_000)
      if (i >= warmUp) samples.push((tracker.readyAt(keyOf(shape)) ?? created) - created)
    }
    const sorted = [...samples].sort((a, b) => a - b)
    return {
      runs: options.runs,
      p50Ms: round(percentile(sorted, 50), 1),
      p90Ms: round(percentile(sorted, 90), 1),
      p99Ms: round(percentile(sorted, 99), 1),
      maxMs: round(sorted.at(-1) ?? 0, 1),
      unexpectedExits: operator.unexpectedExits().length
    }
  } finally {
    tracker.close()
    await operator.stop()
    await world.close()
  }
}
