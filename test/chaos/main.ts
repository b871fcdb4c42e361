import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { runChaos } from "./ChaosRun.ts"

/**
 * `npm run chaos [-- --apis 200 --seconds 90 --kills 6 --seed 1 --timeout 600 --out FILE]`: the chaos run against the
 * real operator, its report on stdout (and in FILE as JSON); exits 1 unless the world converged exactly and the
 * operator never exited on its own.
 */
const { values } = parseArgs({
  options: {
    apis: { type: "string", default: "200" },
    seconds: { type: "string", default: "90" },
    kills: { type: "string", default: "6" },
    seed: { type: "string", default: "1" },
    timeout: { type: "string", default: "600" },
    out: { type: "string" },
    "log-dir": { type: "string" }
  }
})

const number = (name: string, text: string | undefined): number => {
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a number, got ${String(text)}`)
  return value
}

const logDir = values["log-dir"] ?? mkdtempSync(join(tmpdir(), "oda-chaos-"))
mkdirSync(logDir, { recursive: true })
console.log(`operator logs: ${logDir}`)
const report = await runChaos({
  apis: number("apis", values.apis),
  churnSeconds: number("seconds", values.seconds),
  kills: number("kills", values.kills),
  seed: number("seed", values.seed),
  convergenceTimeoutSeconds: number("timeout", values.timeout),
  logDir,
  onProgress: (line) => console.log(line)
})
const { verdict, ...figures } = report
console.log(JSON.stringify({ ...figures, verdict: { ...verdict, problems: verdict.problems.slice(0, 50) } }, null, 2))
if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`)
process.exitCode = report.converged && report.unexpectedExits.length === 0 ? 0 : 1
