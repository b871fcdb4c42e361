import { readFileSync } from "node:fs"
import { registerHooks } from "node:module"
import { fileURLToPath } from "node:url"

/**
 * `node --import ./test/container/ProductionOnlyHook.ts ...`: the process fails as soon as it loads a module from a
 * package that `npm ci --omit=dev` would not install (package-lock.json marks it dev or devOptional). Every
 * package keeps its lockfile position in a production install, so a process that passes this check resolves
 * exactly the same files from a production-only node_modules.
 */

const root = fileURLToPath(new URL("../../", import.meta.url))
const lock: unknown = JSON.parse(readFileSync(`${root}package-lock.json`, "utf8"))
const packages: unknown = typeof lock === "object" && lock !== null ? Reflect.get(lock, "packages") : undefined

/** `node_modules/a/node_modules/@s/b` for a file inside that package. */
const packageKey = (path: string): string | undefined => {
  const relative = path.startsWith(root) ? path.slice(root.length) : undefined
  if (relative === undefined) return undefined
  const at = relative.lastIndexOf("node_modules/")
  if (at < 0) return undefined
  const [first, second] = relative.slice(at + "node_modules/".length).split("/")
  return `${relative.slice(0, at)}node_modules/${first?.startsWith("@") === true ? `${first}/${second ?? ""}` : first ?? ""}`
}

const isProduction = (key: string): boolean => {
  const entry: unknown = typeof packages === "object" && packages !== null ? Reflect.get(packages, key) : undefined
  if (typeof entry !== "object" || entry === null) return false
  return Reflect.get(entry, "dev") !== true && Reflect.get(entry, "devOptional") !== true
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context)
    if (resolved.url.startsWith("file:")) {
      const key = packageKey(fileURLToPath(resolved.url))
      if (key !== undefined && !isProduction(key)) {
        throw new Error(`${key} is not a production dependency (npm ci --omit=dev leaves it out), yet ${context.parentURL ?? "the entry point"} imports ${specifier}`)
      }
    }
    return resolved
  }
})
