import { Either, Schema } from "effect"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { CRD_FILE } from "../../src/cli/CrdCommand.ts"
import { DEFAULT_INTENT_SETTINGS, ExposedApi, JWT_OPT_OUT_ANNOTATION, toApiIntent } from "../../src/domain/ExposedApi.ts"
import { shippedFile } from "../../src/PackageRoot.ts"
import { readReference } from "../fixtures/Reference.ts"
import { parseTables, readme } from "./ReadmeTables.ts"

/** The README's ExposedAPI field mapping covers every field of the CRD, in every version, and every field the operator validates. */

type Json = { readonly [key: string]: unknown }
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const crds: ReadonlyArray<readonly [string, unknown]> = [
  [CRD_FILE, parse(readFileSync(shippedFile(CRD_FILE), "utf8"))],
  ["the ODA Canvas's CRD", parse(readReference("oda/exposedapi-crd.yaml"))]
]

/** Every property path of a schema: `spec.CORS.allowOrigins`, `spec.specification[].url`, `spec.resources[]`. */
const schemaPaths = (schema: unknown, path = ""): ReadonlyArray<string> => {
  if (!isJson(schema)) return []
  const properties = isJson(schema["properties"]) ? Object.entries(schema["properties"]) : []
  const items = schema["items"]
  return [
    ...properties.flatMap(([name, child]) => {
      const childPath = path === "" ? name : `${path}.${name}`
      return [childPath, ...schemaPaths(child, childPath)]
    }),
    ...(isJson(items) ? (isJson(items["properties"]) ? schemaPaths(items, `${path}[]`) : [`${path}[]`]) : [])
  ]
}

const versions = (crd: unknown): ReadonlyArray<{ readonly name: string; readonly schema: unknown }> => {
  const list = isJson(crd) && isJson(crd["spec"]) && Array.isArray(crd["spec"]["versions"]) ? crd["spec"]["versions"] : []
  return list.filter(isJson).map((version) => ({
    name: String(version["name"]),
    schema: isJson(version["schema"]) ? version["schema"]["openAPIV3Schema"] : undefined
  }))
}

/** The field paths the mapping's tables name in their "Field" column (every code span). */
const documentedFields = (): ReadonlySet<string> => {
  const text = readme()
  const start = text.indexOf("\n## ExposedAPI field mapping\n")
  const end = text.indexOf("\n## ", start + 1)
  if (start < 0) throw new Error("README.md has no ExposedAPI field mapping section")
  const rows = parseTables(text.slice(start, end)).flat()
  return new Set(rows.flatMap((row) => [...(row["Field"] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "")))
}

const example = (): Json => {
  const value: unknown = parse(readReference("oda/exposedapi-example.yaml"))
  if (!isJson(value)) throw new Error("the ODA example is not an object")
  return value
}

/** `spec.CORS.allowOrigins` set to `value` in a copy of `spec`. */
const withLeaf = (spec: Json, path: ReadonlyArray<string>, value: unknown): Json => {
  const [head, ...rest] = path
  if (head === undefined) return spec
  return { ...spec, [head]: rest.length === 0 ? value : withLeaf(isJson(spec[head]) ? spec[head] : {}, rest, value) }
}

/** The fields toApiIntent names when `spec` (of `apiVersion`) is read, with list indexes written `[]` as the table does. */
const problemFields = (spec: Json, apiVersion = "oda.tmforum.org/v1", annotations: Json = {}): ReadonlyArray<string> => {
  const api = Schema.decodeUnknownSync(ExposedApi)({
    apiVersion,
    kind: "ExposedAPI",
    metadata: { name: "x", namespace: "ns", uid: "u", resourceVersion: "1", annotations },
    spec
  })
  const result = toApiIntent(api, DEFAULT_INTENT_SETTINGS)
  return Either.isLeft(result) ? result.left.problems.map((problem) => problem.field.replace(/\[\d+\]/g, "[]")) : []
}

describe("README: ExposedAPI field mapping", () => {
  const documented = documentedFields()

  it.each(crds)("names every field of every version of %s", (_, crd) => {
    const all = versions(crd)
    expect(all.map((v) => v.name).sort()).toEqual(["v1", "v1beta3", "v1beta4"])
    for (const version of all) {
      const missing = schemaPaths(version.schema).filter((path) => !documented.has(path))
      expect(missing, `${version.name} fields missing from the README's field mapping`).toEqual([])
    }
  })

  it("names no spec field that neither CRD nor the ODA example has", () => {
    const known = new Set([
      ...crds.flatMap(([, crd]) => versions(crd).flatMap((version) => schemaPaths(version.schema))),
      ...Object.keys(isJson(example()["spec"]) ? (example()["spec"] as Json) : {}).map((name) => `spec.${name}`)
    ])
    expect([...documented].filter((field) => field.startsWith("spec.") && !known.has(field))).toEqual([])
  })

  it("names every field the operator can refuse", () => {
    const spec = isJson(example()["spec"]) ? example()["spec"] as Json : {}
    const v1 = versions(crds[0]?.[1]).find((version) => version.name === "v1")
    const fields = schemaPaths(v1?.schema).filter((path) => path.startsWith("spec.") && !path.includes("[]"))
    const refused = new Set([
      // every v1 field, in turn, given an object where a value belongs and a number where an object or text belongs
      // (every section of the example is enabled, so every field of it is read)
      ...fields.flatMap((path) => [{ bogus: true }, 42].flatMap((value) => problemFields(withLeaf(spec, path.split(".").slice(1), value)))),
      // the older shapes of spec.specification
      ...problemFields({ ...spec, specification: [{ url: { bogus: true }, version: 7 }] }, "oda.tmforum.org/v1beta4"),
      ...problemFields({ ...spec, specification: [42] }, "oda.tmforum.org/v1beta3"),
      ...problemFields({ ...spec, quota: { identifier: "IP" } }),
      ...problemFields(spec, "oda.tmforum.org/v1", { [JWT_OPT_OUT_ANNOTATION]: "sometimes" })
    ])
    expect(refused.size).toBeGreaterThan(25)
    expect([...refused].filter((field) => !documented.has(field)), "fields the operator validates but the README does not name").toEqual([])
  })
})
