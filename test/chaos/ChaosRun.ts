import { join } from "node:path"
import { type BenchWorld, startBenchWorld } from "../../bench/BenchWorld.ts"
import { startOperatorProcess } from "../../bench/OperatorProcess.ts"
import { startWatchingOperator } from "../../bench/OperatorStart.ts"
import { round, secondsSince, sleep } from "../../bench/Wait.ts"
import { type ApiShape, APIS_PER_COMPONENT, createExposedApi, deleteExposedApi, ensureNamespace, getExposedApi, updateExposedApi } from "../../bench/Workload.ts"
import { seededRandom } from "../../src/emulators/azure/Faults.ts"
import { checkConvergence, type Verdict } from "./ChaosCheck.ts"

export interface ChaosOptions {
  /** ExposedAPIs created during the churn (deleted names may come back on top). */
  readonly apis: number
  readonly churnSeconds: number
  /** SIGKILLs of the operator during the churn, at seeded random moments. */
  readonly kills: number
  readonly seed: number
  readonly convergenceTimeoutSeconds: number
  readonly logDir: string
  /** Extra operator settings (tests shorten the SDK's retry delay). */
  readonly settings?: Readonly<Record<string, string>>
  readonly onProgress?: (line: string) => void
}

export interface ChaosReport {
  readonly seed: number
  readonly operations: { readonly created: number; readonly updated: number; readonly deleted: number; readonly recreated: number }
  readonly kills: number
  readonly operatorStarts: number
  /** Exits nobody asked for (crashes). */
  readonly unexpectedExits: ReadonlyArray<string>
  readonly kube: { readonly watchCuts: number; readonly watchesCut: number; readonly expiries: number; readonly watchesExpired: number }
  readonly apim: { readonly requests: number; readonly faults: number; readonly status5xx: number; readonly status429: number; readonly resets: number }
  readonly converged: boolean
  readonly convergenceSeconds: number
  readonly verdict: Verdict
}

const NAMESPACE = "chaos"

/** ARM misbehaving as the issue asks: random latency on every call, 10% 5xx, 5% 429, 2% connection resets. */
const injectApimFaults = (world: BenchWorld) => {
  const arm = world.azure.faults.arm
  arm.inject({ action: { kind: "delay", ms: { min: 0, max: 400 } } })
  return {
    error500: arm.inject({ action: { kind: "status", status: 500 }, probability: 0.05 }),
    error503: arm.inject({ action: { kind: "status", status: 503, retryAfterSeconds: 1 }, probability: 0.05 / 0.95 }),
    throttled: arm.inject({ action: { kind: "status", status: 429, retryAfterSeconds: 1 }, probability: 0.05 / 0.9 }),
    reset: arm.inject({ action: { kind: "reset" }, probability: 0.02 / 0.85 })
  }
}

