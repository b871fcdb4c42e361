import { Command } from "@effect/cli"
import { Effect } from "effect"
import { LiveLayer } from "../layers/Live.ts"
import { exposedApiController } from "../programs/ExposedApiController.ts"

export const runCommand = Command.make("run", {}, () => Effect.scoped(exposedApiController().pipe(Effect.provide(LiveLayer)))).pipe(
  Command.withDescription(
    "Run the operator against the cluster (in-cluster config or KUBECONFIG) and Azure (DefaultAzureCredential); configured by environment variables and Key Vault"
  )
)
