import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, readFileSync, type WriteStream } from "node:fs"

/**
 * The real operator (`node src/main.ts run`) as a child process: its output goes to a log file, its CPU time and
 * resident memory come from /proc, and it can be stopped politely (SIGTERM) or killed (SIGKILL) and started again
 * with the same environment, as a Deployment's pod would be.
 */
export interface OperatorProcess {
  readonly pid: () => number
  /** User + system CPU seconds of the current process. */
  readonly cpuSeconds: () => number
  readonly rssMb: () => number
  /** The highest resident memory of the current process so far (VmHWM). */
  readonly peakRssMb: () => number
  /** Exits observed that nobody asked for (a crash), with their code or signal. */
  readonly unexpectedExits: () => ReadonlyArray<string>
  readonly starts: () => number
  readonly kill: () => Promise<void>
  readonly restart: () => Promise<void>
  readonly stop: () => Promise<void>
}

const mainScript = new URL("../src/main.ts", import.meta.url).pathname
const TICKS_PER_SECOND = 100 // USER_HZ on Linux
const PAGE_BYTES = 4096

const procStat = (pid: number): ReadonlyArray<string> => {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
  } catch {
    return []
  }
}

export const cpuSecondsOf = (pid: number): number => {
  const stat = procStat(pid)
  return (Number(stat[11] ?? 0) + Number(stat[12] ?? 0)) / TICKS_PER_SECOND
}

export const rssMbOf = (pid: number): number => (Number(procStat(pid)[21] ?? 0) * PAGE_BYTES) / (1024 * 1024)

/**
 * The operator's entry point: the TypeScript sources by default (Node strips the types), or another script such as
 * the bundle a container image runs, `dist/main.js` (`ODA_BENCH_OPERATOR_MAIN`; `npm run bench` sets it).
 */
export const operatorMain = (): string => process.env["ODA_BENCH_OPERATOR_MAIN"] ?? mainScript

export const peakRssMbOf = (pid: number): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"))
    return Number(/(\d+)/.exec(line ?? "")?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}

export const startOperatorProcess = (env: Readonly<Record<string, string>>, logFile: string): OperatorProcess => {
  const log: WriteStream = createWriteStream(logFile, { flags: "a" })
  const unexpected: Array<string> = []
  let child: ChildProcess | undefined
  let starts = 0
  let expectingExit = false

  const launch = (): void => {
    expectingExit = false
    starts += 1
    const started = spawn(process.execPath, [operatorMain(), "run"], { env: { ...env }, stdio: ["ignore", "pipe", "pipe"] })
    log.write(`--- start ${starts} (pid ${started.pid ?? "?"}) at ${new Date().toISOString()}\n`)
    started.stdout?.pipe(log, { end: false })
    started.stderr?.pipe(log, { end: false })
    started.once("exit", (code, signal) => {
      if (!expectingExit) unexpected.push(`pid ${started.pid ?? "?"} exited with ${signal ?? code}`)
    })
    child = started
  }

  const end = (signal: NodeJS.Signals): Promise<void> =>
    new Promise<void>((resolve) => {
      const current = child
      if (current === undefined || current.exitCode !== null || current.signalCode !== null) {
        resolve()
        return
      }
      expectingExit = true
      // a polite stop that hangs is a finding of its own, but must not hang the run
      const escalate = setTimeout(() => current.kill("SIGKILL"), 15_000)
      current.once("exit", () => {
        clearTimeout(escalate)
        resolve()
      })
      current.kill(signal)
    })

  launch()
  return {
    pid: () => child?.pid ?? 0,
    cpuSeconds: () => cpuSecondsOf(child?.pid ?? 0),
    rssMb: () => rssMbOf(child?.pid ?? 0),
    peakRssMb: () => peakRssMbOf(child?.pid ?? 0),
    unexpectedExits: () => [...unexpected],
    starts: () => starts,
    kill: () => end("SIGKILL"),
    restart: async () => {
      await end("SIGKILL")
      launch()
    },
    stop: async () => {
      await end("SIGTERM")
      await new Promise<void>((resolve) => log.end(() => resolve()))
    }
  }
}
