import type { BenchWorld } from "./BenchWorld.ts"
import type { OperatorProcess } from "./OperatorProcess.ts"
import { waitUntil } from "./Wait.ts"

/** The operator's three informers (ExposedAPIs, Ingresses, EndpointSlices) each hold a watch once it is running. */
export const OPERATOR_WATCHES = 3

/** Resolves once the operator has passed its start-up checks and watches the cluster; fails if it exits first. */
export const startWatchingOperator = async (world: BenchWorld, operator: OperatorProcess, timeoutMs = 60_000): Promise<void> => {
  await waitUntil(
    "the operator to watch ExposedAPIs, Ingresses and EndpointSlices",
    () => {
      if (operator.unexpectedExits().length > 0) throw new Error(`the operator exited: ${operator.unexpectedExits().join("; ")}`)
      return world.kube.openWatches() >= OPERATOR_WATCHES
    },
    timeoutMs
  )
}
