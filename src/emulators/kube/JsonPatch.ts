import jsonPatch from "fast-json-patch"
import type { Operation } from "fast-json-patch"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { jsonKindName } from "./GoFormat.ts"
import { patchNotApplied, requestEntityTooLarge } from "./PatchErrors.ts"
import { badRequest } from "./Status.ts"

/**
 * application/json-patch+json as handlers/patch.go applies it (applyJSPatch): the body is first strictly decoded
 * into []jsonPatchOp (400 `error decoding patch: ...` when it is not a list of operation objects, e.g. the
 * object body client-node sends by default), at most 10000 operations (413), then applied with
 * evanphx/json-patch v4, whose every failure becomes the same generic 422.
 */

const maxOperations = 10000

const decodeError = (detail: string) => badRequest(`error decoding patch: json: ${detail}`)

/** kjson.UnmarshalStrict(body, &[]jsonPatchOp{}): only shapes and the string fields are checked here. */
const decodeOperations = (document: Json): ReadonlyArray<JsonObject | null> => {
  // JSON null decodes to an empty patch
  if (document === null) return []
  if (!isJsonArray(document)) throw decodeError(`cannot unmarshal ${jsonKindName(document)} into Go value of type []handlers.jsonPatchOp`)
  const operations: Array<JsonObject | null> = []
  for (const element of document) {
    if (element !== null && !isJsonObject(element)) throw decodeError(`cannot unmarshal ${jsonKindName(element)} into Go value of type handlers.jsonPatchOp`)
    for (const [field, value] of Object.entries(element ?? {})) {
      if ((field === "op" || field === "path" || field === "from") && value !== null && typeof value !== "string") {
        throw decodeError(`cannot unmarshal ${jsonKindName(value)} into Go struct field jsonPatchOp.${field} of type string`)
      }
    }
    operations.push(element)
  }
  return operations
}

/** evanphx's Operation accessors: a missing op, path or from fails the apply; a missing value reads as null. */
const toOperation = (element: JsonObject | null): Operation => {
  const path = element?.["path"]
  if (element === null || typeof path !== "string") throw patchNotApplied()
  const value = element["value"] ?? null
  const from = element["from"]
  switch (element["op"]) {
    case "add":
      return { op: "add", path, value }
    case "replace":
      return { op: "replace", path, value }
    case "test":
      return { op: "test", path, value }
    case "remove":
      return { op: "remove", path }
    case "move":
    case "copy":
      if (typeof from !== "string") throw patchNotApplied()
      return element["op"] === "move" ? { op: "move", from, path } : { op: "copy", from, path }
    default:
      throw patchNotApplied()
  }
}

const unescapeToken = (token: string): string => token.replaceAll("~1", "/").replaceAll("~0", "~")

const childOf = (node: Json | undefined, token: string): Json | undefined => {
  if (isJsonObject(node)) return Object.hasOwn(node, token) ? node[token] : undefined
  if (isJsonArray(node) && /^(0|[1-9][0-9]*)$/.test(token)) return node[Number(token)]
  return undefined
}

/** True when the pointer names an absent key of an existing object. */
const isAbsentObjectKey = (document: Json, pointer: string): boolean => {
  if (!pointer.startsWith("/")) return false
  const tokens = pointer.slice(1).split("/").map(unescapeToken)
  const last = tokens.pop() ?? ""
  let node: Json | undefined = document
  for (const token of tokens) node = childOf(node, token)
  return isJsonObject(node) && !Object.hasOwn(node, last)
}

const applyOperation = (document: Json, element: JsonObject | null, index: number): Json => {
  const operation = toOperation(element)
  // evanphx v4 lets `test` with a null value pass for an absent key: the usual "annotation not set" guard
  if (operation.op === "test" && operation.value === null && isAbsentObjectKey(document, operation.path)) return document
  try {
    return jsonPatch.applyOperation(document, operation, true, true, true, index).newDocument
  } catch {
    throw patchNotApplied()
  }
}

/** RFC 6902 applied to a deep copy of `target`; neither argument is mutated. */
export const applyJsonPatch = (target: Json, patchDocument: Json): Json => {
  const operations = decodeOperations(structuredClone(patchDocument))
  if (operations.length > maxOperations) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${maxOperations}, got ${operations.length}`)
  }
  return operations.reduce<Json>((document, element, index) => applyOperation(document, element, index), structuredClone(target))
}
