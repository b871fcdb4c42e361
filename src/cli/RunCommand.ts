import { Command } from "@effect/cli"
import { Effect } from "effect"
import { LiveLayer } from "../layers/Live.ts"
import { logging } from "../layers/Logging.ts"
import { tracingFromConfig } from "../layers/Tracing.ts"
import { runOperator } from "../programs/Operator.ts"
import { listenForProbes, probeUrl } from "../programs/Probes.ts"
import { leaderElection, probeAddress, shutdownGracePeriod } from "../services/RuntimeSettings.ts"

/**
 * `run`: the probe port first (liveness answers while start-up checks wait for the cluster or Azure), then the
 * operator with leader election; JSON logs, and traces when an OTLP endpoint is configured.
 */
const run = Effect.scoped(
  Effect.gen(function*() {
    const probes = yield* listenForProbes(yield* probeAddress)
    yield* Effect.logInfo("probes and metrics listening").pipe(Effect.annotateLogs({ url: probeUrl(probes) }))
    return yield* runOperator(LiveLayer, {
      leaderElection: yield* leaderElection,
      probes,
      shutdownGracePeriod: yield* shutdownGracePeriod
    })
  })
).pipe(Effect.provide(tracingFromConfig), Effect.provide(logging()))

export const runCommand = Command.make("run", {}, () => run).pipe(
  Command.withDescription(
    "Run the operator against the cluster (in-cluster config or KUBECONFIG) and Azure (DefaultAzureCredential); configured by environment variables and Key Vault"
  )
)
