#!/usr/bin/env node
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { VERSION } from "./Version.ts"

const version = Command.make("version", {}, () => Console.log(VERSION)).pipe(
  Command.withDescription("Print the operator's version")
)

const root = Command.make("oda-apim-operator").pipe(
  Command.withDescription("Publish TM Forum ODA ExposedAPIs to Azure API Management"),
  Command.withSubcommands([version])
)

const cli = Command.run(root, { name: "oda-apim-operator", version: VERSION })

cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain({ disablePrettyLogger: true }))
