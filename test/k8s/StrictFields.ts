import * as k8s from "@kubernetes/client-node"
import { isJsonObject, type Json } from "../../src/emulators/Json.ts"

/**
 * Unknown fields in a built-in manifest (a typo such as `readOnlyRootFileSystem` is silently dropped by the API
 * server unless the client asks for strict validation), found by walking the object along @kubernetes/client-node's
 * models, which are generated from the official Kubernetes OpenAPI document and list every field of every type.
 * JSON-schema validators of that document do not catch these: it does not forbid additional properties.
 */

interface Attribute {
  readonly baseName: string
  readonly type: string
}

const attributesOf = (typeName: string): ReadonlyArray<Attribute> | undefined => {
  const model: unknown = Reflect.get(k8s, typeName)
  if (typeof model !== "function" || !("getAttributeTypeMap" in model) || typeof model.getAttributeTypeMap !== "function") return undefined
  const attributes: unknown = model.getAttributeTypeMap()
  return Array.isArray(attributes) ? attributes.filter((a): a is Attribute => typeof a?.baseName === "string" && typeof a?.type === "string") : undefined
}

const ARRAY = /^Array<(.+)>$/
const MAP = /^\{ \[key: string\]: (.+); \}$/

const walk = (value: Json, typeName: string, path: string, found: Array<string>): void => {
  const array = ARRAY.exec(typeName)
  if (array?.[1] !== undefined) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, array[1] ?? "any", `${path}[${i}]`, found))
    return
  }
  const map = MAP.exec(typeName)
  if (map?.[1] !== undefined) {
    if (isJsonObject(value)) for (const [key, item] of Object.entries(value)) walk(item, map[1], `${path}.${key}`, found)
    return
  }
  const attributes = attributesOf(typeName)
  if (attributes === undefined || !isJsonObject(value)) return // a scalar, IntOrString, any
  for (const [key, item] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key)
    if (attribute === undefined) found.push(`${path === "" ? "" : `${path}.`}${key}`)
    else walk(item, attribute.type, path === "" ? key : `${path}.${key}`, found)
  }
}

/** The client-node model of a built-in kind (`V1Deployment` for apps/v1 Deployment); undefined when there is none. */
export const modelName = (apiVersion: string, kind: string): string | undefined => {
  const version = apiVersion.slice(apiVersion.indexOf("/") + 1)
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`
  return attributesOf(name) === undefined ? undefined : name
}

/** Paths of the fields the model does not know, e.g. `spec.template.spec.containers[0].securityContext.readOnly`. */
export const unknownFields = (object: Json, typeName: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  walk(object, typeName, "", found)
  return found
}
