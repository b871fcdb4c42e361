import { writeFileSync } from "node:fs"
import { flagsTable, metricsTable, README, readme, replaceGeneratedSection, settingsTable } from "./ReadmeTables.ts"

/** `npm run docs`: rewrites the README's generated reference tables from the code. */
const sections: ReadonlyArray<readonly [string, () => string | Promise<string>]> = [
  ["settings", settingsTable],
  ["render flags", () => flagsTable("render")],
  ["metrics", metricsTable]
]

let text = readme()
for (const [id, table] of sections) text = replaceGeneratedSection(text, id, await table())
writeFileSync(README, text)
console.log(`README.md: ${sections.map(([id]) => id).join(", ")} rewritten`)
