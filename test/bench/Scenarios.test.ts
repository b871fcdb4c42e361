import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runLatency } from "../../bench/Latency.ts"
import { bundleApp } from "../../scripts/Bundle.ts"
import { runSteadyState } from "../../bench/SteadyState.ts"
import { runThroughput } from "../../bench/Throughput.ts"

/**
 * The benchmark scenarios, small: correctness only (what was written and read, and that everything got Ready), no
 * timing. The figures themselves come from `npm run bench`.
 */
const logDir = mkdtempSync(join(tmpdir(), "oda-bench-test-"))
const appDir = mkdtempSync(join(tmpdir(), "oda-bench-app-"))
// the operator as the image ships it: `run` from the bundle, against the emulators
beforeAll(async () => {
  process.env["ODA_BENCH_OPERATOR_MAIN"] = await bundleApp(join(import.meta.dirname, "../.."), appDir)
}, 120_000)
afterAll(() => {
  delete process.env["ODA_BENCH_OPERATOR_MAIN"]
  for (const dir of [logDir, appDir]) rmSync(dir, { recursive: true, force: true })
})

describe("benchmark scenarios, small", () => {
  it("throughput: a burst beyond the write budget is paced, not throttled: every API Ready, each imported and given its policy once, no 429", async () => {
    const figures = await runThroughput({
      apis: 12,
      // some 50 writes (import, policy, tags) against a bucket of 10 refilled at 20/s: most of them must wait
      writeBudget: { burst: 10, perSecond: 20 },
      latencies: { importMs: 50, policyPutMs: 20, getMs: 5, writeMs: 20 },
      settings: { ARM_SDK_RETRY_DELAY: "50 millis" },
      logDir
    })
    expect(figures.throttled429).toBe(0)
    expect(figures.armByOperation["PUT apis 201"]).toBe(12)
    expect(figures.armByOperation["PUT apis/policies 201"]).toBe(12)
    expect(figures.unexpectedExits).toBe(0)
  }, 120_000)

  it("restart and steady state: a restart and a resync of unchanged APIs write nothing; a resync lists the APIs and reads each policy once", async () => {
    const { restart, steady, unexpectedExits } = await runSteadyState({ apis: 10, resyncSeconds: 4, settings: {}, logDir })
    expect(restart.writes).toBe(0)
    expect(restart.throttled429).toBe(0)
    expect(steady.armWrites).toBe(0)
    expect(steady.kubeWrites).toBe(0)
    // one page of the APIs and one of their tags, for all ten
    expect(steady.armByOperation["GET apis 200"]).toBe(1)
    expect(steady.armByOperation["GET apisByTags 200"]).toBe(1)
    expect(steady.armByOperation["GET apis/policies 200"]).toBe(10)
    expect(steady.throttled429).toBe(0)
    expect(unexpectedExits).toBe(0)
  }, 120_000)

  it("latency: each ExposedAPI created one at a time gets Ready", async () => {
    const figures = await runLatency({ runs: 3, settings: {}, logDir })
    expect(figures.runs).toBe(3)
    expect(figures.p50Ms).toBeGreaterThan(0)
    expect(figures.unexpectedExits).toBe(0)
  }, 60_000)
})
