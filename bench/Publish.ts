import { apimApiId } from "../src/domain/ApiNaming.ts"
import type { BenchWorld } from "./BenchWorld.ts"
import { waitUntil } from "./Wait.ts"
import { type ApiShape, createExposedApi, ensureNamespace, type ReadyTracker } from "./Workload.ts"

/**
 * Operator settings that lift its client-side ARM budget out of the way, for scenarios that run with the emulator's
 * throttling off (latency, memory) or that only prepare published state.
 */
export const unthrottledBudget: Readonly<Record<string, string>> = {
  ARM_WRITE_BURST: "1000000",
  ARM_WRITE_PER_SECOND: "1000000",
  ARM_READ_BURST: "1000000",
  ARM_READ_PER_SECOND: "1000000"
}

export const keyOf = (shape: ApiShape): string => `${shape.namespace}/${shape.name}`

/** Creates every Component at once and waits until each ExposedAPI is Ready. */
export const createAndWait = async (world: BenchWorld, tracker: ReadyTracker, shapes: ReadonlyArray<ApiShape>, timeoutMs: number): Promise<void> => {
  for (const namespace of new Set(shapes.map((s) => s.namespace))) ensureNamespace(world.kube, namespace)
  for (const shape of shapes) createExposedApi(world.kube, world.documentsUrl, shape)
  await tracker.waitFor(shapes.map(keyOf), timeoutMs)
}

/** Resolves once neither emulator has received a request for `quietMs`. */
export const waitForQuiet = (world: BenchWorld, quietMs: number, timeoutMs: number): Promise<void> =>
  waitUntil(
    `${quietMs} ms without a request to the emulators`,
    () => {
      const lastArm = world.azure.logs.arm.entries().at(-1)?.timestamp ?? 0
      const lastKube = world.kube.log.entries().at(-1)?.at ?? 0
      return Date.now() - Math.max(lastArm, lastKube) >= quietMs
    },
    timeoutMs,
    200
  )

/**
 * Whether every API has been checked since the ARM log was last cleared: its policy read (the last read of a check;
 * the API itself comes from the resync's listing, or from a read of its own).
 */
export const everyApiChecked = (world: BenchWorld, shapes: ReadonlyArray<ApiShape>): boolean => {
  const policyReads = new Set<string>()
  for (const entry of world.azure.logs.arm.entries()) {
    const apiId = entry.method === "GET" ? /\/apis\/([^/]+)\/policies\/policy$/.exec(entry.path)?.[1] : undefined
    if (apiId !== undefined) policyReads.add(apiId)
  }
  return shapes.every((s) => policyReads.has(apimApiId(s.namespace, s.name)))
}
