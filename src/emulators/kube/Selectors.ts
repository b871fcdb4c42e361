import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { goQuote } from "./GoFormat.ts"
import { badRequest, type StatusError } from "./Status.ts"

/**
 * Label and field selectors as kube-apiserver parses and matches them: a port of
 * k8s.io/apimachinery/pkg/labels/selector.go (lexer, parser, NewRequirement validation, Matches) and
 * pkg/fields/selector.go (splitTerms, splitTerm, UnescapeValue). Parse errors become 400 BadRequest with the
 * library's own text, as handlers/get.go does (`errors.NewBadRequest(err.Error())`).
 */

// ---- label selectors ----

/** selection.Operator values. */
export type LabelOperator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt"

export interface LabelRequirement {
  readonly key: string
  readonly operator: LabelOperator
  readonly values: ReadonlyArray<string>
}

export interface LabelSelector {
  readonly requirements: ReadonlyArray<LabelRequirement>
  /** labels.Nothing(): what a nil metav1.LabelSelector converts to. */
  readonly matchesNothing: boolean
}

export const everything: LabelSelector = { requirements: [], matchesNothing: false }
export const nothing: LabelSelector = { requirements: [], matchesNothing: true }

/** A failure inside the port, carrying the Go error text; converted to a Status at the exported edges. */
class SelectorError extends Error {}

// validate/content/kube.go, dns.go, errors.go (the wording of current kube-apiserver releases)
const labelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
const labelKeyPattern = new RegExp(`^${labelKeyFormat}$`)
const labelKeyMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const labelValueFormat = `(${labelKeyFormat})?`
const labelValuePattern = new RegExp(`^${labelValueFormat}$`)
const subdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
const subdomainPattern = new RegExp(`^${subdomainFormat}$`)

const regexError = (message: string, format: string, ...examples: ReadonlyArray<string>): string =>
  examples.length === 0
    ? `${message} (regex used for validation is '${format}')`
    : `${message} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${format}')`

const byteLength = (text: string): number => Buffer.byteLength(text, "utf8")
const maxLength = (limit: number): string => `must be no more than ${limit} bytes`

