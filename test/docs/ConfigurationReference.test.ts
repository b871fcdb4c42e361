import { describe, expect, it } from "vitest"
import { commandFlags, generatedSection, NO_DEFAULT, parseTables, readme, settings, unquote } from "./ReadmeTables.ts"

/** The README's configuration reference and command-line flags say what the code does (`npm run docs` rewrites them). */

const FIX = "README.md disagrees with the code: run npm run docs"

const section = (text: string, heading: string): string => {
  const start = text.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README.md has no "${heading}" section`)
  const level = heading.split(" ")[0] ?? "##"
  const rest = text.slice(start + heading.length + 2)
  const next = rest.search(new RegExp(`^${level} `, "m"))
  return next < 0 ? rest : rest.slice(0, next)
}

const tableWith = (text: string, column: string): ReadonlyArray<Readonly<Record<string, string>>> => {
  const table = parseTables(text).find((rows) => rows[0] !== undefined && column in rows[0])
  if (table === undefined) throw new Error(`no table with a "${column}" column`)
  return table
}

const byKey = <A>(items: ReadonlyArray<A>, key: (a: A) => string): ReadonlyMap<string, A> => new Map(items.map((item) => [key(item), item]))

describe("README: Configuration reference", () => {
  const reference = section(readme(), "## Configuration reference")

  it("lists every setting the code declares, and no other", () => {
    const rows = tableWith(generatedSection(reference, "settings") ?? "", "Setting")
    const documented = rows.map((row) => unquote(row["Setting"] ?? "") ?? "")
    const declared = settings().map((s) => s.name)
    expect(declared.length).toBeGreaterThan(30)
    expect(declared.filter((name) => !documented.includes(name)), `${FIX}: settings missing from the README`).toEqual([])
    expect(documented.filter((name) => !declared.includes(name)), `${FIX}: settings the code no longer has`).toEqual([])
  })

  it("gives each setting its default and description as declared", () => {
    const rows = byKey(tableWith(generatedSection(reference, "settings") ?? "", "Setting"), (row) => unquote(row["Setting"] ?? "") ?? "")
    for (const setting of settings()) {
      const row = rows.get(setting.name)
      const defaultText = setting.default === undefined || setting.default === "" ? undefined : setting.default
      expect({ name: setting.name, default: unquote(row?.["Default"] ?? NO_DEFAULT), description: row?.["Description"] }, FIX).toEqual({
        name: setting.name,
        default: defaultText,
        description: setting.description
      })
    }
  })

  it("lists every render flag with its description", async () => {
    const rows = tableWith(generatedSection(reference, "render flags") ?? "", "Flag")
    const documented = byKey(rows, (row) => /--[a-z][a-z0-9-]*/.exec(row["Flag"] ?? "")?.[0] ?? "")
    const flags = await commandFlags("render")
    expect([...documented.keys()].sort(), FIX).toEqual(flags.map((f) => f.flag).sort())
    for (const flag of flags) expect(documented.get(flag.flag), FIX).toEqual({ Flag: `\`${flag.usage}\``, Description: flag.description })
  })

  it("the sandbox's options table lists every sandbox flag", async () => {
    const options = tableWith(section(readme(), "### Options"), "Option")
    const documented = options.flatMap((row) => [.../--[a-z][a-z0-9-]*/.exec(row["Option"] ?? "") ?? []])
    const flags = await commandFlags("sandbox")
    expect([...documented].sort(), "README.md, Sandbox tour → Options: every sandbox flag, and no other").toEqual(flags.map((f) => f.flag).sort())
  })
})