/**
 * The chaos run: while ExposedAPIs are created, updated and deleted at random (seeded), APIM fails and slows down,
 * the Kubernetes emulator cuts watches and expires them (410 after compacting its history), and the operator — the
 * real one, a child `run` — is SIGKILLed and restarted. Then everything calms down and the run waits until the world
 * is exactly what was asked (checkConvergence), or the timeout.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosReport> => {
  const random = seededRandom(options.seed)
  const pick = <A>(items: ReadonlyArray<A>): A | undefined => items[Math.floor(random() * items.length)]
  const progress = options.onProgress ?? (() => undefined)
  const world = await startBenchWorld({ throttle: true, faultSeed: options.seed })
  const operator = startOperatorProcess(
    // one replica with leader election on: a restarted operator must take the Lease its killed predecessor held
    world.operatorEnvironment({ RESYNC_INTERVAL: "1 minute", LEADER_ELECTION: "true", LEADER_ELECTION_NAMESPACE: "default", ...options.settings }),
    join(options.logDir, `chaos-operator-${options.seed}.log`)
  )
  const expected = new Map<string, { shape: ApiShape; live: boolean }>()
  const operations = { created: 0, updated: 0, deleted: 0, recreated: 0 }
  const kube = { watchCuts: 0, watchesCut: 0, expiries: 0, watchesExpired: 0 }
  let kills = 0
  try {
    await startWatchingOperator(world, operator)
    ensureNamespace(world.kube, NAMESPACE)
    const faults = injectApimFaults(world)

    const shapeFor = (index: number, version: number): ApiShape => ({
      namespace: NAMESPACE,
      name: `chaos-${index}`,
      path: `/chaos-${index}/tmf-api/items/v${version}`,
      rateLimit: 10 + Math.floor(random() * 990),
      origin: pick(["https://shop.example.com", "https://admin.example.com", "https://partner.example.org"]) ?? "https://shop.example.com",
      component: `chaos-component-${Math.floor(index / APIS_PER_COMPONENT)}`
    })
    const live = () => [...expected.values()].filter((e) => e.live)
    // a deleted name comes back only once Kubernetes has let the old object go
    const gone = () => [...expected.values()].filter((e) => !e.live && getExposedApi(world.kube, NAMESPACE, e.shape.name) === undefined)

    const indexOf = (shape: ApiShape): number => Number(shape.name.slice("chaos-".length))
    const publish = (shape: ApiShape, write: typeof createExposedApi, counted: "created" | "updated" | "recreated"): void => {
      write(world.kube, world.documentsUrl, shape)
      expected.set(shape.name, { shape, live: true })
      operations[counted] += 1
    }

    const step = (): void => {
      const roll = random()
      if (operations.created < options.apis && (roll < 0.45 || live().length === 0)) {
        publish(shapeFor(operations.created, 4), createExposedApi, "created")
        return
      }
      const target = pick(live())
      if (roll < 0.75 && target !== undefined) {
        // a new rate limit and origin; now and then a new version in the path
        const version = Number(/v(\d+)$/.exec(target.shape.path)?.[1] ?? 4) + (random() < 0.3 ? 1 : 0)
        publish(shapeFor(indexOf(target.shape), version), updateExposedApi, "updated")
        return
      }
      const comeback = pick(gone())
      if (roll < 0.82 && comeback !== undefined) {
        publish(shapeFor(indexOf(comeback.shape), 4), createExposedApi, "recreated")
        return
      }
      if (target !== undefined) {
        deleteExposedApi(world.kube, target.shape)
        expected.set(target.shape.name, { shape: target.shape, live: false })
        operations.deleted += 1
      }
    }

    // the churn is a number of steps (the kills and watch faults fall between them, drawn up front from the seed), so a
    // slow machine stretches it rather than cutting it short
    const steps = Math.round(options.apis * 2.5)
    const stepMs = (options.churnSeconds * 1000) / steps
    const killSteps = Array.from({ length: options.kills }, () => Math.floor(steps * (0.05 + random() * 0.85))).sort((a, b) => a - b)
    const watchFaultEvery = () => Math.max(1, Math.round((2000 + random() * 3000) / stepMs))
    let nextWatchFault = watchFaultEvery()
    const started = performance.now()
    for (let index = 0; index < steps; index++) {
      step()
      while (killSteps.length > 0 && (killSteps[0] ?? Infinity) <= index) {
        killSteps.shift()
        kills += 1
        progress(`${round(secondsSince(started), 1)} s: SIGKILL the operator (${kills})`)
        await operator.kill()
        await sleep(random() * 1000)
        await operator.restart()
      }
      if (index >= nextWatchFault) {
        if (random() < 0.5) {
          kube.watchCuts += 1
          kube.watchesCut += world.kube.faults.closeWatches(random() < 0.5 ? "reset" : "clean")
        } else {
          kube.expiries += 1
          world.kube.faults.compactHistory()
          kube.watchesExpired += world.kube.faults.expireWatches()
        }
        nextWatchFault = index + watchFaultEvery()
      }
      await sleep(stepMs * (0.5 + random()))
    }
    // the APIs the churn's dice did not get to
    while (operations.created < options.apis) publish(shapeFor(operations.created, 4), createExposedApi, "created")
    progress(`churn over after ${round(secondsSince(started), 1)} s: ${JSON.stringify(operations)}; calming down`)

    const faultCounts = {
      status5xx: faults.error500.fired() + faults.error503.fired(),
      status429: faults.throttled.fired(),
      resets: faults.reset.fired()
    }
    world.azure.faults.arm.clear()
    const requests = world.azure.logs.arm.entries().length
    const calm = performance.now()
    const deadline = calm + options.convergenceTimeoutSeconds * 1000
    let verdict = checkConvergence(world, expected)
    while (verdict.problems.length > 0 && performance.now() < deadline) {
      await sleep(500)
      verdict = checkConvergence(world, expected)
    }
    const converged = verdict.problems.length === 0
    progress(converged ? `converged ${round(secondsSince(calm), 1)} s after the churn` : `not converged: ${verdict.problems.length} problems`)
    return {
      seed: options.seed,
      operations,
      kills,
      operatorStarts: operator.starts(),
      unexpectedExits: operator.unexpectedExits(),
      kube,
      apim: { requests, faults: faultCounts.status5xx + faultCounts.status429 + faultCounts.resets, ...faultCounts },
      converged,
      convergenceSeconds: round(secondsSince(calm), 1),
      verdict
    }
  } finally {
    await operator.stop()
    await world.close()
  }
}
