import { Command, Options } from "@effect/cli"
import { Effect } from "effect"

export const sandboxCommand = Command.make(
  "sandbox",
  {
    stateDir: Options.directory("state-dir").pipe(
      Options.withDefault(".sandbox"),
      Options.withDescription("Where the kubeconfig, ca.pem, sandbox.json and the sample Components (samples/) are written")
    ),
    noOperator: Options.boolean("no-operator").pipe(Options.withDescription("Start only the emulators")),
    noSamples: Options.boolean("no-samples").pipe(
      Options.withDescription("Start with no ExposedAPI (the sample Components are still written to DIR/samples for kubectl apply)")
    ),
    port: Options.integer("port").pipe(
      Options.optional,
      Options.withDescription("Port of the Kubernetes API emulator (default: a free port)")
    ),
    probePort: Options.integer("probe-port").pipe(
      Options.withDefault(0),
      Options.withDescription("Port of the operator's /healthz, /readyz and /metrics on 127.0.0.1 (default: a free port)")
    ),
    resyncInterval: Options.text("resync-interval").pipe(
      Options.withDefault("2 minutes"),
      Options.withDescription("How often every ExposedAPI is re-checked against APIM (the RESYNC_INTERVAL of run)")
    )
  },
  // loaded only when the sandbox runs: the emulators and certificate tooling would otherwise sit in `run`'s memory
  (options) => Effect.promise(() => import("./SandboxRun.ts")).pipe(Effect.flatMap(({ runSandbox }) => runSandbox(options)))
).pipe(Command.withDescription("Run the operator on its embedded sandbox: Kubernetes and Azure emulators on loopback"))
