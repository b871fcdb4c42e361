import { randomUUID } from "node:crypto"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import type { FieldError } from "./Status.ts"

/** Read-only accessors and validation for `metadata`, the part of every object the store owns. */

export const metadataOf = (object: JsonObject): JsonObject => {
  const metadata = object["metadata"]
  return isJsonObject(metadata) ? metadata : {}
}

export const stringField = (object: JsonObject, key: string): string | undefined => {
  const value = object[key]
  return typeof value === "string" ? value : undefined
}

export const nameOf = (object: JsonObject): string => stringField(metadataOf(object), "name") ?? ""
export const namespaceOf = (object: JsonObject): string => stringField(metadataOf(object), "namespace") ?? ""
export const uidOf = (object: JsonObject): string => stringField(metadataOf(object), "uid") ?? ""
export const resourceVersionOf = (object: JsonObject): string | undefined => stringField(metadataOf(object), "resourceVersion")
export const deletionTimestampOf = (object: JsonObject): string | undefined =>
  stringField(metadataOf(object), "deletionTimestamp")
export const generationOf = (object: JsonObject): number => {
  const generation = metadataOf(object)["generation"]
  return typeof generation === "number" ? generation : 0
}

export const stringList = (value: Json | undefined): ReadonlyArray<string> =>
  isJsonArray(value) ? value.filter((v): v is string => typeof v === "string") : []

export const finalizersOf = (object: JsonObject): ReadonlyArray<string> => stringList(metadataOf(object)["finalizers"])

export const labelsOf = (object: JsonObject): Readonly<Record<string, string>> => {
  const labels = metadataOf(object)["labels"]
  if (!isJsonObject(labels)) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v
  return out
}

export interface OwnerReference {
  readonly apiVersion: string
  readonly kind: string
  readonly name: string
  readonly uid: string
  readonly controller: boolean
  readonly blockOwnerDeletion: boolean
}

export const ownerReferencesOf = (object: JsonObject): ReadonlyArray<OwnerReference> => {
  const refs = metadataOf(object)["ownerReferences"]
  if (!isJsonArray(refs)) return []
  return refs.filter(isJsonObject).map((ref) => ({
    apiVersion: stringField(ref, "apiVersion") ?? "",
    kind: stringField(ref, "kind") ?? "",
    name: stringField(ref, "name") ?? "",
    uid: stringField(ref, "uid") ?? "",
    controller: ref["controller"] === true,
    blockOwnerDeletion: ref["blockOwnerDeletion"] === true
  }))
}

export const withMetadata = (object: JsonObject, patch: JsonObject): JsonObject => {
  const metadata: Record<string, Json> = { ...metadataOf(object) }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete metadata[k]
    else metadata[k] = v
  }
  return { ...object, metadata }
}

export const without = (object: JsonObject, key: string): JsonObject => {
  if (!(key in object)) return object
  const copy: Record<string, Json> = { ...object }
  delete copy[key]
  return copy
}

/** metav1.Time: RFC 3339 with whole seconds. */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z")

export const newUid = (): string => randomUUID()

const generateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789"
/** apiserver's names.SimpleNameGenerator: base (truncated to 58) plus 5 random characters. */
export const generateName = (base: string): string => {
  let suffix = ""
  for (let i = 0; i < 5; i++) suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)]
  return base.slice(0, 58) + suffix
}

const dns1123LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
const dns1123SubdomainPattern = `${dns1123LabelPattern}(\\.${dns1123LabelPattern})*`
const dns1035LabelPattern = "[a-z]([-a-z0-9]*[a-z0-9])?"

export type NameRule = "subdomain" | "label" | "dns1035" | "path-segment"

const nameRules: Record<NameRule, { regex: RegExp; max: number; text: string }> = {
  subdomain: {
    regex: new RegExp(`^${dns1123SubdomainPattern}$`),
    max: 253,
    text: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${dns1123SubdomainPattern}')`
  },
  label: {
    regex: new RegExp(`^${dns1123LabelPattern}$`),
    max: 63,
    text: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${dns1123LabelPattern}')`
  },
  dns1035: {
    regex: new RegExp(`^${dns1035LabelPattern}$`),
    max: 63,
    text: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${dns1035LabelPattern}')`
  },
  // custom resources only forbid what cannot be a path segment
  "path-segment": { regex: /^(?!\.\.?$)[^/%]+$/, max: 253, text: `may not contain '/' or '%', and may not be '.' or '..'` }
}

export const validateName = (name: string, rule: NameRule, field = "metadata.name"): ReadonlyArray<FieldError> => {
  const { regex, max, text } = nameRules[rule]
  const errors: Array<FieldError> = []
  if (name.length > max) {
    errors.push({ type: "FieldValueInvalid", field, value: name, detail: `must be no more than ${max} characters` })
  }
  if (!regex.test(name)) errors.push({ type: "FieldValueInvalid", field, value: name, detail: text })
  return errors
}

/** Metadata rules shared by every kind: names, owner references (at most one controller). */
export const validateObjectMeta = (object: JsonObject, rule: NameRule): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = [...validateName(nameOf(object), rule)]
  const refs = ownerReferencesOf(object)
  refs.forEach((ref, i) => {
    for (const key of ["apiVersion", "kind", "name", "uid"] as const) {
      if (ref[key] === "") {
        errors.push({ type: "FieldValueRequired", field: `metadata.ownerReferences[${i}].${key}`, detail: "" })
      }
    }
  })
  const controllers = refs.filter((r) => r.controller)
  if (controllers.length > 1) {
    errors.push({
      type: "FieldValueInvalid",
      field: "metadata.ownerReferences",
      value: refs.map((r) => r.uid),
      detail: `Only one reference can have Controller set to true. Found "true" in references for ${
        controllers.map((c) => `${c.kind}/${c.name}`).join(" and ")
      }`
    })
  }
  return errors
}

/** Structural equality of JSON values; key order does not matter. */
export const deepEqual = (a: Json | undefined, b: Json | undefined): boolean => {
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null) return false
  if (typeof a !== "object" || typeof b !== "object") return false
  if (isJsonArray(a) || isJsonArray(b)) {
    if (!isJsonArray(a) || !isJsonArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const k of keys) if (!(k in b) || !deepEqual(a[k], b[k])) return false
  return true
}
