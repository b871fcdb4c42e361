import { describe, expect, it } from "vitest"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { runChaos } from "./ChaosRun.ts"

describe("chaos, shortened", () => {
  it("converges exactly after churn under APIM faults, cut and expired watches and SIGKILLed operators", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "oda-chaos-test-"))
    try {
      const report = await runChaos({
        apis: 24,
        churnSeconds: 10,
        kills: 2,
        seed: 20_251_126,
        convergenceTimeoutSeconds: 90,
        logDir,
        // a test need not wait out production-sized SDK retry delays, nor a 15-second Lease after each kill
        settings: {
          ARM_SDK_RETRY_DELAY: "50 millis",
          LEADER_ELECTION_LEASE_DURATION: "3 seconds",
          LEADER_ELECTION_RENEW_DEADLINE: "2 seconds",
          LEADER_ELECTION_RETRY_PERIOD: "500 millis"
        }
      })
      expect(report.verdict.problems).toEqual([])
      expect(report.converged).toBe(true)
      expect(report.unexpectedExits).toEqual([])
      expect(report.kills).toBe(2)
      expect(report.operatorStarts).toBe(3)
      expect(report.operations.created).toBe(24)
      expect(report.operations.deleted).toBeGreaterThan(0)
      expect(report.operations.updated).toBeGreaterThan(0)
      expect(report.apim.faults).toBeGreaterThan(0)
      expect(report.kube.watchCuts + report.kube.expiries).toBeGreaterThan(0)
      expect(report.verdict.apimApis).toBe(report.verdict.surviving)
    } finally {
      rmSync(logDir, { recursive: true, force: true })
    }
  }, 180_000)
})
