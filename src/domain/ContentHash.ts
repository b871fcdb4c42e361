import { createHash } from "node:crypto"

/**
 * The JSON text of a value with every object's keys sorted, so that values equal as JSON give equal text whatever
 * order their keys were written in. Follows JSON.stringify otherwise: `undefined`, functions and symbols are left out
 * of objects and become `null` in arrays, non-finite numbers become `null`, dates become their ISO string.
 * Meant for JSON-shaped trees (manifests, API definitions, policies); a cyclic value is a programming error.
 */
export const canonicalJson = (value: unknown): string => canonical(value) ?? "null"

/**
 * A short, stable fingerprint of a JSON value (sha256 of its canonical JSON, first 16 hex digits): stored next to
 * what the operator applied, and compared before writing, so an unchanged piece costs no write.
 */
export const contentHash = (value: unknown): string =>
  createHash("sha256").update(canonicalJson(value), "utf8").digest("hex").slice(0, 16)

const canonical = (value: unknown): string | undefined => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null"
    case "boolean":
      return value ? "true" : "false"
    case "bigint":
      return value.toString()
    case "object":
      if (value === null) return "null"
      if (value instanceof Date) return JSON.stringify(value.toISOString())
      if (Array.isArray(value)) return `[${value.map((item: unknown) => canonical(item) ?? "null").join(",")}]`
      return canonicalObject(value)
    default:
      return undefined
  }
}

const canonicalObject = (value: object): string => {
  const members = Object.keys(value)
    .sort()
    .flatMap((key) => {
      const text = canonical(Reflect.get(value, key))
      return text === undefined ? [] : [`${JSON.stringify(key)}:${text}`]
    })
  return `{${members.join(",")}}`
}
