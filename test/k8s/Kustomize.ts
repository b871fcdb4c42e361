import { spawnSync } from "node:child_process"
import { readFileSync, statSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseAllDocuments } from "yaml"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../../src/emulators/Json.ts"

/**
 * The kustomizations under k8s/, rendered two ways: by this file (the subset k8s/ uses: `resources` that are files
 * or other kustomization directories, nothing else, so it renders the same on any machine) and by kubectl's built-in
 * kustomize when it is v4 or later (Debian's kubectl 1.20 bundles kustomize 2, which cannot take a directory in
 * `resources`). The tests check the two agree.
 */

export const K8S_DIR = fileURLToPath(new URL("../../k8s/", import.meta.url))
export const k8sPath = (relativePath: string): string => join(K8S_DIR, relativePath)

/** What k8s/ may use in a kustomization.yaml: anything else would make this renderer wrong. */
const KNOWN_KEYS = new Set(["apiVersion", "kind", "resources"])

const yamlObjects = (text: string, file: string): ReadonlyArray<JsonObject> =>
  parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join("; ")}`)
    const value: unknown = document.toJS()
    if (value === null || value === undefined) return []
    if (!isJsonObject(value)) throw new Error(`${file}: a document that is not an object`)
    return [value]
  })

/** A file holding one YAML object (a CRD, an example resource). */
export const readYamlObject = (file: string): JsonObject => {
  const [object, ...more] = yamlObjects(readFileSync(file, "utf8"), file)
  if (object === undefined || more.length > 0) throw new Error(`${file} does not hold exactly one object`)
  return object
}

/** The value at a path of keys and indexes; undefined where the path leads nowhere. */
export const at = (value: Json | undefined, ...path: ReadonlyArray<string | number>): Json | undefined =>
  path.reduce<Json | undefined>((current, key) => {
    if (typeof key === "number") return isJsonArray(current) ? current[key] : undefined
    return isJsonObject(current) ? current[key] : undefined
  }, value)

/** Renders `dir`'s kustomization: its resources in order, directories rendered recursively. */
export const renderKustomization = (dir: string): ReadonlyArray<JsonObject> => {
  const file = join(dir, "kustomization.yaml")
  const [kustomization] = yamlObjects(readFileSync(file, "utf8"), file)
  if (kustomization === undefined) throw new Error(`${file} is empty`)
  const unknown = Object.keys(kustomization).filter((key) => !KNOWN_KEYS.has(key))
  if (unknown.length > 0) throw new Error(`${file}: ${unknown.join(", ")} not supported by this renderer`)
  const resources = kustomization["resources"]
  if (!Array.isArray(resources)) throw new Error(`${file}: resources must be a list`)
  return resources.flatMap((entry) => {
    if (typeof entry !== "string") throw new Error(`${file}: a resource that is not a path`)
    const path = resolve(dir, entry)
    if (statSync(path).isDirectory()) return renderKustomization(path)
    if (relative(dir, path).startsWith("..")) throw new Error(`${file}: ${entry} is outside the kustomization (kustomize refuses it)`)
    return yamlObjects(readFileSync(path, "utf8"), path)
  })
}

export interface KubectlKustomize {
  readonly version: string
  readonly render: (dir: string) => ReadonlyArray<JsonObject>
}

/** kubectl's kustomize, when the kubectl on PATH bundles v4 or later; undefined otherwise. */
export const kubectlKustomize = (): KubectlKustomize | undefined => {
  const version = spawnSync("kubectl", ["version", "--client", "-o", "json"], { encoding: "utf8" })
  if (version.status !== 0) return undefined
  const parsed: unknown = JSON.parse(version.stdout)
  const kustomize = isJsonObject(parsed) ? parsed["kustomizeVersion"] : undefined
  const major = typeof kustomize === "string" ? Number.parseInt(kustomize.replace(/^v/, ""), 10) : Number.NaN
  if (typeof kustomize !== "string" || !(major >= 4)) return undefined
  return {
    version: kustomize,
    render: (dir) => {
      const result = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8" })
      if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`)
      return yamlObjects(result.stdout, `kubectl kustomize ${dir}`)
    }
  }
}

/** `kind namespace/name`: how tests name and match objects. */
export const objectId = (object: JsonObject): string => {
  const metadata = isJsonObject(object["metadata"]) ? object["metadata"] : {}
  const namespace = typeof metadata["namespace"] === "string" ? `${metadata["namespace"]}/` : ""
  return `${String(object["apiVersion"])} ${String(object["kind"])} ${namespace}${String(metadata["name"])}`
}
