import { Command } from "@effect/cli"
import { Console } from "effect"
import { VERSION } from "../Version.ts"

export const versionCommand = Command.make("version", {}, () => Console.log(VERSION)).pipe(
  Command.withDescription("Print the operator's version")
)
