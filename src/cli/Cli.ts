import { Command } from "@effect/cli"
import { VERSION } from "../Version.ts"
import { crdCommand } from "./CrdCommand.ts"
import { renderCommand } from "./RenderCommand.ts"
import { reportFatal } from "./ReportFatal.ts"
import { runCommand } from "./RunCommand.ts"
import { sandboxCommand } from "./SandboxCommand.ts"
import { versionCommand } from "./VersionCommand.ts"

/** The command line: each command lives in its own file here; this one composes them (tests run it in-process). */
export const rootCommand = Command.make("oda-apim-operator").pipe(
  Command.withDescription("Publish TM Forum ODA ExposedAPIs to Azure API Management"),
  Command.withSubcommands([runCommand, sandboxCommand, renderCommand, crdCommand, versionCommand])
)

/** Runs the command line `argv` (as process.argv: node, script, arguments...); fatal errors reported on stderr. */
export const runCli = (argv: ReadonlyArray<string>) => Command.run(rootCommand, { name: "oda-apim-operator", version: VERSION })(argv).pipe(reportFatal)
