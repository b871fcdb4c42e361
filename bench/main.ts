import { Args, Command, Options } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Option } from "effect"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bundleApp } from "../scripts/Bundle.ts"
import { realisticLatencies } from "./ApimLatencies.ts"
import { runKubeEmulatorBench } from "./KubeEmulatorBench.ts"
import { runLatency } from "./Latency.ts"
import { runMemory } from "./Memory.ts"
import { runSteadyState } from "./SteadyState.ts"
import { runThroughput } from "./Throughput.ts"

/** Figures by group: `{"throughput": {"ratio": …}, …}`, so `throughput.ratio` names one. */
type Figures = Record<string, Record<string, unknown>>

interface RunOptions {
  readonly apis: number
  readonly runs: number
  readonly scale: number
  readonly latencies: typeof realisticLatencies
  readonly settings: Readonly<Record<string, string>>
  readonly logDir: string
  readonly heapSnapshotDir: string | undefined
}

/** Each scenario yields one or more groups of figures. */
const scenarios: Record<string, (o: RunOptions) => Promise<Figures>> = {
  throughput: async (o) => ({ throughput: await runThroughput({ apis: o.apis, latencies: o.latencies, settings: o.settings, logDir: o.logDir }) }),
  steady: async (o) => {
    const { restart, steady, unexpectedExits } = await runSteadyState({ apis: o.apis, settings: o.settings, logDir: o.logDir })
    return { steady: { ...steady, unexpectedExits }, restart }
  },
  latency: async (o) => ({ latency: await runLatency({ runs: o.runs, settings: o.settings, logDir: o.logDir }) }),
  memory: async (o) => ({
    memory: await runMemory({ small: Math.min(o.apis, o.scale), large: o.scale, settings: o.settings, logDir: o.logDir, heapSnapshotDir: o.heapSnapshotDir })
  }),
  kube: async () => {
    const f = await runKubeEmulatorBench()
    return {
      kube: {
        createsPerSecond: f.createsPerSecond,
        creates: f.creates,
        watchers: f.watchers,
        eventsPerWatcher: f.eventsPerWatcher,
        list10kMs: f.list10kMs,
        list10kItems: f.list10kItems,
        emulatorCpuMsPerCreate: Number((f.emulatorCpuSecondsPerCreate * 1000).toFixed(3)),
        targets: { createsPerSecond: ">= 1000 with 3 watchers", list10kMs: "< 1000" }
      }
    }
  }
}

/** The figures the issue names, with their targets, for the closing summary. */
const headline: ReadonlyArray<readonly [string, string]> = [
  ["throughput.ratio", "<= 1.15"],
  ["throughput.throttled429", "0"],
  ["throughput.armCallsPerApi", ""],
  ["steady.armWrites", "0"],
  ["steady.armReadsPerApi", "<= 2"],
  ["steady.kubeWrites", "0"],
  ["steady.cpuSecondsPerResync", ""],
  ["latency.p50Ms", ""],
  ["latency.p99Ms", ""],
  ["memory.rss1kMb", ""],
  ["memory.rss10kMb", "< 150"],
  ["memory.restingRss10kMb", ""],
  ["memory.heapKbPerApi", ""],
  ["restart.writes", "0"],
  ["restart.ratio", ""],
  ["kube.createsPerSecond", ">= 1000"],
  ["kube.list10kMs", "< 1000"]
]

const parseSettings = (pairs: ReadonlyArray<string>): Effect.Effect<Record<string, string>, Error> =>
  Effect.forEach(pairs, (pair) => {
    const equals = pair.indexOf("=")
    return equals <= 0 ? Effect.fail(new Error(`--set ${pair}: expected KEY=VALUE`)) : Effect.succeed([pair.slice(0, equals), pair.slice(equals + 1)] as const)
  }).pipe(Effect.map(Object.fromEntries))

