import { Args, Command, Options } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Option } from "effect"
import { writeFileSync } from "node:fs"
import { runKubeEmulatorBench } from "./KubeEmulatorBench.ts"

type Figures = Record<string, Record<string, unknown>>

const scenarios: Record<string, () => Promise<Record<string, unknown>>> = {
  kube: async () => {
    const f = await runKubeEmulatorBench()
    return {
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

const bench = Command.make(
  "bench",
  {
    names: Args.text({ name: "scenario" }).pipe(Args.withDescription(`one of: ${Object.keys(scenarios).join(", ")}`), Args.repeated),
    out: Options.file("out").pipe(Options.optional, Options.withDescription("also write the figures as JSON to this file"))
  },
  ({ names, out }) =>
    Effect.gen(function*() {
      const chosen = names.length === 0 ? Object.keys(scenarios) : names
      const figures: Figures = {}
      for (const name of chosen) {
        const run = scenarios[name]
        if (run === undefined) return yield* Effect.fail(new Error(`unknown scenario "${name}"; known: ${Object.keys(scenarios).join(", ")}`))
        yield* Console.log(`running ${name}…`)
        figures[name] = yield* Effect.promise(run)
        yield* Console.log(JSON.stringify({ [name]: figures[name] }, null, 2))
      }
      if (Option.isSome(out)) writeFileSync(out.value, `${JSON.stringify(figures, null, 2)}\n`)
    })
)

Command.run(bench, { name: "bench", version: "0.1.0" })(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
