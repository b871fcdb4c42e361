import { startChildSandbox } from "./ChildSandbox.ts"

/** Figures that show the Kubernetes emulator is never the bottleneck of a test or benchmark. */
export interface KubeEmulatorFigures {
  readonly createsPerSecond: number
  readonly creates: number
  readonly watchers: number
  readonly eventsPerWatcher: ReadonlyArray<number>
  readonly list10kMs: number
  readonly list10kItems: number
  readonly emulatorCpuSecondsPerCreate: number
}

const headers = { "Content-Type": "application/json", Authorization: "Bearer bench" }

/** Counts watch events on one stream until aborted. */
const openWatch = (url: string, abort: AbortSignal): { readonly count: () => number; readonly done: Promise<void> } => {
  let events = 0
  const done = (async () => {
    const response = await fetch(url, { headers, signal: abort })
    const reader = response.body?.getReader()
    if (reader === undefined) return
    let buffered = ""
    try {
      for (;;) {
        const { done: finished, value } = await reader.read()
        if (finished) return
        buffered += Buffer.from(value).toString("utf8")
        const lines = buffered.split("\n")
        buffered = lines.pop() ?? ""
        events += lines.filter((l) => l.trim() !== "").length
      }
    } catch {
      // aborted at the end of the run
    }
  })()
  return { count: () => events, done }
}

const createConfigMaps = async (server: string, namespace: string, from: number, count: number, concurrency: number): Promise<void> => {
  let next = from
  const worker = async (): Promise<void> => {
    while (next < from + count) {
      const i = next++
      const response = await fetch(`${server}/api/v1/namespaces/${namespace}/configmaps`, {
        method: "POST",
        headers,
        body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}`, labels: { bench: "kube" } }, data: { index: String(i) } })
      })
      if (response.status !== 201) throw new Error(`create cm-${i}: HTTP ${response.status} ${await response.text()}`)
      await response.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

export const runKubeEmulatorBench = async (options: { readonly creates?: number; readonly listSize?: number } = {}): Promise<KubeEmulatorFigures> => {
  const creates = options.creates ?? 5000
  const listSize = options.listSize ?? 10_000
  const sandbox = await startChildSandbox()
  const abort = new AbortController()
  try {
    const watchers = [0, 1, 2].map(() => openWatch(`${sandbox.server}/api/v1/namespaces/default/configmaps?watch=true`, abort.signal))
    await createConfigMaps(sandbox.server, "default", 0, 50, 8) // warm-up: JIT and connections
    const cpuBefore = sandbox.cpuSeconds()
    const started = performance.now()
    await createConfigMaps(sandbox.server, "default", 50, creates, 64)
    const elapsed = (performance.now() - started) / 1000
    const cpu = sandbox.cpuSeconds() - cpuBefore
    const expected = creates + 50
    const deadline = Date.now() + 10_000
    while (watchers.some((w) => w.count() < expected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const eventsPerWatcher = watchers.map((w) => w.count())
    abort.abort()
    await Promise.all(watchers.map((w) => w.done))

    await createConfigMaps(sandbox.server, "default", expected, Math.max(0, listSize - expected), 64)
    const timings: Array<number> = []
    let items = 0
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const response = await fetch(`${sandbox.server}/api/v1/namespaces/default/configmaps`, { headers })
      const list: unknown = await response.json()
      timings.push(performance.now() - t0)
      items = typeof list === "object" && list !== null && "items" in list && Array.isArray(list.items) ? list.items.length : 0
    }
    timings.sort((a, b) => a - b)
    return {
      createsPerSecond: Math.round(creates / elapsed),
      creates,
      watchers: watchers.length,
      eventsPerWatcher,
      list10kMs: Math.round(timings[Math.floor(timings.length / 2)] ?? 0),
      list10kItems: items,
      emulatorCpuSecondsPerCreate: cpu / creates
    }
  } finally {
    abort.abort()
    await sandbox.stop()
  }
}
