import { Command } from "@effect/cli"
import { HashMap } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { rootCommand } from "../../src/cli/Cli.ts"
import { VERSION } from "../../src/Version.ts"
import { BUILT_IN_FLAGS, type CliResult, cliInProcess, cliProcess, flagDescription, helpOptions } from "./CliHarness.ts"

/** `--help` works for the program and every command, documents every flag, and runs nothing. */

const commands = [...HashMap.keys(Command.getSubcommands(rootCommand))].sort()

let binary: CliResult

beforeAll(async () => {
  binary = await cliProcess(["--help"])
})

describe("--help", () => {
  it("the real binary prints the program's help with every command and exits 0", () => {
    expect(binary.code, binary.stderr).toBe(0)
    expect(binary.stdout).toContain(`oda-apim-operator ${VERSION}`)
    expect(binary.stdout).toContain("Publish TM Forum ODA ExposedAPIs to Azure API Management")
    for (const command of commands) expect(binary.stdout).toMatch(new RegExp(`^\\s+- ${command}\\b`, "m"))
  })

  it("covers the commands the issue asks for", () => {
    expect(commands).toEqual(expect.arrayContaining(["crd", "render", "run", "sandbox", "version"]))
  })

  it.each(commands)("%s --help and -h: usage, a description, every flag described; nothing runs", async (command) => {
    const [long, short] = await Promise.all([cliInProcess([command, "--help"]), cliInProcess([command, "-h"])])
    expect(long.code, long.stderr).toBe(0)
    expect(short.stdout).toBe(long.stdout)
    expect(long.stdout).toMatch(new RegExp(`^\\$ ${command}\\b`, "m"))
    const description = long.stdout.split(/^DESCRIPTION$/m)[1]?.split(/^OPTIONS$/m)[0]?.trim() ?? ""
    expect(description.length).toBeGreaterThan(20)
    for (const option of helpOptions(long.stdout)) {
      if (option.flags.some((flag) => BUILT_IN_FLAGS.includes(flag))) continue
      expect(flagDescription(option.paragraphs), `${command} ${option.flags.join(", ")} has no description`).not.toBe("")
    }
  })

  it("an unknown command or flag fails once, naming it", async () => {
    const command = await cliInProcess(["publish"])
    expect(command.code).toBe(1)
    expect(command.stderr).toContain("'run', 'sandbox', 'render', 'crd', 'version'")
    const flag = await cliInProcess(["crd", "--bogus"])
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain("--bogus")
    expect(flag.stderr).not.toContain("[object Object]")
  })
})
