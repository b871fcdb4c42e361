import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { goQuote } from "./GoFormat.ts"
import {
  invalidText,
  labelKeyErrors,
  newRequirement,
  nothing,
  parseInt64,
  SelectorError,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector
} from "./LabelRequirement.ts"
import { badRequest } from "./Status.ts"

/**
 * Label selectors as kube-apiserver parses and matches them: a port of k8s.io/apimachinery/pkg/labels/selector.go
 * (lexer, parser, Matches, String) and metav1.LabelSelectorAsSelector. Parse errors become 400 BadRequest with the
 * library's own text, as handlers/get.go does (`errors.NewBadRequest(err.Error())`).
 */

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
