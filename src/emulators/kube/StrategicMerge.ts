import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { goTypeName, goValue } from "./GoFormat.ts"
import { patchNotApplied, unclassifiedError } from "./PatchErrors.ts"
import { badRequest } from "./Status.ts"

/**
 * application/strategic-merge-patch+json as kube-apiserver applies it: a port of
 * k8s.io/apimachinery/pkg/util/strategicpatch StrategicMergeMapPatch (mergeMap, mergeSlice, the `$patch`,
 * `$retainKeys`, `$deleteFromPrimitiveList/` and `$setElementOrder/` directives, the element order rules) with
 * the Go struct tags replaced by a StrategicSchema. Errors carry the codes handlers/patch.go gives them
 * (interpretStrategicMergePatchError): format errors 400, lists of lists 422, anything else a reason-less 500.
 */

/** A field's `patchStrategy` tag: "merge" (with `patchMergeKey` for lists of objects), "replace", or "retainKeys". */
export interface FieldStrategy {
  readonly strategy: "merge" | "replace" | "retainKeys"
  readonly key?: string
}

/**
 * Patch strategies by field path from the object root: `spec.ports`, `metadata.finalizers`; list elements are
 * written `[]` (`spec.template.spec.containers[].env`). Unlisted lists are atomic, unlisted maps merge.
 */
export type StrategicSchema = Readonly<Record<string, FieldStrategy>>

const directiveMarker = "$patch"
const retainKeysDirective = "$retainKeys"
const deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList"
const setElementOrderPrefix = "$setElementOrder"

// mergepatch errors
const badRetainKeys = () => badRequest("invalid patch format of retainKeys")
const badPrimitiveList = () => badRequest("invalid patch format of primitive list")
const badSetElementOrder = () => badRequest("invalid patch format of setElementOrder list")
const badArgType = (expected: string, actual: Json | undefined) => unclassifiedError(`expected a ${expected}, but received a ${goTypeName(actual)}`)
const noMergeKey = (element: JsonObject, key: string) => unclassifiedError(`map: ${goValue(element)} does not contain declared merge key: ${key}`)
const badPatchType = (directive: Json, element: JsonObject) =>
  unclassifiedError(`unknown patch type: ${typeof directive === "string" ? directive : goValue(directive)} in map: ${goValue(element)}`)

type GoKind = "map" | "slice" | "string" | "float64" | "bool" | "nil"

const kindOf = (value: Json | undefined): GoKind => {
  if (value === null || value === undefined) return "nil"
  if (typeof value === "string") return "string"
  if (typeof value === "number") return "float64"
  if (typeof value === "boolean") return "bool"
  return Array.isArray(value) ? "slice" : "map"
}

/** Go's interface equality for the scalars merge keys and primitive lists hold; maps and lists never compare equal. */
const sameScalar = (a: Json | undefined, b: Json | undefined): boolean => (a ?? null) === (b ?? null) && !isJsonObject(a ?? null) && !isJsonArray(a ?? null)

const put = (target: Record<string, Json>, key: string, value: Json): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

const isDirectiveKey = (key: string): boolean =>
  key === directiveMarker || key === retainKeysDirective || key.startsWith(`${deleteFromPrimitiveListPrefix}/`) || key.startsWith(`${setElementOrderPrefix}/`)

/**
 * A patch value taken as is. The apiserver decodes the merged map into the typed object, which drops the
 * directive keys and null fields it still contains; the emulator stores JSON, so it drops them here.
 */
const fromPatch = (value: Json): Json => {
  if (isJsonArray(value)) return value.map(fromPatch)
  if (!isJsonObject(value)) return value
  const out: Record<string, Json> = {}
  for (const [key, child] of Object.entries(value)) if (child !== null && !isDirectiveKey(key)) put(out, key, fromPatch(child))
  return out
}

