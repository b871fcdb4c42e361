import { Command, Options } from "@effect/cli"
import { Console, Duration, Effect, Option } from "effect"
import { startSandbox } from "../layers/Sandbox.ts"
import { ingressController, installExposedApiCrd, sandboxOperatorLayer } from "../layers/SandboxOperator.ts"
import { exposedApiController } from "../programs/ExposedApiController.ts"
import { sandboxLogger } from "../sandbox/SandboxLogger.ts"
import { startSandboxTour } from "../sandbox/SandboxTour.ts"

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
    resyncInterval: Options.text("resync-interval").pipe(
      Options.withDefault("2 minutes"),
      Options.withDescription("How often every ExposedAPI is re-checked against APIM (the RESYNC_INTERVAL of run)")
    )
  },
  ({ noOperator, noSamples, port, resyncInterval, stateDir }) =>
    Effect.scoped(
      Effect.gen(function*() {
        const resync = Duration.decodeUnknown(resyncInterval)
        if (Option.isNone(resync)) return yield* Effect.fail(new Error(`--resync-interval: "${resyncInterval}" is not a duration (e.g. "2 minutes", "30 seconds")`))
        const started = yield* startSandbox({ stateDir, kubePort: Option.getOrUndefined(port) })
        yield* Console.log(`Kubernetes API emulator: ${started.contract.kubernetes.server}`)
        yield* Console.log(`Azure Resource Manager:  ${started.contract.azure.armEndpoint}`)
        yield* Console.log(`Key Vault:               ${started.contract.azure.keyVaultUrl}`)
        yield* Console.log(`Entra ID:                ${started.contract.azure.authorityHost}`)
        yield* Console.log(`kubeconfig:              ${started.kubeconfigPath}`)
        yield* Console.log(`sandbox contract:        ${started.contractPath}`)
        yield* Console.log(`Try: kubectl --kubeconfig ${started.kubeconfigPath} get exposedapis -A`)
        if (noOperator) return yield* Effect.never
        yield* installExposedApiCrd(started.kube)
        yield* ingressController(started.kube)
        yield* startSandboxTour(started, { samples: !noSamples, colors: process.stdout.isTTY === true })
        return yield* exposedApiController().pipe(
          Effect.provide(sandboxOperatorLayer(started.kube, started.azure, { resyncInterval: resync.value }))
        )
      })
    ).pipe(Effect.provide(sandboxLogger))
).pipe(Command.withDescription("Run the operator on its embedded sandbox: Kubernetes and Azure emulators on loopback"))
