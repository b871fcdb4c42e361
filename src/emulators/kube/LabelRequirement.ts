import { goQuote } from "./GoFormat.ts"

/**
 * Label requirements as k8s.io/apimachinery/pkg/labels builds them: labels.NewRequirement with its validation of
 * keys and values (validate/content, the wording of current kube-apiserver releases), errors aggregated like
 * utilerrors.NewAggregate.
 */

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
export class SelectorError extends Error {}

// validate/content/kube.go, dns.go, errors.go
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

export const labelKeyErrors = (key: string): ReadonlyArray<string> => {
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
export const invalidText = (field: string, value: string, detail: string): string => `${field}: Invalid value: ${goQuote(value)}: ${detail}`

/** `%#v` of a []string, as field.Invalid renders a bad value list. */
const goStrings = (values: ReadonlyArray<string>): string => `[]string{${values.map(goQuote).join(", ")}}`

const int64Pattern = /^[+-]?[0-9]+$/
export const parseInt64 = (text: string): bigint | undefined => {
  if (!int64Pattern.test(text)) return undefined
  const value = BigInt(text)
  return value > 9223372036854775807n || value < -9223372036854775808n ? undefined : value
}

/** labels.NewRequirement: every violated rule, aggregated like utilerrors.NewAggregate (deduplicated, `[a, b]`). */
export const newRequirement = (key: string, operator: LabelOperator, values: ReadonlyArray<string>): LabelRequirement => {
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
