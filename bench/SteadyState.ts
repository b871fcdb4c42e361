import { join } from "node:path"
import { defaultReadBudget } from "../src/emulators/azure/Throttle.ts"
import { countArm, countKubeWrites } from "./ArmCounts.ts"
import { startBenchWorld } from "./BenchWorld.ts"
import { startOperatorProcess } from "./OperatorProcess.ts"
import { startWatchingOperator } from "./OperatorStart.ts"
import { createAndWait, everyApiChecked, unthrottledBudget, waitForQuiet } from "./Publish.ts"
import { round, secondsSince, waitUntil } from "./Wait.ts"
import { apiShape, trackReady } from "./Workload.ts"

export interface SteadyStateOptions {
  readonly apis: number
  readonly settings: Readonly<Record<string, string>>
  readonly logDir: string
  /** RESYNC_INTERVAL of the restarted operator (default: twice the least time a restart needs, at least 20 s). */
  readonly resyncSeconds?: number
}

/** The target for the reads per API of a restart or a resync, which also sizes the run's waits. */
export const READS_PER_API = 2

/** The least time ARM's read budget allows for `reads` reads. */
export const idealReadSeconds = (reads: number): number => Math.max(0, reads - defaultReadBudget.capacity) / defaultReadBudget.refillPerSecond

/**
 * Restart and steady state, on `apis` published ExposedAPIs: a first operator publishes them (throttling off, to get
 * there quickly) and stops; a second one starts with ARM throttling on at its default budget. Restart: how long it
 * takes to confirm every API (against the least time the read budget allows for the reads it made; how many it made
 * per API is armReadsPerApi) and what it writes (nothing, ideally). Steady state: one full periodic resync of the unchanged APIs: ARM writes and reads per API,
 * Kubernetes writes, and the operator's CPU time.
 */
export const runSteadyState = async (options: SteadyStateOptions) => {
  const world = await startBenchWorld({ throttle: false })
  const tracker = trackReady(world.kube)
  const shapes = Array.from({ length: options.apis }, (_, i) => apiShape("steady", i))
  const confirmGuess = idealReadSeconds(READS_PER_API * options.apis)
  // the first resync comes after the restart has confirmed everything, with room to spare
  const resyncSeconds = options.resyncSeconds ?? Math.max(20, Math.ceil(confirmGuess * 1.6))
  const first = startOperatorProcess(world.operatorEnvironment({ ...unthrottledBudget, RESYNC_INTERVAL: "1 hour" }), join(options.logDir, "steady-publisher.log"))
  try {
    await startWatchingOperator(world, first)
    await createAndWait(world, tracker, shapes, 600_000)
    await waitForQuiet(world, 2000, 120_000)
  } finally {
    await first.stop()
  }
  tracker.close()

  world.azure.throttle.setEnabled(true)
  world.azure.throttle.fill()
  world.azure.logs.arm.clear()
  world.kube.log.clear()
  const restarted = performance.now()
  const operator = startOperatorProcess(
    world.operatorEnvironment({ RESYNC_INTERVAL: `${resyncSeconds} seconds`, ...options.settings }),
    join(options.logDir, "steady-operator.log")
  )
  try {
    await startWatchingOperator(world, operator)
    await waitUntil("the restarted operator to check every API", () => everyApiChecked(world, shapes), (confirmGuess * 3 + 60) * 1000, 200)
    const confirmSeconds = secondsSince(restarted)
    await waitForQuiet(world, 2000, 120_000)
    const restartArm = countArm(world.azure.logs.arm.entries())
    const restartKube = countKubeWrites(world.kube.log.entries())
    const confirmIdeal = idealReadSeconds(restartArm.reads)

    // the resync window: from quiet to quiet, with every API read again in between
    world.azure.logs.arm.clear()
    world.kube.log.clear()
    const cpuBefore = operator.cpuSeconds()
    const resyncStarted = performance.now()
    await waitUntil("a periodic resync to check every API", () => everyApiChecked(world, shapes), (resyncSeconds + confirmGuess * 3 + 60) * 1000, 200)
    await waitForQuiet(world, 2000, 120_000)
    const cpu = operator.cpuSeconds() - cpuBefore
    const arm = countArm(world.azure.logs.arm.entries())
    const kube = countKubeWrites(world.kube.log.entries())
    const kubeRequests = world.kube.log.entries().length
    return {
      steady: {
        apis: options.apis,
        resyncIntervalSeconds: resyncSeconds,
        armWrites: arm.writes,
        armReadsPerApi: round(arm.reads / options.apis, 2),
        kubeWrites: kube.total,
        kubeRequestsPerApi: round(kubeRequests / options.apis, 2),
        throttled429: arm.throttled429,
        cpuSecondsPerResync: round(cpu, 2),
        cpuMsPerApi: round((cpu * 1000) / options.apis, 2),
        windowSeconds: round(secondsSince(resyncStarted), 1),
        armByOperation: arm.byOperation,
        kubeWritesByResource: kube.byResource
      },
      restart: {
        apis: options.apis,
        confirmSeconds: round(confirmSeconds, 1),
        idealSeconds: round(confirmIdeal, 1),
        ratio: confirmIdeal > 0 ? round(confirmSeconds / confirmIdeal) : null,
        writes: restartArm.writes + restartKube.total,
        armWrites: restartArm.writes,
        kubeWrites: restartKube.total,
        armReadsPerApi: round(restartArm.reads / options.apis, 2),
        throttled429: restartArm.throttled429,
        formula: `ideal = (reads needed − read burst) / read refill = (${restartArm.reads} − ${defaultReadBudget.capacity}) / ` +
          `${defaultReadBudget.refillPerSecond}/s = ${round(confirmIdeal, 1)} s, where reads needed = ${round(restartArm.reads / options.apis, 2)} per API × ` +
          `${options.apis} (the target is ${READS_PER_API}); measured from the restart, start-up included`,
        kubeWritesByResource: restartKube.byResource
      },
      unexpectedExits: first.unexpectedExits().length + operator.unexpectedExits().length
    }
  } finally {
    await operator.stop()
    await world.close()
  }
}