const childPath = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`)

/** extractKey: `$setElementOrder/containers` -> `containers`. */
const directiveField = (key: string, prefix: string): string => {
  const slash = key.indexOf("/")
  if (slash < 0 || key.slice(0, slash) !== prefix) throw prefix === setElementOrderPrefix ? badSetElementOrder() : badPrimitiveList()
  return key.slice(slash + 1)
}

/** sliceElementType: every element of every list must have one kind, and lists of lists are refused. */
const elementKind = (lists: ReadonlyArray<ReadonlyArray<Json>>): GoKind => {
  let kind: GoKind | undefined
  for (const list of lists) {
    for (const element of list) {
      const current = kindOf(element)
      if (kind === undefined) {
        kind = current
        if (kind === "slice") throw patchNotApplied()
      } else if (kind !== current) {
        throw unclassifiedError(`list element types are not identical: ${goValue(lists)}`)
      }
    }
  }
  if (kind === undefined) throw unclassifiedError("no elements in any of the given slices")
  return kind
}

const asMap = (element: Json): JsonObject => {
  if (!isJsonObject(element)) throw badArgType("map[string]interface {}", element)
  return element
}

const mergeKeyOf = (element: Json, key: string): Json => {
  const map = asMap(element)
  if (!Object.hasOwn(map, key)) throw noMergeKey(map, key)
  return map[key] ?? null
}

/** findMapInSliceBasedOnKeyValue. */
const indexByKey = (list: ReadonlyArray<Json>, key: string, value: Json): number =>
  list.findIndex((element, i) => {
    if (!isJsonObject(element)) throw unclassifiedError(`value for key ${i} is not a map.`)
    return Object.hasOwn(element, key) && sameScalar(element[key], value)
  })

/** `index`: position by merge key value for maps (a missing key reads as nil), by value for scalars. */
const positionIn = (list: ReadonlyArray<Json>, item: Json, mergeKey: string, kind: GoKind): number => {
  const identity = (element: Json): Json | undefined => (kind === "map" ? (isJsonObject(element) ? element[mergeKey] : undefined) : element)
  const wanted = identity(item)
  return list.findIndex((element) => sameScalar(identity(element), wanted))
}

const isDeleteElement = (element: Json): boolean => isJsonObject(element) && element[directiveMarker] === "delete"

/** normalizeSliceOrder: sort by position in `order`; `$patch: delete` elements go last. */
const sortedBy = (items: ReadonlyArray<Json>, order: ReadonlyArray<Json>, mergeKey: string, kind: GoKind): Array<Json> => {
  let keep: ReadonlyArray<Json> = items
  let deletions: ReadonlyArray<Json> = []
  if (kind === "map") {
    for (const element of [...items, ...order]) mergeKeyOf(element, mergeKey)
    keep = items.filter((e) => !isDeleteElement(e))
    deletions = items.filter(isDeleteElement)
  }
  const sorted = [...keep].sort((a, b) => {
    const ia = positionIn(order, a, mergeKey, kind)
    const ib = positionIn(order, b, mergeKey, kind)
    // Go's comparator is inconsistent for items missing from `order`; keeping their relative order is what it yields in practice
    return ia >= 0 && ib >= 0 ? ia - ib : 0
  })
  return [...sorted, ...deletions]
}

/**
 * normalizeElementOrder + mergeSortedSlice: patch items in patch order, server-only items in server order,
 * interleaved by their server positions. Items new to the server come before the server-only ones that follow them.
 */
const interleave = (patchItems: ReadonlyArray<Json>, serverOnly: ReadonlyArray<Json>, patchOrder: ReadonlyArray<Json>, serverOrder: ReadonlyArray<Json>, mergeKey: string, kind: GoKind): Array<Json> => {
  const right = sortedBy(patchItems, patchOrder, mergeKey, kind)
  const left = sortedBy(serverOnly, serverOrder, mergeKey, kind)
  const out: Array<Json> = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    const l = left[i]
    const r = right[j]
    if (l === undefined) {
      if (r !== undefined) out.push(r)
      j++
    } else if (r === undefined) {
      out.push(l)
      i++
    } else {
      const li = positionIn(serverOrder, l, mergeKey, kind)
      const ri = positionIn(serverOrder, r, mergeKey, kind)
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push(l)
        i++
      } else {
        out.push(r)
        j++
      }
    }
  }
  return out
}

/** Splits `merged` into the items `by` mentions and the server-only rest, keeping their order. */
const partition = (merged: ReadonlyArray<Json>, by: ReadonlyArray<Json>, mergeKey: string, kind: GoKind): readonly [Array<Json>, Array<Json>] => {
  const mentioned: Array<Json> = []
  const serverOnly: Array<Json> = []
  for (const element of merged) {
    const inBy = kind === "map" ? indexByKey(by, mergeKey, mergeKeyOf(element, mergeKey)) >= 0 : by.some((b) => sameScalar(b, element))
    ;(inBy ? mentioned : serverOnly).push(element)
  }
  return [mentioned, serverOnly]
}

/** deduplicateScalars; its element shuffling is invisible once the order rules run, so first occurrences win. */
const deduplicateScalars = (values: ReadonlyArray<Json>): Array<Json> =>
  values.filter((value, i) => values.findIndex((other) => sameScalar(other, value)) === i)

interface Merger {
  readonly schema: StrategicSchema
}

/** mergeSliceWithSpecialElements: `$patch: delete` removes by merge key, `$patch: replace` makes the patch the list. */
const applySpecialElements = (original: ReadonlyArray<Json>, patch: ReadonlyArray<Json>, mergeKey: string): readonly [ReadonlyArray<Json>, ReadonlyArray<Json>] => {
  let base = original
  let replace = false
  const plain: Array<Json> = []
  for (const element of patch) {
    const map = asMap(element)
    if (!Object.hasOwn(map, directiveMarker)) {
      plain.push(element)
      continue
    }
    const directive = map[directiveMarker] ?? null
    if (directive === "delete") {
      const value = mergeKeyOf(map, mergeKey)
      base = base.filter((e, i) => {
        if (!isJsonObject(e)) throw unclassifiedError(`value for key ${i} is not a map.`)
        return !(Object.hasOwn(e, mergeKey) && sameScalar(e[mergeKey], value))
      })
    } else if (directive === "replace") replace = true
    else if (directive === "merge") throw unclassifiedError("merging lists cannot yet be specified in the patch")
    else throw badPatchType(directive, map)
  }
  return replace ? [plain.map(fromPatch), []] : [base, plain]
}

/** mergeSlice for a list whose strategy is merge. */
const mergeList = (m: Merger, original: ReadonlyArray<Json>, patch: ReadonlyArray<Json>, path: string, mergeKey: string, deleteList: boolean): Array<Json> => {
  if (original.length === 0 && patch.length === 0) return [...original]
  const kind = elementKind([original, patch])
  let base = original
  let patchItems = patch
  let merged: Array<Json>
  if (kind !== "map") {
    if (deleteList) return original.filter((v) => !patch.some((d) => sameScalar(d, v)))
    merged = deduplicateScalars([...original, ...patch])
  } else {
    if (mergeKey === "") throw unclassifiedError("cannot merge lists without merge key for type string")
    ;[base, patchItems] = applySpecialElements(original, patch, mergeKey)
    merged = [...base]
    for (const element of patchItems) {
      const map = asMap(element)
      const at = indexByKey(merged, mergeKey, mergeKeyOf(map, mergeKey))
      const existing = at >= 0 ? merged[at] : undefined
      if (at >= 0 && isJsonObject(existing)) merged[at] = mergeMap(m, existing, map, `${path}[]`)
      else merged.push(fromPatch(map))
    }
  }
  const [mentioned, serverOnly] = partition(merged, patchItems, mergeKey, kind)
  return interleave(mentioned, serverOnly, patchItems, base, mergeKey, kind)
}

/** mergeSliceHandler: merge lists merge, every other list is replaced by the patch. */
const mergeListField = (m: Merger, original: ReadonlyArray<Json>, patch: ReadonlyArray<Json>, path: string, deleteList: boolean): Array<Json> => {
  const strategy = m.schema[path]
  return strategy?.strategy === "merge" ? mergeList(m, original, patch, path, strategy.key ?? "", deleteList) : patch.map(fromPatch)
}

/** applyRetainKeysDirective: keys outside `$retainKeys` are cleared, and the patch may only set retained keys. */
const applyRetainKeys = (out: Record<string, Json>, rest: Record<string, Json>): void => {
  if (!Object.hasOwn(rest, retainKeysDirective)) return
  const list = rest[retainKeysDirective]
  delete rest[retainKeysDirective]
  if (!isJsonArray(list)) throw badRetainKeys()
  const retained = new Set(list.filter((k): k is string => typeof k === "string"))
  for (const [key, value] of Object.entries(rest)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue
    if (!retained.has(key)) throw badRetainKeys()
  }
  for (const key of Object.keys(out)) if (!retained.has(key)) delete out[key]
}

/** validatePatchWithSetOrderList: the patch items (deletions aside) must appear in the order list, in its order. */
const checkOrderList = (patchList: ReadonlyArray<Json>, order: ReadonlyArray<Json>, mergeKey: string): void => {
  if (order.length === 0 || patchList.length === 0) return
  const items = mergeKey === "" ? patchList : patchList.filter((e) => !isDeleteElement(asMap(e)))
  let p = 0
  let o = 0
  while (p < items.length && o < order.length) {
    const item = items[p] ?? null
    if (isJsonObject(item) && Object.hasOwn(item, directiveMarker)) {
      p++
      continue
    }
    const equal = mergeKey === "" ? sameScalar(item, order[o]) : sameScalar(mergeKeyOf(item, mergeKey), mergeKeyOf(order[o] ?? null, mergeKey))
    if (equal) p++
    o++
  }
  if (p < items.length) {
    throw unclassifiedError(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goValue(order)}\n`)
  }
}

