import { Console, Duration, Effect, Option } from "effect"
import { startSandbox } from "../layers/Sandbox.ts"
import { logging } from "../layers/Logging.ts"
import { ingressController, installExposedApiCrd, sandboxOperatorLayer } from "../layers/SandboxOperator.ts"
import { runOperator } from "../programs/Operator.ts"
import { listenForProbes, probeUrl } from "../programs/Probes.ts"
import { shutdownGracePeriod } from "../services/RuntimeSettings.ts"
import { startSandboxTour } from "../sandbox/SandboxTour.ts"

export interface SandboxOptions {
  readonly stateDir: string
  readonly noOperator: boolean
  readonly noSamples: boolean
  readonly port: Option.Option<number>
  readonly probePort: number
  readonly resyncInterval: string
}

/** The emulators, the sample tour and the operator on them, until interrupted. */
export const runSandbox = ({ noOperator, noSamples, port, probePort, resyncInterval, stateDir }: SandboxOptions) =>
  Effect.scoped(
    Effect.gen(function*() {
      const resync = Duration.decodeUnknown(resyncInterval)
      if (Option.isNone(resync)) return yield* Effect.fail(new Error(`--resync-interval: "${resyncInterval}" is not a duration (e.g. "2 minutes", "30 seconds")`))
      const started = yield* startSandbox({ stateDir, kubePort: Option.getOrUndefined(port) })
      yield* Console.log(`Kubernetes API emulator: ${started.contract.kubernetes.server}`)
      yield* Console.log(`Azure Resource Manager:  ${started.contract.azure.armEndpoint}`)
      yield* Console.log(`Key Vault:               ${started.contract.azure.keyVaultUrl}`)
      yield* Console.log(`Entra ID:                ${started.contract.azure.authorityHost}`)
      const probes = noOperator ? undefined : yield* listenForProbes({ port: probePort, host: "127.0.0.1" })
      if (probes !== undefined) yield* Console.log(`Operator metrics:        ${probeUrl(probes)}/metrics (and /healthz, /readyz)`)
      yield* Console.log(`kubeconfig:              ${started.kubeconfigPath}`)
      yield* Console.log(`sandbox contract:        ${started.contractPath}`)
      yield* Console.log(`Try: kubectl --kubeconfig ${started.kubeconfigPath} get exposedapis -A`)
      if (noOperator) return yield* Effect.never
      yield* installExposedApiCrd(started.kube)
      yield* ingressController(started.kube)
      yield* startSandboxTour(started, { samples: !noSamples, colors: process.stdout.isTTY === true })
      // the composition `run` uses, without leader election: the sandbox is one process
      return yield* runOperator(sandboxOperatorLayer(started.kube, started.azure, { resyncInterval: resync.value }), {
        leaderElection: Option.none(),
        probes,
        shutdownGracePeriod: yield* shutdownGracePeriod
      })
    })
  ).pipe(Effect.provide(logging({ sandbox: true })))
