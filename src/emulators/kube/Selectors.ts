import { goQuote } from "./GoFormat.ts"
import { badRequest, type StatusError } from "./Status.ts"

/**
 * Label and field selectors as kube-apiserver parses and matches them. Field selectors are a port of
 * k8s.io/apimachinery/pkg/fields/selector.go (splitTerms, splitTerm, UnescapeValue); errors are 400 BadRequest
 * with the library's own text. Label selectors live in LabelSelector.ts and are re-exported here.
 */
export {
  formatLabelSelector,
  labelSelectorFromObject,
  matchesLabels,
  parseLabelSelector
} from "./LabelSelector.ts"
export { everything, nothing, type LabelOperator, type LabelRequirement, type LabelSelector } from "./LabelRequirement.ts"

export type FieldOperator = "=" | "==" | "!="

export interface FieldRequirement {
  readonly field: string
  readonly operator: FieldOperator
  readonly value: string
}

export interface FieldSelector {
  readonly requirements: ReadonlyArray<FieldRequirement>
}

/** Comma-separated terms; a backslash-escaped comma is data and keeps its backslash for UnescapeValue. */
const splitTerms = (text: string): ReadonlyArray<string> => {
  if (text === "") return []
  const terms: Array<string> = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i)
    if (inSlash) inSlash = false
    else if (ch === "\\") inSlash = true
    else if (ch === ",") {
      terms.push(text.slice(start, i))
      start = i + 1
    }
  }
  terms.push(text.slice(start))
  return terms
}

/** The first operator occurrence splits the term; `!=` and `==` are tried before `=`. No escaping on the left. */
const splitTerm = (term: string): FieldRequirement | undefined => {
  for (let i = 0; i < term.length; i++) {
    for (const operator of ["!=", "==", "="] as const) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) }
    }
  }
  return undefined
}

const unescapeValue = (value: string): string => {
  let out = ""
  let inSlash = false
  for (const ch of value) {
    if (inSlash) {
      if (ch !== "\\" && ch !== "," && ch !== "=") throw badRequest(`invalid field selector: invalid escape sequence: \\${ch}`)
      out += ch
      inSlash = false
    } else if (ch === "\\") inSlash = true
    // Go prints the rune with %v: its code point number
    else if (ch === "," || ch === "=") throw badRequest(`invalid field selector: unescaped character in value: ${ch.codePointAt(0) ?? 0}`)
    else out += ch
  }
  if (inSlash) throw badRequest("invalid field selector: invalid escape sequence: \\")
  return out
}

/** fields.ParseSelector; the empty string selects everything. Errors are 400 BadRequest. */
export const parseFieldSelector = (text: string): FieldSelector => {
  const requirements: Array<FieldRequirement> = []
  for (const term of [...splitTerms(text)].sort()) {
    if (term === "") continue
    const requirement = splitTerm(term)
    if (requirement === undefined) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`)
    requirements.push({ ...requirement, value: unescapeValue(requirement.value) })
  }
  return { requirements }
}

/** The field labels a selector uses, in order, each once. */
export const fieldSelectorFields = (selector: FieldSelector): ReadonlyArray<string> => [...new Set(selector.requirements.map((r) => r.field))]

/** A field the object does not have compares as "", as fields.Set.Get does. */
export const matchesFields = (selector: FieldSelector, valueOf: (field: string) => string | undefined): boolean =>
  selector.requirements.every((r) => ((valueOf(r.field) ?? "") === r.value) === (r.operator !== "!="))

/**
 * How the resource type rejects a field label it does not support: `registered` for types with their own field
 * label conversion (core Events, Namespaces, Secrets, Pods and every custom resource), `metav1Default` for
 * built-ins without one (Ingress, ConfigMap, Lease, ...), which fall back to runtime.DefaultMetaV1FieldSelectorConversion.
 */
export type FieldLabelConvention = "registered" | "metav1Default"

export const unsupportedFieldLabel = (field: string, convention: FieldLabelConvention = "registered"): StatusError =>
  badRequest(
    convention === "registered"
      ? `field label not supported: ${field}`
      : `${goQuote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`
  )