/** mergePatchIntoOriginal: each `$setElementOrder/<field>` merges that list now and imposes the given order. */
const applySetElementOrder = (m: Merger, out: Record<string, Json>, rest: Record<string, Json>, path: string): void => {
  for (const [key, order] of Object.entries(rest)) {
    if (!key.startsWith(setElementOrderPrefix)) continue
    delete rest[key]
    if (!isJsonArray(order)) throw badArgType("[]interface {}", order)
    const field = directiveField(key, setElementOrderPrefix)
    const foundOriginal = Object.hasOwn(out, field)
    const foundPatch = Object.hasOwn(rest, field)
    const originalValue = out[field]
    const patchValue = rest[field]
    if (foundOriginal && !isJsonArray(originalValue)) throw badArgType("[]interface {}", originalValue)
    if (foundPatch && !isJsonArray(patchValue)) throw badArgType("[]interface {}", patchValue)
    const original = isJsonArray(originalValue) ? originalValue : []
    const patch = isJsonArray(patchValue) ? patchValue : []
    const listPath = childPath(path, field)
    const mergeKey = m.schema[listPath]?.key ?? ""
    checkOrderList(patch, order, mergeKey)
    if (!foundOriginal && !foundPatch) continue
    const merged = foundOriginal && foundPatch ? mergeListField(m, original, patch, listPath, false) : foundPatch ? patch.map(fromPatch) : original
    const kind = elementKind([original, patch])
    const [mentioned, serverOnly] = partition(merged, order, mergeKey, kind)
    put(out, field, interleave(mentioned, serverOnly, order, original, mergeKey, kind))
    delete rest[field]
  }
}

