import { join } from "node:path"
import { defaultWriteBudget } from "../src/emulators/azure/Throttle.ts"
import { type ApimLatencies, latencyTable, publishChainMs } from "./ApimLatencies.ts"
import { countArm } from "./ArmCounts.ts"
import { startBenchWorld } from "./BenchWorld.ts"
import { startOperatorProcess } from "./OperatorProcess.ts"
import { startWatchingOperator } from "./OperatorStart.ts"
import { startSampler } from "./Sampler.ts"
import { round, secondsSince } from "./Wait.ts"
import { apiShape, createExposedApi, ensureNamespace, trackReady } from "./Workload.ts"

export interface ThroughputOptions {
  readonly apis: number
  readonly latencies: ApimLatencies
  /** Operator settings for the run, as a user would set them (MAX_CONCURRENT_RECONCILES, …). */
  readonly settings: Readonly<Record<string, string>>
  readonly logDir: string
}

/** Writes every new API needs at least: its import, its policy. */
export const WRITES_PER_API = 2

/**
 * The least time ARM's write budget allows for `apis` new APIs: the first `burst` writes go at once, the rest at the
 * refill rate, and the last API still needs its own chain of calls once its writes are admitted.
 */
export const idealSeconds = (apis: number, latencies: ApimLatencies, budget = { burst: defaultWriteBudget.capacity, perSecond: defaultWriteBudget.refillPerSecond }) =>
  Math.max(0, WRITES_PER_API * apis - budget.burst) / budget.perSecond + publishChainMs(latencies) / 1000

export const idealFormula = (apis: number, latencies: ApimLatencies): string => {
  const budget = defaultWriteBudget
  return `ideal = (writes/API × APIs − burst) / refill + last API's chain = (${WRITES_PER_API} × ${apis} − ${budget.capacity}) / ${budget.refillPerSecond}/s + ` +
    `(GET api ${latencies.getMs} + import ${latencies.importMs} + GET policy ${latencies.getMs} + PUT policy ${latencies.policyPutMs}) ms ` +
    `= ${round(idealSeconds(apis, latencies), 1)} s`
}

/**
 * Throughput at the budget: `apis` ExposedAPIs created at once, APIM answering with realistic latencies, ARM
 * throttling on at its default budget; the time until every one is Ready, against the least time the write budget
 * allows.
 */
export const runThroughput = async (options: ThroughputOptions) => {
  const world = await startBenchWorld({ throttle: true, latencies: latencyTable(options.latencies) })
  const tracker = trackReady(world.kube)
  const operator = startOperatorProcess(
    world.operatorEnvironment({ RESYNC_INTERVAL: "1 hour", ...options.settings }),
    join(options.logDir, "throughput-operator.log")
  )
  try {
    await startWatchingOperator(world, operator)
    // the run starts with ARM's buckets full, as for a subscription nobody else uses
    world.azure.throttle.fill()
    world.azure.logs.arm.clear()
    ensureNamespace(world.kube, "bench")
    const shapes = Array.from({ length: options.apis }, (_, i) => apiShape("bench", i))
    const cpuBefore = operator.cpuSeconds()
    const started = performance.now()
    const sampler = startSampler(world, operator)
    for (const shape of shapes) createExposedApi(world.kube, world.documentsUrl, shape)
    await tracker.waitFor(shapes.map((s) => `${s.namespace}/${s.name}`), Math.max(120, idealSeconds(options.apis, options.latencies) * 3) * 1000)
    const seconds = secondsSince(started)
    const profile = sampler.stop()
    const cpu = operator.cpuSeconds() - cpuBefore
    const entries = world.azure.logs.arm.entries()
    const arm = countArm(entries)
    const ideal = idealSeconds(options.apis, options.latencies)
    const readyTimes = shapes.map((s) => ((tracker.readyAt(`${s.namespace}/${s.name}`) ?? started) - started) / 1000).sort((a, b) => a - b)
    return {
      apis: options.apis,
      seconds: round(seconds, 1),
      idealSeconds: round(ideal, 1),
      ratio: round(seconds / ideal),
      throttled429: arm.throttled429,
      armCallsPerApi: round(arm.calls / options.apis, 2),
      armWritesPerApi: round(arm.writes / options.apis, 2),
      armReadsPerApi: round(arm.reads / options.apis, 2),
      // when the first and the median API became Ready: how early APIs are served while the rest wait for budget
      firstReadySeconds: round(readyTimes[0] ?? 0, 1),
      medianReadySeconds: round(readyTimes[Math.floor(readyTimes.length / 2)] ?? 0, 1),
      operatorCpuSeconds: round(cpu, 1),
      unexpectedExits: operator.unexpectedExits().length,
      armByOperation: arm.byOperation,
      profile,
      formula: idealFormula(options.apis, options.latencies),
      settings: options.settings
    }
  } finally {
    tracker.close()
    await operator.stop()
    await world.close()
  }
}
