import type { Json, JsonObject } from "../Json.ts"
import { labelsOf, nameOf, namespaceOf } from "./ObjectMeta.ts"
import type { ResourceType } from "./ResourceType.ts"
import {
  fieldSelectorFields,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  unsupportedFieldLabel
} from "./Selectors.ts"
import { badRequest } from "./Status.ts"

/** What a list or watch selects: namespace, labels and fields, compiled once per request. */
export interface Selection {
  readonly namespace?: string | undefined
  readonly labelSelector?: string | undefined
  readonly fieldSelector?: string | undefined
}

const fieldText = (value: Json | undefined): string | undefined => {
  if (value === undefined || value === null) return undefined
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value)
}

/** Compiles a selection into a predicate over stored objects; unknown field labels are a 400, as on a real server. */
export const compileSelection = (type: ResourceType, selection: Selection): ((object: JsonObject) => boolean) => {
  const labels = selection.labelSelector === undefined || selection.labelSelector === ""
    ? undefined
    : parseLabelSelector(selection.labelSelector)
  const fields = selection.fieldSelector === undefined || selection.fieldSelector === ""
    ? undefined
    : parseFieldSelector(selection.fieldSelector)
  if (fields !== undefined) {
    for (const field of fieldSelectorFields(fields)) {
      const known = field === "metadata.name" || (field === "metadata.namespace" && type.namespaced) || type.fieldLabels[field] !== undefined
      // kinds without a field-label conversion of their own answer with metav1's default message
      if (!known) throw unsupportedFieldLabel(field, type.custom || Object.keys(type.fieldLabels).length > 0 ? "registered" : "metav1Default")
    }
  }
  const namespace = selection.namespace
  const valueOf = (object: JsonObject) => (field: string): string | undefined => {
    if (field === "metadata.name") return nameOf(object)
    if (field === "metadata.namespace") return namespaceOf(object)
    const read = type.fieldLabels[field]
    return read === undefined ? undefined : fieldText(read(object))
  }
  return (object) =>
    (namespace === undefined || namespace === "" || namespaceOf(object) === namespace) &&
    (labels === undefined || matchesLabels(labels, labelsOf(object))) &&
    (fields === undefined || matchesFields(fields, valueOf(object)))
}

/** etcd key order: namespace, then name. */
export const byNamespaceThenName = (a: JsonObject, b: JsonObject): number => {
  const na = namespaceOf(a)
  const nb = namespaceOf(b)
  if (na !== nb) return na < nb ? -1 : 1
  const ma = nameOf(a)
  const mb = nameOf(b)
  return ma === mb ? 0 : ma < mb ? -1 : 1
}

interface ContinueToken {
  readonly rv: string
  readonly after: string
}

const keyOf = (object: JsonObject): string => `${namespaceOf(object)}/${nameOf(object)}`

const encodeToken = (token: ContinueToken): string => Buffer.from(JSON.stringify(token)).toString("base64url")

const decodeToken = (text: string): ContinueToken => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
    if (typeof parsed === "object" && parsed !== null && "rv" in parsed && "after" in parsed) {
      const { rv, after } = parsed
      if (typeof rv === "string" && typeof after === "string") return { rv, after }
    }
  } catch {
    // fall through to the apiserver's error
  }
  throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
}

export interface Page {
  readonly items: ReadonlyArray<JsonObject>
  readonly resourceVersion: string
  readonly continueToken: string | undefined
  readonly remainingItemCount: number | undefined
}

/** `limit` + opaque `continue`, with the first page's resourceVersion kept across pages. */
export const paginate = (
  sorted: ReadonlyArray<JsonObject>,
  currentResourceVersion: string,
  limit: number | undefined,
  continueText: string | undefined
): Page => {
  const token = continueText === undefined || continueText === "" ? undefined : decodeToken(continueText)
  const startIndex = token === undefined ? 0 : sorted.findIndex((o) => keyOf(o) > token.after)
  const rest = startIndex < 0 ? [] : sorted.slice(startIndex)
  const resourceVersion = token?.rv ?? currentResourceVersion
  if (limit === undefined || limit <= 0 || rest.length <= limit) {
    return { items: rest, resourceVersion, continueToken: undefined, remainingItemCount: undefined }
  }
  const items = rest.slice(0, limit)
  const last = items[items.length - 1]
  return {
    items,
    resourceVersion,
    continueToken: last === undefined ? undefined : encodeToken({ rv: resourceVersion, after: keyOf(last) }),
    remainingItemCount: rest.length - limit
  }
}
