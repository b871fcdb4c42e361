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

/** Whether every API's definition and policy have been read from APIM since the ARM log was last cleared. */
export const everyApiRead = (world: BenchWorld, shapes: ReadonlyArray<ApiShape>): boolean => {
  const apiReads = new Set<string>()
  const policyReads = new Set<string>()
  for (const entry of world.azure.logs.arm.entries()) {
    if (entry.method !== "GET") continue
    const match = /\/apis\/([^/]+)(\/policies\/policy)?$/.exec(entry.path)
    if (match?.[1] === undefined) continue
    if (match[2] === undefined) apiReads.add(match[1])
    else policyReads.add(match[1])
  }
  return shapes.every((s) => {
    const id = apimApiId(s.namespace, s.name)
    return apiReads.has(id) && policyReads.has(id)
  })
}