const labelKeyErrors = (key: string): ReadonlyArray<string> => {
  const errors: Array<string> = []
  const parts = key.split("/")
  let name: string
  if (parts.length === 1) {
    name = parts[0] ?? ""
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? ""
    name = parts[1] ?? ""
    if (prefix === "") errors.push("prefix part must be non-empty")
    else {
      if (byteLength(prefix) > 253) errors.push(`prefix part ${maxLength(253)}`)
      if (!subdomainPattern.test(prefix)) {
        errors.push(`prefix part ${regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", subdomainFormat, "example.com")}`)
      }
    }
  } else {
    return [`a valid label key ${regexError(labelKeyMessage, labelKeyFormat, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  }
  if (name === "") errors.push("name part must be non-empty")
  else if (byteLength(name) > 63) errors.push(`name part ${maxLength(63)}`)
  if (!labelKeyPattern.test(name)) errors.push(`name part ${regexError(labelKeyMessage, labelKeyFormat, "MyName", "my.name", "123-abc")}`)
  return errors
}

const labelValueErrors = (value: string): ReadonlyArray<string> => {
  const errors: Array<string> = []
  if (byteLength(value) > 63) errors.push(maxLength(63))
  if (!labelValuePattern.test(value)) {
    errors.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFormat, "MyValue", "my_value", "12345"))
  }
  return errors
}

/** field.Invalid(...).Error() for a string value. */
const invalidText = (field: string, value: string, detail: string): string => `${field}: Invalid value: ${goQuote(value)}: ${detail}`

/** `%#v` of a []string, as field.Invalid renders a bad value list. */
const goStrings = (values: ReadonlyArray<string>): string => `[]string{${values.map(goQuote).join(", ")}}`

const int64Pattern = /^[+-]?[0-9]+$/
const parseInt64 = (text: string): bigint | undefined => {
  if (!int64Pattern.test(text)) return undefined
  const value = BigInt(text)
  return value > 9223372036854775807n || value < -9223372036854775808n ? undefined : value
}

/** labels.NewRequirement: every violated rule, aggregated like utilerrors.NewAggregate (deduplicated, `[a, b]`). */
const newRequirement = (key: string, operator: LabelOperator, values: ReadonlyArray<string>): LabelRequirement => {
  const errors: Array<string> = []
  const keyErrors = labelKeyErrors(key)
  if (keyErrors.length > 0) errors.push(invalidText("key", key, keyErrors.join("; ")))
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) errors.push(`values: Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty`)
      break
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) errors.push(`values: Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`)
      break
    case "exists":
    case "!":
      if (values.length !== 0) errors.push(`values: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`)
      break
    case "gt":
    case "lt":
      if (values.length !== 1) errors.push(`values: Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`)
      values.forEach((value, i) => {
        if (parseInt64(value) === undefined) errors.push(invalidText(`values[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"))
      })
      break
  }
  values.forEach((value, i) => {
    const valueErrors = labelValueErrors(value)
    if (valueErrors.length > 0) errors.push(invalidText(`values[${i}][${key}]`, value, valueErrors.join("; ")))
  })
  const distinct = [...new Set(errors)]
  if (distinct.length === 1) throw new SelectorError(distinct[0])
  if (distinct.length > 1) throw new SelectorError(`[${distinct.join(", ")}]`)
  return { key, operator, values }
}

// ---- the lexer and parser of labels.Parse ----

type Token = "error" | "end" | ")" | "," | "!" | "==" | "=" | ">" | "identifier" | "in" | "<" | "!=" | "notin" | "("

const literalTokens: ReadonlyMap<string, Token> = new Map<string, Token>([
  [")", ")"], [",", ","], ["!", "!"], ["==", "=="], ["=", "="], [">", ">"],
  ["in", "in"], ["<", "<"], ["!=", "!="], ["notin", "notin"], ["(", "("]
])

interface Scanned {
  readonly token: Token
  readonly literal: string
}

const isWhitespace = (ch: string): boolean => ch === " " || ch === "\t" || ch === "\r" || ch === "\n"
const isSpecialSymbol = (ch: string): boolean => ch.length === 1 && "=!(),><".includes(ch)
/** Go's lexer reads bytes and treats a 0 byte (or the end) as the end of input. */
const end = "\0"

const scan = (text: string): ReadonlyArray<Scanned> => {
  let pos = 0
  const read = (): string => (pos < text.length ? text.charAt(pos++) : end)
  const unread = (): void => {
    pos--
  }
  const identifierOrKeyword = (): Scanned => {
    let buffer = ""
    for (;;) {
      const ch = read()
      if (ch === end) break
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        unread()
        break
      }
      buffer += ch
    }
    return { token: literalTokens.get(buffer) ?? "identifier", literal: buffer }
  }
  const specialSymbol = (): Scanned => {
    let last: Scanned | undefined
    let buffer = ""
    for (;;) {
      const ch = read()
      if (ch === end) break
      if (!isSpecialSymbol(ch)) {
        unread()
        break
      }
      buffer += ch
      const token = literalTokens.get(buffer)
      if (token !== undefined) last = { token, literal: buffer }
      else if (last !== undefined) {
        unread()
        break
      }
    }
    return last ?? { token: "error", literal: `error expected: keyword found '${buffer}'` }
  }
  const items: Array<Scanned> = []
  for (;;) {
    let ch = read()
    while (isWhitespace(ch)) ch = read()
    let item: Scanned
    if (ch === end) item = { token: "end", literal: "" }
    else {
      unread()
      item = isSpecialSymbol(ch) ? specialSymbol() : identifierOrKeyword()
    }
    items.push(item)
    if (item.token === "end") return items
  }
}

/** In the Values context the keywords `in`/`notin` are plain identifiers (`x in (in)`). */
type Context = "keyAndOperator" | "values"

const binaryOperators = "in, notin, =, ==, !=, gt, lt"

class Parser {
  private readonly items: ReadonlyArray<Scanned>
  private position = 0
  constructor(text: string) {
    this.items = scan(text)
  }

  private at(index: number, context: Context): Scanned {
    const item = this.items[Math.min(index, this.items.length - 1)] ?? { token: "end", literal: "" }
    return context === "values" && (item.token === "in" || item.token === "notin") ? { token: "identifier", literal: item.literal } : item
  }
  private lookahead(context: Context): Scanned {
    return this.at(this.position, context)
  }
  private consume(context: Context): Scanned {
    return this.at(this.position++, context)
  }

  parse(): Array<LabelRequirement> {
    const requirements: Array<LabelRequirement> = []
    for (;;) {
      const { token, literal } = this.lookahead("values")
      if (token === "end") return requirements
      if (token !== "identifier" && token !== "!") throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`)
      try {
        requirements.push(this.requirement())
      } catch (e) {
        throw e instanceof SelectorError ? new SelectorError(`unable to parse requirement: ${e.message}`) : e
      }
      const next = this.consume("values")
      if (next.token === "end") return requirements
      if (next.token !== ",") throw new SelectorError(`found '${next.literal}', expected: ',' or 'end of string'`)
      const after = this.lookahead("values")
      if (after.token !== "identifier" && after.token !== "!") throw new SelectorError(`found '${after.literal}', expected: identifier after ','`)
    }
  }

  private requirement(): LabelRequirement {
    let inferred: LabelOperator | undefined
    let { token, literal } = this.consume("values")
    if (token === "!") {
      inferred = "!"
      ;({ token, literal } = this.consume("values"))
    }
    if (token !== "identifier") throw new SelectorError(`found '${literal}', expected: identifier`)
    const keyErrors = labelKeyErrors(literal)
    // validated with the parser's nil field.Path, hence the `<nil>` prefix real servers print
    if (keyErrors.length > 0) throw new SelectorError(invalidText("<nil>", literal, keyErrors.join("; ")))
    const key = literal
    const following = this.lookahead("values").token
    if (inferred === undefined && (following === "end" || following === ",")) inferred = "exists"
    if (inferred !== undefined) return newRequirement(key, inferred, [])
    const operator = this.operator()
    const values = operator === "in" || operator === "notin" ? this.valueSet() : this.exactValue()
    // sets.String.List(): deduplicated and sorted
    return newRequirement(key, operator, [...new Set(values)].sort())
  }

  private operator(): LabelOperator {
    const { token, literal } = this.consume("keyAndOperator")
    switch (token) {
      case "in":
      case "notin":
      case "=":
      case "==":
      case "!=":
        return token
      case ">":
        return "gt"
      case "<":
        return "lt"
      default:
        throw new SelectorError(`found '${literal}', expected: ${binaryOperators}`)
    }
  }

  private valueSet(): Array<string> {
    const open = this.consume("values")
    if (open.token !== "(") throw new SelectorError(`found '${open.literal}' expected: '('`)
    const { token, literal } = this.lookahead("values")
    if (token === ")") {
      this.consume("values")
      return [""]
    }
    if (token !== "identifier" && token !== ",") throw new SelectorError(`found '${literal}', expected: ',', ')' or identifier`)
    const values = this.identifiers()
    if (this.consume("values").token !== ")") throw new SelectorError(`found '${literal}', expected: ')'`)
    return values
  }

  /** A possibly empty list of possibly empty identifiers: `(a,,b)`, `(,a)` and `(a,)` all contain "". */
  private identifiers(): Array<string> {
    const values = new Set<string>()
    for (;;) {
      const { token, literal } = this.consume("values")
      if (token === "identifier") {
        values.add(literal)
        const next = this.lookahead("values")
        if (next.token === ",") continue
        if (next.token === ")") return [...values]
        throw new SelectorError(`found '${next.literal}', expected: ',' or ')'`)
      }
      if (token !== ",") throw new SelectorError(`found '${literal}', expected: ',', or identifier`)
      if (values.size === 0) values.add("")
      const next = this.lookahead("values").token
      if (next === ")") {
        values.add("")
        return [...values]
      }
      if (next === ",") values.add("")
    }
  }

  private exactValue(): Array<string> {
    const next = this.lookahead("values").token
    if (next === "end" || next === ",") return [""]
    const { token, literal } = this.consume("values")
    if (token === "identifier") return [literal]
    throw new SelectorError(`found '${literal}', expected: identifier`)
  }
}

const byKey = (a: LabelRequirement, b: LabelRequirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

const asBadRequest = <A>(run: () => A): A => {
  try {
    return run()
  } catch (e) {
    throw e instanceof SelectorError ? badRequest(e.message) : e
  }
}

/** labels.Parse; the empty string selects everything. Syntax and validation errors are 400 BadRequest. */
export const parseLabelSelector = (text: string): LabelSelector =>
  asBadRequest(() => ({ requirements: new Parser(text).parse().sort(byKey), matchesNothing: false }))

const requirementMatches = (requirement: LabelRequirement, labels: Readonly<Record<string, string>>): boolean => {
  const present = Object.hasOwn(labels, requirement.key)
  const value = labels[requirement.key]
  switch (requirement.operator) {
    case "in":
    case "=":
    case "==":
      return present && value !== undefined && requirement.values.includes(value)
    case "notin":
    case "!=":
      // like Kubernetes, objects without the label match
      return !present || value === undefined || !requirement.values.includes(value)
    case "exists":
      return present
    case "!":
      return !present
    case "gt":
    case "lt": {
      const actual = present && value !== undefined ? parseInt64(value) : undefined
      const bound = requirement.values.length === 1 ? parseInt64(requirement.values[0] ?? "") : undefined
      if (actual === undefined || bound === undefined) return false
      return requirement.operator === "gt" ? actual > bound : actual < bound
    }
  }
}

export const matchesLabels = (selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean =>
  !selector.matchesNothing && selector.requirements.every((r) => requirementMatches(r, labels ?? {}))

const requirementText = (r: LabelRequirement): string => {
  const values = r.values.length === 1 ? (r.values[0] ?? "") : [...r.values].sort().join(",")
  switch (r.operator) {
    case "exists":
      return r.key
    case "!":
      return `!${r.key}`
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${values})`
    case "gt":
      return `${r.key}>${values}`
    case "lt":
      return `${r.key}<${values}`
    default:
      return `${r.key}${r.operator}${values}`
  }
}

/** Selector.String(): the canonical text (requirements sorted by key, set values sorted). */
export const formatLabelSelector = (selector: LabelSelector): string => selector.requirements.map(requirementText).join(",")

const stringList = (value: Json | undefined, what: string): ReadonlyArray<string> => {
  if (value === undefined || value === null) return []
  if (isJsonArray(value) && value.every((v) => typeof v === "string")) return value.filter((v): v is string => typeof v === "string")
  throw badRequest(`${what} must be a list of strings`)
}

const expressionOperators: Readonly<Record<string, LabelOperator>> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" }

/**
 * metav1.LabelSelectorAsSelector: `matchLabels` as `=` requirements plus `matchExpressions`
 * (In/NotIn/Exists/DoesNotExist). A missing selector selects nothing; an empty one selects everything.
 */
export const labelSelectorFromObject = (selector: JsonObject | null | undefined): LabelSelector =>
  asBadRequest(() => {
    if (selector === null || selector === undefined) return nothing
    const matchLabels = selector["matchLabels"] ?? null
    const matchExpressions = selector["matchExpressions"] ?? null
    if (matchLabels !== null && !isJsonObject(matchLabels)) throw badRequest("matchLabels must be a map of strings")
    if (matchExpressions !== null && !isJsonArray(matchExpressions)) throw badRequest("matchExpressions must be a list")
    const requirements: Array<LabelRequirement> = []
    for (const [key, value] of Object.entries(matchLabels ?? {})) {
      if (typeof value !== "string") throw badRequest(`matchLabels.${key} must be a string`)
      requirements.push(newRequirement(key, "=", [value]))
    }
    for (const expression of matchExpressions ?? []) {
      if (!isJsonObject(expression)) throw badRequest("matchExpressions entries must be objects")
      const operatorText = typeof expression["operator"] === "string" ? expression["operator"] : ""
      const operator = Object.hasOwn(expressionOperators, operatorText) ? expressionOperators[operatorText] : undefined
      if (operator === undefined) throw new SelectorError(`${goQuote(operatorText)} is not a valid label selector operator`)
      const key = typeof expression["key"] === "string" ? expression["key"] : ""
      requirements.push(newRequirement(key, operator, stringList(expression["values"], "matchExpressions.values")))
    }
    return { requirements: requirements.sort(byKey), matchesNothing: false }
  })

// ---- field selectors ----

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
