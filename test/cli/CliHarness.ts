import { NodeContext } from "@effect/platform-node"
import { spawn } from "node:child_process"
import { type Console, ConfigProvider, Effect, Exit } from "effect"
import { runCli } from "../../src/cli/Cli.ts"

/** What a command line printed, and whether it succeeded. */
export interface CliResult {
  readonly stdout: string
  readonly stderr: string
  /** 0 on success, 1 on failure (as main.ts exits). */
  readonly code: number
}

const ANSI = /\u001b\[[0-9;]*m/g
export const plain = (text: string): string => text.replace(ANSI, "")

const joined = (args: ReadonlyArray<unknown>): string => args.map(String).join(" ")

/**
 * The command line run in-process (fast: the modules are loaded once per worker), with stdout and stderr captured
 * and the environment replaced by `env` (the worker's own never leaks in).
 */
export const cliInProcess = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): Promise<CliResult> =>
  Effect.runPromise(
    Effect.gen(function*() {
      const stdout: Array<string> = []
      const stderr: Array<string> = []
      const base = yield* Effect.console
      const captured: Console.Console = {
        ...base,
        log: (...parts) => Effect.sync(() => void stdout.push(joined(parts))),
        error: (...parts) => Effect.sync(() => void stderr.push(joined(parts)))
      }
      const exit = yield* runCli(["node", "oda-apim-operator", ...args]).pipe(
        Effect.withConsole(captured),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
        Effect.provide(NodeContext.layer),
        Effect.exit
      )
      return { stdout: plain(stdout.join("\n")), stderr: plain(stderr.join("\n")), code: Exit.isSuccess(exit) ? 0 : 1 }
    })
  )

/** `node src/main.ts ARGS` in a child process: the real binary, exit code and all. */
export const cliProcess = (
  args: ReadonlyArray<string>,
  options: { readonly stdin?: string; readonly env?: Readonly<Record<string, string>> } = {}
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["src/main.ts", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...options.env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.once("error", reject)
    child.once("close", (code) => resolve({ stdout: plain(stdout), stderr: plain(stderr), code: code ?? -1 }))
    child.stdin.end(options.stdin ?? "")
  })

/** Flags every command has from @effect/cli itself. */
export const BUILT_IN_FLAGS: ReadonlyArray<string> = ["--completions", "--log-level", "--help", "--wizard", "--version"]

/** The OPTIONS section of a help text: each option's heading line and the paragraphs under it. */
export const helpOptions = (
  help: string
): ReadonlyArray<{ readonly heading: string; readonly flags: ReadonlyArray<string>; readonly paragraphs: ReadonlyArray<string> }> => {
  const section = help.split(/^OPTIONS$/m)[1]?.split(/^COMMANDS$/m)[0] ?? ""
  const options: Array<{ heading: string; flags: Array<string>; paragraphs: Array<string> }> = []
  for (const line of section.split("\n")) {
    if (line.trim() === "") continue
    if (!line.startsWith(" ")) {
      const flags = [...line.matchAll(/--[a-z][a-z0-9-]*/g)].map((match) => match[0])
      // "(-f, --file FILE) 1+" reads "-f, --file FILE"
      options.push({ heading: line.trim().replace(/^\((.*)\)( \d+\+)?$/, "$1"), flags, paragraphs: [] })
    }
    else options.at(-1)?.paragraphs.push(line.trim())
  }
  return options
}

/** The command's own flags (`--file`, ...), as its help lists them. */
export const ownFlags = (help: string): ReadonlyArray<string> =>
  helpOptions(help).flatMap((option) => option.flags).filter((flag) => !BUILT_IN_FLAGS.includes(flag))

/** What @effect/cli writes about any option of a type; a flag's own description is what else its help says. */
const GENERIC =
  /^(A user-defined piece of text\.|A true or false value\.|An integer\.|A floating point number\.|A directory\.|A file\.?|A path\.?|One of the following: .*|This setting is optional\.|This option must be repeated.*|This setting has a default.*)$/

export const flagDescription = (paragraphs: ReadonlyArray<string>): string => paragraphs.filter((paragraph) => !GENERIC.test(paragraph)).join(" ")
