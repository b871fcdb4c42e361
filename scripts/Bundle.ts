import { build, type BuildOptions, type Metafile } from "esbuild"
import { cpSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"

/**
 * The operator as the image ships it: one ES module (and a chunk for the sandbox, loaded only by `sandbox`) holding
 * the production code it imports and nothing else. Loading some 2,000 module files kept their full source text in
 * the heap (68 MB of strings at start, before any work); the bundle, minified, is a fraction of that (V8 keeps the
 * source text of what it loaded: minifying local identifiers too takes another 2 MB off). Function and class names
 * are kept, so stack traces and logged errors name them as the sources do without a source map loaded at run time.
 */
export const bundleOptions = (root: string, outdir: string): BuildOptions => ({
  absWorkingDir: root,
  entryPoints: { main: "src/main.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node24",
  minify: true,
  keepNames: true,
  sourcemap: "linked",
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
  // CommonJS dependencies call require() for Node's built-ins; an ES module bundle has none of its own
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" }
})

/** The npm packages a bundle took code from, by name (`@scope/name` or `name`). */
export const bundledPackages = (metafile: Metafile): ReadonlySet<string> =>
  new Set(
    Object.keys(metafile.inputs).flatMap((input) => {
      const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
      return match?.[1] === undefined ? [] : [match[1]]
    })
  )

/** Packages the lock file installs only for development (`npm ci --omit=dev` leaves them out). */
export const developmentPackages = (root: string): ReadonlySet<string> => {
  const lock: unknown = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"))
  const packages: unknown = typeof lock === "object" && lock !== null ? Reflect.get(lock, "packages") : undefined
  const isDev = (entry: unknown) => typeof entry === "object" && entry !== null && Reflect.get(entry, "dev") === true
  return new Set(
    Object.entries(typeof packages === "object" && packages !== null ? packages : {}).flatMap(([path, entry]) =>
      isDev(entry) ? [path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)] : []
    )
  )
}

/** Bundles into `outdir`; fails when the bundle took code from a development-only package. */
export const bundle = async (root: string, outdir: string): Promise<Metafile> => {
  const result = await build(bundleOptions(root, outdir))
  const metafile = result.metafile
  if (metafile === undefined) throw new Error("esbuild returned no metafile")
  const development = developmentPackages(root)
  const leaked = [...bundledPackages(metafile)].filter((name) => development.has(name))
  if (leaked.length > 0) throw new Error(`the bundle includes development-only packages: ${leaked.join(", ")} (add them to dependencies or stop importing them from src/)`)
  return metafile
}

/**
 * What the image's /app holds, in `dir`: the bundle in dist/, package.json (ES modules, the package root) and k8s/
 * (the CRD `crd` prints); no node_modules. Returns the entry point.
 */
export const bundleApp = async (root: string, dir: string): Promise<string> => {
  await bundle(root, join(dir, "dist"))
  cpSync(join(root, "package.json"), join(dir, "package.json"))
  cpSync(join(root, "k8s"), join(dir, "k8s"), { recursive: true })
  return join(dir, "dist", "main.js")
}

if (import.meta.main) {
  const root = join(import.meta.dirname, "..")
  rmSync(join(root, "dist"), { recursive: true, force: true }) // chunks are named by content: old ones would pile up
  await bundle(root, join(root, "dist"))
}
