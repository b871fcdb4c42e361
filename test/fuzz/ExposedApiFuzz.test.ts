import fc from "fast-check"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type BenchWorld, startBenchWorld } from "../../bench/BenchWorld.ts"
import { type OperatorProcess, startOperatorProcess } from "../../bench/OperatorProcess.ts"
import { startWatchingOperator } from "../../bench/OperatorStart.ts"
import { createAndWait, unthrottledBudget } from "../../bench/Publish.ts"
import { sleep } from "../../bench/Wait.ts"
import {
  apiShape,
  apiUrlOf,
  conditionOf,
  createImplementation,
  ensureNamespace,
  generationOf,
  getExposedApi,
  trackReady
} from "../../bench/Workload.ts"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { type FuzzCase, fuzzCase, specFor } from "./FuzzArbitraries.ts"

/**
 * Generated ExposedAPIs, hostile strings and wrong types included, applied through the Kubernetes emulator (what the
 * CRD's schema lets through) to the real operator (a child `run`): it never crashes or restarts; each one gets a
 * verdict — Ready=True and published with a policy APIM accepted, or Ready=False with a reason and a message; a
 * valid one is always published; APIM never refuses what the operator sends (it must catch bad input itself);
 * nothing published for another resource changes, and a deleted one leaves nothing behind.
 *
 * FUZZ_RUNS and FUZZ_SEED widen or vary the run (the suite's default is fixed and bounded).
 */
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 60)
const SEED = Number(process.env["FUZZ_SEED"] ?? 70_112_026)
const NAMESPACE = "fuzz"
const VERDICT_TIMEOUT_MS = 20_000

/** Conditions that are still on their way somewhere: not a verdict yet. */
const TRANSIENT = new Set(["Reconciling", "AddressPending", "ApimUnavailable", "ApimConflict", "KubeUnavailable", "KubeConflict"])
/** APIM refusing what the operator sent: the operator should have reported the spec's fault itself. */
const APIM_REFUSALS = new Set(["ApimRejected", "ApimInvalid"])

let world: BenchWorld
let operator: OperatorProcess
let logDir: string
const sentinels = [apiShape("sentinels", 1, "sentinel"), apiShape("sentinels", 2, "sentinel"), apiShape("sentinels", 3, "sentinel")]
let sentinelState = ""

/** What APIM holds for the sentinels: any change to their APIs or policies shows here. */
const sentinelSnapshot = (): string =>
  JSON.stringify(sentinels.map((s) => {
    const api = world.azure.apim.getApi(apimApiId(s.namespace, s.name))
    return [api?.etag, api?.properties["path"], api?.properties["serviceUrl"], api?.policy?.etag, api?.policy?.value]
  }))

interface Verdict {
  readonly object: JsonObject
  readonly ready: { readonly status: string; readonly reason: string; readonly message: string }
}

const verdictOf = async (name: string): Promise<Verdict | string> => {
  const deadline = performance.now() + VERDICT_TIMEOUT_MS
  let last = "never seen"
  while (performance.now() < deadline) {
    const object = getExposedApi(world.kube, NAMESPACE, name)
    const ready = conditionOf(object, "Ready")
    if (object !== undefined && ready !== undefined && ready.observedGeneration === generationOf(object)) {
      last = `${ready.status} ${ready.reason}: ${ready.message}`
      if (ready.status === "True" || (ready.status === "False" && !TRANSIENT.has(ready.reason))) return { object, ready }
    } else if (object !== undefined) {
      last = `no Ready condition for generation ${generationOf(object)} yet`
    }
    await sleep(25)
  }
  return `no verdict in ${VERDICT_TIMEOUT_MS / 1000} s (last: ${last})`
}

const deleteAndWait = async (name: string): Promise<string | undefined> => {
  world.kube.objects.delete("oda.tmforum.org/v1", "ExposedAPI", NAMESPACE, name)
  const deadline = performance.now() + VERDICT_TIMEOUT_MS
  while (getExposedApi(world.kube, NAMESPACE, name) !== undefined) {
    if (performance.now() > deadline) return `${name}: still there ${VERDICT_TIMEOUT_MS / 1000} s after its deletion`
    await sleep(25)
  }
  return world.azure.apim.getApi(apimApiId(NAMESPACE, name)) === undefined ? undefined : `${name}: its APIM API outlived it`
}

type Outcome = "schemaRefused" | "published" | "refused"