/** `$patch` on a map: `replace` takes the patch as the whole map, `delete` leaves an empty map. */
const mapDirective = (patch: JsonObject): JsonObject => {
  const directive = patch[directiveMarker] ?? null
  if (directive === "replace") return asMap(fromPatch(patch))
  if (directive === "delete") return {}
  throw badPatchType(directive, patch)
}

const mergeMap = (m: Merger, original: JsonObject, patch: JsonObject, path: string): JsonObject => {
  if (Object.hasOwn(patch, directiveMarker)) return mapDirective(patch)
  const out: Record<string, Json> = { ...original }
  const rest: Record<string, Json> = { ...patch }
  applyRetainKeys(out, rest)
  applySetElementOrder(m, out, rest, path)
  for (const [rawKey, patchValue] of Object.entries(rest)) {
    const deleteList = rawKey.startsWith(deleteFromPrimitiveListPrefix)
    const key = deleteList ? directiveField(rawKey, deleteFromPrimitiveListPrefix) : rawKey
    if (patchValue === null) {
      delete out[key]
      continue
    }
    const current = Object.hasOwn(out, key) ? out[key] : undefined
    // a key the object lacks (or holds with another type) takes the patch value, even a `$deleteFromPrimitiveList` one
    if (current === undefined || kindOf(current) !== kindOf(patchValue)) {
      put(out, key, fromPatch(patchValue))
      continue
    }
    const fieldPath = childPath(path, key)
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      put(out, key, m.schema[fieldPath]?.strategy === "replace" ? fromPatch(patchValue) : mergeMap(m, current, patchValue, fieldPath))
    } else if (isJsonArray(current) && isJsonArray(patchValue)) {
      put(out, key, mergeListField(m, current, patchValue, fieldPath, deleteList))
    } else {
      put(out, key, patchValue)
    }
  }
  return out
}

/** Applies a strategic merge patch to `target` under `schema`; neither argument is mutated. */
export const strategicMergePatch = (target: JsonObject, patch: JsonObject, schema: StrategicSchema): JsonObject =>
  mergeMap({ schema }, target, patch, "")
