import { join } from "node:path"
import { defaultWriteBudget } from "../src/emulators/azure/Throttle.ts"
import { type ApimLatencies, latencyTable, publishChainMs } from "./ApimLatencies.ts"
import { countArm } from "./ArmCounts.ts"
import { startBenchWorld } from "./BenchWorld.ts"
import { startOperatorProcess } from "./OperatorProcess.ts"
import { startWatchingOperator } from "./OperatorStart.ts"
import { startSampler } from "./Sampler.ts"
import { round, secondsSince } from "./Wait.ts"
import { apiShape, APIS_PER_COMPONENT, createExposedApi, ensureNamespace, trackReady } from "./Workload.ts"

export interface ThroughputOptions {
  readonly apis: number
  readonly latencies: ApimLatencies
  /** Operator settings for the run, as a user would set them (MAX_CONCURRENT_RECONCILES, …). */
  readonly settings: Readonly<Record<string, string>>
  readonly logDir: string
  /** ARM's write budget, in the emulator and in the operator's settings alike (default: ARM's, 200 + 10/s). */
  readonly writeBudget?: WriteBudget
}

export interface WriteBudget {
  readonly burst: number
  readonly perSecond: number
}

const armWriteBudget: WriteBudget = { burst: defaultWriteBudget.capacity, perSecond: defaultWriteBudget.refillPerSecond }

/**
 * The least time ARM's write budget allows for `writes` writes: the first `burst` go at once, the rest at the refill
 * rate, and the last API still needs its own chain of calls once its writes are admitted. `writes` is what the run
 * needed (the writes ARM accepted: an import, a policy, two tag links per API and a tag per new Component), so the
 * ratio measures how closely the operator keeps to the budget; how many writes an API costs is armWritesPerApi.
 */
export const idealSeconds = (writes: number, latencies: ApimLatencies, budget: WriteBudget = armWriteBudget) =>
  Math.max(0, writes - budget.burst) / budget.perSecond + publishChainMs(latencies) / 1000

export const idealFormula = (writes: number, apis: number, latencies: ApimLatencies, budget: WriteBudget = armWriteBudget): string =>
  `ideal = (writes needed − burst) / refill + last API's chain = (${writes} − ${budget.burst}) / ${budget.perSecond}/s + ` +
  `${publishChainMs(latencies)} ms = ${round(idealSeconds(writes, latencies, budget), 1)} s, where writes needed = ${round(writes / apis, 2)} per API × ${apis} ` +
  `and the chain = GET api ${latencies.getMs} + import ${latencies.importMs} + GET policy ${latencies.getMs} + PUT policy ${latencies.policyPutMs} + ` +
  `GET tags ${latencies.getMs} + 2 × PUT tag link ${latencies.writeMs} ms`

/** A first guess of the writes a run needs, to size its timeout: import, policy, two tag links, a tag per Component. */
const expectedWrites = (apis: number): number => apis * (4 + 1 / APIS_PER_COMPONENT)

/**
 * Throughput at the budget: `apis` ExposedAPIs created at once, APIM answering with realistic latencies, ARM
 * throttling on at its default budget; the time until every one is Ready, against the least time the write budget
 * allows.
 */
export const runThroughput = async (options: ThroughputOptions) => {
  const budget = options.writeBudget ?? armWriteBudget
  const world = await startBenchWorld({ throttle: true, latencies: latencyTable(options.latencies) })
  world.azure.throttle.configure({ writes: { capacity: budget.burst, refillPerSecond: budget.perSecond } })
  const tracker = trackReady(world.kube)
  const operator = startOperatorProcess(
    world.operatorEnvironment({
      RESYNC_INTERVAL: "1 hour",
      ARM_WRITE_BURST: String(budget.burst),
      ARM_WRITE_PER_SECOND: String(budget.perSecond),
      ...options.settings
    }),
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
    await tracker.waitFor(shapes.map((s) => `${s.namespace}/${s.name}`), Math.max(120, idealSeconds(expectedWrites(options.apis), options.latencies, budget) * 3) * 1000)
    const seconds = secondsSince(started)
    const profile = sampler.stop()
    const cpu = operator.cpuSeconds() - cpuBefore
    const entries = world.azure.logs.arm.entries()
    const arm = countArm(entries)
    const writesNeeded = entries.filter((e) => e.method !== "GET" && e.method !== "HEAD" && typeof e.status === "number" && e.status < 400).length
    const ideal = idealSeconds(writesNeeded, options.latencies, budget)
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
      formula: idealFormula(writesNeeded, options.apis, options.latencies, budget),
      settings: options.settings
    }
  } finally {
    tracker.close()
    await operator.stop()
    await world.close()
  }
}