/** One generated ExposedAPI through the operator: how it went, and the broken promises (none when all hold). */
const exercise = async (fuzz: FuzzCase, name: string): Promise<{ readonly outcome: Outcome; readonly problems: ReadonlyArray<string> }> => {
  const spec = specFor(fuzz, name)
  createImplementation(world.kube, { namespace: NAMESPACE, name })
  try {
    world.kube.objects.create({ apiVersion: "oda.tmforum.org/v1", kind: "ExposedAPI", metadata: { name, namespace: NAMESPACE }, spec })
  } catch {
    return { outcome: "schemaRefused", problems: [] } // the CRD's schema refused it: the operator never sees it
  }
  const problems: Array<string> = []
  const verdict = await verdictOf(name)
  if (typeof verdict === "string") problems.push(verdict)
  else if (verdict.ready.status === "True") {
    const api = world.azure.apim.getApi(apimApiId(NAMESPACE, name))
    const path = typeof spec["path"] === "string" ? spec["path"].replace(/^\/+/, "") : ""
    if (api === undefined) problems.push("Ready, but not in APIM")
    else {
      if (api.properties["path"] !== path) problems.push(`Ready, but published at ${String(api.properties["path"])} instead of ${path}`)
      if ((api.policy?.value ?? "") === "") problems.push("Ready, but published without a policy")
      const url = apiUrlOf(verdict.object)
      if (url !== `${world.azure.apim.gatewayUrl().replace(/\/+$/, "")}/${path}`) problems.push(`Ready, but status.apiStatus.url is ${String(url)}`)
    }
  } else {
    if (verdict.ready.reason === "" || verdict.ready.message === "") problems.push(`Ready=False without a reason or message: ${JSON.stringify(verdict.ready)}`)
    if (APIM_REFUSALS.has(verdict.ready.reason)) problems.push(`APIM refused what the operator sent: ${verdict.ready.reason}: ${verdict.ready.message}`)
    if (fuzz.mutated.length === 0) problems.push(`a valid spec was not published: ${verdict.ready.reason}: ${verdict.ready.message}`)
  }
  if (sentinelSnapshot() !== sentinelState) problems.push("what is published for the sentinel ExposedAPIs changed")
  const leftover = await deleteAndWait(name)
  if (leftover !== undefined) problems.push(leftover)
  const unexpected = world.azure.apim.listApis().filter((a) => !sentinels.some((s) => apimApiId(s.namespace, s.name) === a.name))
  if (unexpected.length > 0) problems.push(`APIM holds ${unexpected.map((a) => a.name).join(", ")} besides the sentinels`)
  if (operator.unexpectedExits().length > 0) problems.push(`the operator exited: ${operator.unexpectedExits().join("; ")}`)
  return { outcome: typeof verdict !== "string" && verdict.ready.status === "True" ? "published" : "refused", problems }
}

describe("fuzzed ExposedAPIs", () => {
  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), "oda-fuzz-"))
    world = await startBenchWorld({ throttle: false, ingressDelayMs: 0 })
    operator = startOperatorProcess(world.operatorEnvironment({ ...unthrottledBudget, RESYNC_INTERVAL: "1 hour" }), join(logDir, "operator.log"))
    await startWatchingOperator(world, operator)
    ensureNamespace(world.kube, NAMESPACE)
    const tracker = trackReady(world.kube)
    await createAndWait(world, tracker, sentinels, 60_000)
    tracker.close()
    sentinelState = sentinelSnapshot()
  }, 90_000)

  afterAll(async () => {
    await operator.stop()
    await world.close()
    rmSync(logDir, { recursive: true, force: true })
  }, 30_000)

  it("every one gets a verdict, valid ones are published, APIM refuses nothing, others stay untouched, nothing crashes", async () => {
    let counter = 0
    const outcomes: Record<Outcome, number> = { schemaRefused: 0, published: 0, refused: 0 }
    await fc.assert(
      fc.asyncProperty(fuzzCase(world.documentsUrl), async (fuzz) => {
        counter += 1
        const name = `fz-${counter}`
        const { outcome, problems } = await exercise(fuzz, name)
        outcomes[outcome] += 1
        if (problems.length > 0) throw new Error(`${name}:\n  ${problems.join("\n  ")}`)
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env["FUZZ_SHRINK"] === undefined }
    )
    // the generator reaches the operator with valid and invalid specs alike
    expect(outcomes.published).toBeGreaterThan(RUNS / 10)
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10)
    const log = readFileSync(join(logDir, "operator.log"), "utf8")
    // defects inside a reconcile are caught and retried by the controller; none may happen
    expect(log.match(/.*reconcile died.*/g) ?? []).toEqual([])
    expect(operator.starts()).toBe(1)
    expect(operator.unexpectedExits()).toEqual([])
  }, 600_000)
})
