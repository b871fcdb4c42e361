import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { modelName, unknownFields } from "./StrictFields.ts"

/**
 * Validation of built-in manifests against the official Kubernetes schemas: kubernetes-models (JSON schemas
 * generated from the Kubernetes OpenAPI document: types, required fields, enums, formats) and, for the fields
 * those schemas leave open, client-node's models (unknown fields).
 */

const apiVersionParts = (apiVersion: string): { readonly group: string; readonly version: string } => {
  const slash = apiVersion.indexOf("/")
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
}

const errorsOf = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const details: unknown = Reflect.get(error, "errors")
  return Array.isArray(details) && details.length > 0
    ? details.map((d: unknown) => (isJsonObject(d) ? `${String(d["instancePath"])} ${String(d["message"])}` : String(d))).join("; ")
    : error.message
}

/** The problems of one manifest; empty when valid. Throws for a kind the official schemas do not know. */
export const officialSchemaProblems = async (object: JsonObject): Promise<ReadonlyArray<string>> => {
  const apiVersion = String(object["apiVersion"])
  const kind = String(object["kind"])
  const { group, version } = apiVersionParts(apiVersion)
  const specifier = `kubernetes-models/${group === "" ? "" : `${group}/`}${version}/${kind}`
  const loaded: unknown = await import(/* @vite-ignore */ specifier)
  const model: unknown = typeof loaded === "object" && loaded !== null ? Reflect.get(loaded, kind) : undefined
  if (typeof model !== "function") throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`)
  const instance: unknown = Reflect.construct(model, [object])
  const validate: unknown = typeof instance === "object" && instance !== null ? Reflect.get(instance, "validate") : undefined
  if (typeof validate !== "function") throw new Error(`kubernetes-models' ${kind} cannot validate`)
  const problems: Array<string> = []
  try {
    Reflect.apply(validate, instance, [])
  } catch (error) {
    problems.push(errorsOf(error))
  }
  const name = modelName(apiVersion, kind)
  if (name === undefined) throw new Error(`client-node has no model of ${apiVersion} ${kind}`)
  problems.push(...unknownFields(object, name).map((path) => `unknown field ${path}`))
  return problems
}
