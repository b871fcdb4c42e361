import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createSample, eventually, makeWorld, sampleSpec, untilReady } from "../e2e/World.ts"
import { holder, startInstance } from "./OperatorInstance.ts"

interface Answer {
  readonly status: number
  readonly body: string
  readonly contentType: string
}

const get = (url: string): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") ?? "" }
  })

interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** The Prometheus text format, as a scraper reads it: TYPE lines and samples with their labels. */
const parseExposition = (text: string) => {
  const types = new Map<string, string>()
  const samples: Array<Sample> = []
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type?.[1] !== undefined && type[2] !== undefined) types.set(type[1], type[2])
    if (line === "" || line.startsWith("#")) continue
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    expect(sample, `not a sample line: ${line}`).not.toBeNull()
    if (sample?.[1] === undefined || sample[3] === undefined) continue
    const labels: Record<string, string> = {}
    for (const [, key, value] of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      if (key !== undefined && value !== undefined) labels[key] = value
    }
    samples.push({ name: sample[1], labels, value: Number(sample[3]) })
  }
  const find = (name: string, labels: Readonly<Record<string, string>> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  return { types, find }
}

describe("probes and metrics", () => {
  it.live("/readyz waits for the informers' first listing, /healthz answers meanwhile, /metrics serves the operator's metrics", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        // the ExposedAPI listing takes a while to come back
        world.kube.faults.stallNext(1, 1500, { method: "GET", path: "/exposedapis", watch: false })
        const instance = yield* startInstance(world, "replica-a", { probes: true })
        const url = instance.probes ?? ""

        const notReady = yield* get(`${url}/readyz`)
        expect(notReady.status).toBe(503)
        expect(notReady.body).toMatch(/start-up checks are running|the informers have not listed yet/)
        expect((yield* get(`${url}/healthz`)).status).toBe(200)
        yield* eventually(get(`${url}/readyz`), (a) => a.body.includes("the informers have not listed yet"))
        yield* eventually(get(`${url}/readyz`), (a) => a.status === 200)
        expect((yield* get(`${url}/readyz`)).body).toBe("ok\n")
        yield* eventually(holder(world), (h) => h === instance.identity)

        world.azure.faults.arm.inject({ action: { kind: "status", status: 429, retryAfterMs: 10 }, method: "GET", times: 1, path: /\/apis\// })
        yield* createSample(world, "default", "measured", sampleSpec(world, "measured", "/measured"))
        yield* untilReady(world, "default", "measured")

        const metrics = yield* get(`${url}/metrics`)
        expect(metrics.status).toBe(200)
        expect(metrics.contentType).toContain("text/plain")
        expect(metrics.body).not.toContain("otel_scope_name")
        const { find, types } = parseExposition(metrics.body)
        expect(types.get("operator_reconcile_total")).toBe("counter")
        expect(find("operator_reconcile_total", { controller: "exposedapi", result: "success" })[0]?.value).toBeGreaterThan(0)
        expect(types.get("operator_reconcile_duration_seconds")).toBe("histogram")
        const buckets = find("operator_reconcile_duration_seconds_bucket", { controller: "exposedapi" })
        expect(buckets.map((b) => b.labels["le"])).toContain("+Inf")
        expect(find("operator_reconcile_duration_seconds_count", { controller: "exposedapi" })[0]?.value).toBeGreaterThan(0)
        expect(types.get("operator_workqueue_depth")).toBe("gauge")
        expect(find("operator_workqueue_depth", { controller: "exposedapi" })).toHaveLength(1)
        expect(find("operator_arm_requests_total", { operation: "PUT apis", status: "201" })[0]?.value).toBeGreaterThan(0)
        expect(find("operator_arm_requests_total", { status: "429" })[0]?.value).toBeGreaterThan(0)
        expect(find("operator_arm_throttled_total")[0]?.value).toBeGreaterThan(0)
        expect(find("operator_exposedapi_time_to_ready_seconds_count")[0]?.value).toBeGreaterThan(0)
        expect(find("operator_leader_election_master_status", { name: "oda-apim-operator" })[0]?.value).toBe(1)
      })
    ), 30_000)

  it.live("without leader election a single replica is ready once its informers have listed", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const instance = yield* startInstance(world, "single", { probes: true, leaderElection: false })
        yield* eventually(get(`${instance.probes ?? ""}/readyz`), (a) => a.status === 200)
        expect(world.kube.objects.get("coordination.k8s.io/v1", "Lease", "default", "oda-apim-operator")).toBeUndefined()
        expect((yield* get(`${instance.probes ?? ""}/nothing-here`)).status).toBe(404)
      })
    ))
})
