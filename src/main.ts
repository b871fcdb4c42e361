#!/usr/bin/env node
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { crdCommand } from "./cli/CrdCommand.ts"
import { renderCommand } from "./cli/RenderCommand.ts"
import { reportFatal } from "./cli/ReportFatal.ts"
import { runCommand } from "./cli/RunCommand.ts"
import { sandboxCommand } from "./cli/SandboxCommand.ts"
import { versionCommand } from "./cli/VersionCommand.ts"
import { VERSION } from "./Version.ts"

/** The command line: each command lives in src/cli/; this file only composes them and runs the program. */
const root = Command.make("oda-apim-operator").pipe(
  Command.withDescription("Publish TM Forum ODA ExposedAPIs to Azure API Management"),
  Command.withSubcommands([runCommand, sandboxCommand, renderCommand, crdCommand, versionCommand])
)

Command.run(root, { name: "oda-apim-operator", version: VERSION })(process.argv).pipe(
  reportFatal,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disablePrettyLogger: true, disableErrorReporting: true })
)
