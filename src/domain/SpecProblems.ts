import { Schema } from "effect"

/** One thing wrong with an ExposedAPI: the field, as a path from the resource root, and what to write instead. */
export const SpecProblem = Schema.Struct({ field: Schema.String, message: Schema.String })
export type SpecProblem = typeof SpecProblem.Type

/**
 * The ExposedAPI cannot be published as written. Not retryable: only an edit of the resource can fix it, and the
 * edit triggers a new reconcile. Carries every problem found, so one round trip fixes them all.
 */
export class InvalidSpec extends Schema.TaggedError<InvalidSpec>()("InvalidSpec", {
  problems: Schema.NonEmptyArray(SpecProblem)
}) {
  override get message(): string {
    const listed = this.problems.map((problem) => `${problem.field} ${problem.message}`).join("; ")
    return this.problems.length === 1 ? `invalid spec: ${listed}` : `invalid spec (${this.problems.length} problems): ${listed}`
  }

  get retryable(): boolean {
    return false
  }
}

/** Collects problems while a resource is read, so that reading continues past the first one. */
export class Problems {
  readonly #found: Array<SpecProblem> = []

  report(field: string, message: string): undefined {
    this.#found.push({ field, message })
    return undefined
  }

  get list(): ReadonlyArray<SpecProblem> {
    return this.#found
  }

  /** The InvalidSpec to fail with, or undefined when nothing was reported. */
  toError(): InvalidSpec | undefined {
    const [first, ...rest] = this.#found
    return first === undefined ? undefined : new InvalidSpec({ problems: [first, ...rest] })
  }
}

const MAX_SHOWN = 60

/**
 * JSON quoting, plus what JSON leaves raw but terminals and log viewers treat as controls: DEL and C1, line and
 * paragraph separators, zero-width and bidirectional formatting characters, the byte-order mark.
 */
const INVISIBLE = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g
const quote = (text: string): string =>
  JSON.stringify(text).replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)

/**
 * How a value that was not accepted reads in a message: strings quoted and escaped (control characters stay
 * visible and cannot forge log lines or Event text), long values shortened, structures named rather than dumped.
 */
export const describeValue = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`
  switch (typeof value) {
    case "string":
      return value.length <= MAX_SHOWN ? quote(value) : `${quote(value.slice(0, MAX_SHOWN))}… (${value.length} characters)`
    case "number":
    case "boolean":
      return String(value)
    case "object":
      return "an object"
    default:
      return typeof value
  }
}
