import type { BenchWorld } from "./BenchWorld.ts"
import type { OperatorProcess } from "./OperatorProcess.ts"

/**
 * Samples a run every `windowMs`: ARM writes and reads the emulator received, Kubernetes requests, the operator's
 * CPU and memory, and this process's CPU (the emulators') — the profile of where a run spent its time.
 */
export interface Sampler {
  readonly stop: () => ReadonlyArray<string>
}

export const startSampler = (world: BenchWorld, operator: OperatorProcess, windowMs = 10_000): Sampler => {
  const lines: Array<string> = []
  const started = performance.now()
  let armSeen = world.azure.logs.arm.entries().length
  let kubeSeen = world.kube.log.entries().length
  let operatorCpu = operator.cpuSeconds()
  let ownCpu = process.cpuUsage()
  const sample = (): void => {
    const arm = world.azure.logs.arm.entries()
    const fresh = arm.slice(armSeen)
    armSeen = arm.length
    const kube = world.kube.log.entries().length
    const cpu = operator.cpuSeconds()
    const own = process.cpuUsage(ownCpu)
    const seconds = windowMs / 1000
    const writes = fresh.filter((e) => e.method !== "GET" && e.method !== "HEAD").length
    const throttled = fresh.filter((e) => e.status === 429).length
    lines.push(
      `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s: ARM ${(writes / seconds).toFixed(1)} writes/s ` +
        `${((fresh.length - writes) / seconds).toFixed(1)} reads/s${throttled > 0 ? ` (${throttled} × 429)` : ""}, ` +
        `kube ${((kube - kubeSeen) / seconds).toFixed(0)} req/s, operator CPU ${(((cpu - operatorCpu) / seconds) * 100).toFixed(0)}% ` +
        `RSS ${operator.rssMb().toFixed(0)} MB, emulators CPU ${(((own.user + own.system) / 1e6 / seconds) * 100).toFixed(0)}%`
    )
    kubeSeen = kube
    operatorCpu = cpu
    ownCpu = process.cpuUsage()
  }
  const timer = setInterval(sample, windowMs)
  return {
    stop: () => {
      clearInterval(timer)
      return lines
    }
  }
}