const bench = Command.make(
  "bench",
  {
    names: Args.text({ name: "scenario" }).pipe(Args.withDescription(`any of: ${Object.keys(scenarios).join(", ")} (default: all)`), Args.repeated),
    out: Options.file("out").pipe(Options.optional, Options.withDescription("also write the figures as JSON to this file")),
    apis: Options.integer("apis").pipe(Options.withDefault(1000), Options.withDescription("ExposedAPIs in the throughput, steady/restart and memory (first size) scenarios")),
    runs: Options.integer("runs").pipe(Options.withDefault(200), Options.withDescription("ExposedAPIs created one at a time in the latency scenario")),
    scale: Options.integer("scale").pipe(Options.withDefault(10_000), Options.withDescription("ExposedAPIs in the memory scenario's second size")),
    importMs: Options.integer("import-ms").pipe(Options.withDefault(realisticLatencies.importMs), Options.withDescription("APIM latency of an API import")),
    policyMs: Options.integer("policy-ms").pipe(Options.withDefault(realisticLatencies.policyPutMs), Options.withDescription("APIM latency of a policy PUT")),
    getMs: Options.integer("get-ms").pipe(Options.withDefault(realisticLatencies.getMs), Options.withDescription("APIM latency of a GET")),
    writeMs: Options.integer("write-ms").pipe(Options.withDefault(realisticLatencies.writeMs), Options.withDescription("APIM latency of other writes")),
    set: Options.text("set").pipe(Options.repeated, Options.withDescription("an operator setting for every scenario, KEY=VALUE (e.g. MAX_CONCURRENT_RECONCILES=64)")),
    heapSnapshots: Options.directory("heap-snapshots").pipe(
      Options.optional,
      Options.withDescription("memory: leave a heap snapshot of the operator with each figure in this directory (the figures then include the snapshots' own cost)")
    ),
    logDir: Options.directory("log-dir").pipe(Options.optional, Options.withDescription("where the operators' logs go (default: a new temporary directory)")),
    from: Options.choice("from", ["bundle", "sources"]).pipe(
      Options.withDefault("bundle"),
      Options.withDescription("run the operator as the image ships it (the bundle scripts/Bundle.ts makes) or from src/main.ts")
    )
  },
  ({ apis, from, getMs, heapSnapshots, importMs, logDir, names, out, policyMs, runs, scale, set, writeMs }) =>
    Effect.gen(function*() {
      const chosen = names.length === 0 ? Object.keys(scenarios).filter((n) => n !== "kube").concat("kube") : names
      const unknown = chosen.filter((n) => scenarios[n] === undefined)
      if (unknown.length > 0) return yield* Effect.fail(new Error(`unknown scenario ${unknown.join(", ")}; known: ${Object.keys(scenarios).join(", ")}`))
      const settings = yield* parseSettings(set)
      const logs = Option.getOrElse(logDir, () => mkdtempSync(join(tmpdir(), "oda-bench-logs-")))
      mkdirSync(logs, { recursive: true })
      yield* Console.log(`operator logs: ${logs}`)
      if (from === "bundle" && process.env["ODA_BENCH_OPERATOR_MAIN"] === undefined) {
        const main = yield* Effect.promise(() => bundleApp(join(import.meta.dirname, ".."), mkdtempSync(join(tmpdir(), "oda-bench-app-"))))
        process.env["ODA_BENCH_OPERATOR_MAIN"] = main
        yield* Console.log(`operator: ${main} (the image's bundle)`)
      }
      const heapSnapshotDir = Option.getOrUndefined(heapSnapshots)
      if (heapSnapshotDir !== undefined) mkdirSync(heapSnapshotDir, { recursive: true })
      const options: RunOptions = {
        apis,
        runs,
        scale,
        latencies: { importMs, policyPutMs: policyMs, getMs, writeMs },
        settings,
        logDir: logs,
        heapSnapshotDir
      }
      const figures: Figures = {}
      for (const name of chosen) {
        const run = scenarios[name]
        if (run === undefined) continue
        yield* Console.log(`running ${name}…`)
        const result = yield* Effect.promise(() => run(options))
        Object.assign(figures, result)
        yield* Console.log(JSON.stringify(result, null, 2))
      }
      yield* Console.log("\nsummary (target):")
      for (const [path, target] of headline) {
        const [group, figure] = path.split(".")
        const value = figures[group ?? ""]?.[figure ?? ""]
        if (value !== undefined) yield* Console.log(`  ${path.padEnd(28)} ${String(value).padStart(10)}${target === "" ? "" : `   (${target})`}`)
      }
      if (Option.isSome(out)) writeFileSync(out.value, `${JSON.stringify(figures, null, 2)}\n`)
    })
)

Command.run(bench, { name: "bench", version: "0.1.0" })(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
