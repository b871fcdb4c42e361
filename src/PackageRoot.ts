import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * The directory holding package.json: where `k8s/` lives, whether the code runs from `src/` (npm start, tests)
 * or from the bundle in `dist/` (the container image).
 */
export const packageRoot = (from: string = fileURLToPath(import.meta.url)): string => {
  let directory = dirname(from)
  while (!existsSync(join(directory, "package.json"))) {
    const parent = dirname(directory)
    if (parent === directory) return process.cwd()
    directory = parent
  }
  return directory
}

/** A file shipped with the operator, e.g. `k8s/exposedapi-crd.yaml`. */
export const shippedFile = (relative: string): string => join(packageRoot(), relative)
