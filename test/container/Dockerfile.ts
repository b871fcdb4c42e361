/**
 * A Dockerfile read the way BuildKit reads the instructions this project uses (FROM ... AS, WORKDIR, COPY [--from],
 * RUN, ENV, USER, EXPOSE, ENTRYPOINT, CMD), and a .dockerignore evaluated for the patterns it uses. Enough for a
 * test to follow the files from the build context to the image without a Docker engine.
 */

export interface Instruction {
  readonly keyword: string
  readonly flags: Readonly<Record<string, string>>
  /** The arguments after the flags; for the exec (JSON) form, the array's items. */
  readonly args: ReadonlyArray<string>
  readonly execForm: boolean
  readonly line: number
}

export interface Stage {
  readonly image: string
  readonly name: string | undefined
  readonly instructions: ReadonlyArray<Instruction>
}

/** Instructions per stage; comments and blank lines dropped, `\` continuations joined. */
export const parseDockerfile = (text: string): ReadonlyArray<Stage> => {
  const stages: Array<{ image: string; name: string | undefined; instructions: Array<Instruction> }> = []
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let line = lines[i] ?? ""
    if (line.trim() === "" || line.trim().startsWith("#")) continue
    while (line.trimEnd().endsWith("\\") && i + 1 < lines.length) {
      i++
      const next = lines[i] ?? ""
      line = `${line.trimEnd().slice(0, -1)} ${next.trim().startsWith("#") ? "" : next.trim()}`
    }
    const match = /^\s*(\S+)\s*(.*)$/.exec(line)
    const keyword = (match?.[1] ?? "").toUpperCase()
    let rest = (match?.[2] ?? "").trim()
    const flags: Record<string, string> = {}
    for (let flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest); flag !== null; flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
      flags[flag[1] ?? ""] = flag[2] ?? ""
      rest = rest.slice(flag[0].length)
    }
    const execForm = rest.startsWith("[")
    const parsed: unknown = execForm ? JSON.parse(rest) : undefined
    const args = Array.isArray(parsed) ? parsed.map(String) : rest.split(/\s+/).filter((a) => a !== "")
    const instruction: Instruction = { keyword, flags, args, execForm, line: start + 1 }
    if (keyword === "FROM") {
      const as = args.findIndex((a) => a.toUpperCase() === "AS")
      stages.push({ image: args[0] ?? "", name: as < 0 ? undefined : args[as + 1], instructions: [] })
    } else {
      const stage = stages[stages.length - 1]
      if (stage === undefined) throw new Error(`line ${start + 1}: ${keyword} before any FROM`)
      stage.instructions.push(instruction)
    }
  }
  return stages
}

export const instructionsOf = (stage: Stage, keyword: string): ReadonlyArray<Instruction> => stage.instructions.filter((i) => i.keyword === keyword)

/**
 * Whether a context path (relative, `/`-separated) is sent to the builder: the last matching pattern decides, `!`
 * re-includes. Patterns: `*` (every top-level entry) and literal paths (matching themselves and what is below).
 */
export const inContext = (dockerignore: string, path: string): boolean => {
  let included = true
  for (const raw of dockerignore.split("\n")) {
    const line = raw.trim()
    if (line === "" || line.startsWith("#")) continue
    const negated = line.startsWith("!")
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, "")
    if (pattern !== "*" && /[*?[\]]/.test(pattern)) throw new Error(`.dockerignore pattern ${line}: only * and literal paths are understood here`)
    const matches = pattern === "*" || path === pattern || path.startsWith(`${pattern}/`)
    if (matches) included = negated
  }
  return included
}
