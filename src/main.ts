#!/usr/bin/env node
import { Command, Options } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Option } from "effect"
import { startSandbox } from "./layers/Sandbox.ts"
import { VERSION } from "./Version.ts"

const version = Command.make("version", {}, () => Console.log(VERSION)).pipe(
  Command.withDescription("Print the operator's version")
)

const sandbox = Command.make(
  "sandbox",
  {
    stateDir: Options.directory("state-dir").pipe(
      Options.withDefault(".sandbox"),
      Options.withDescription("Where the kubeconfig and sandbox.json are written")
    ),
    noOperator: Options.boolean("no-operator").pipe(Options.withDescription("Start only the emulators")),
    port: Options.integer("port").pipe(
      Options.optional,
      Options.withDescription("Port of the Kubernetes API emulator (default: a free port)")
    )
  },
  ({ port, stateDir }) =>
    Effect.scoped(
      Effect.gen(function*() {
        const started = yield* startSandbox({ stateDir, kubePort: Option.getOrUndefined(port) })
        yield* Console.log(`Kubernetes API emulator: ${started.contract.kubernetes.server}`)
        yield* Console.log(`Azure Resource Manager:  ${started.contract.azure.armEndpoint}`)
        yield* Console.log(`Key Vault:               ${started.contract.azure.keyVaultUrl}`)
        yield* Console.log(`Entra ID:                ${started.contract.azure.authorityHost}`)
        yield* Console.log(`kubeconfig:              ${started.kubeconfigPath}`)
        yield* Console.log(`sandbox contract:        ${started.contractPath}`)
        yield* Console.log(`Try: kubectl --kubeconfig ${started.kubeconfigPath} get namespaces`)
        return yield* Effect.never
      })
    )
).pipe(Command.withDescription("Run the embedded sandbox: emulators on loopback (and, later, the operator against them)"))

const root = Command.make("oda-apim-operator").pipe(
  Command.withDescription("Publish TM Forum ODA ExposedAPIs to Azure API Management"),
  Command.withSubcommands([sandbox, version])
)

const cli = Command.run(root, { name: "oda-apim-operator", version: VERSION })

cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain({ disablePrettyLogger: true }))
