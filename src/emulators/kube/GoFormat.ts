import { isJsonArray, type Json } from "../Json.ts"

/**
 * Go's fmt verbs as kube-apiserver applies them to decoded JSON (`interface{}` values), so error messages the
 * emulator builds from request bodies read exactly like the real server's.
 */

const namedEscapes: Readonly<Record<string, string>> = {
  "\u0007": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\u000b": "\\v",
  "\\": "\\\\",
  "\"": "\\\""
}

/** `%q` of a string (strconv.Quote); non-ASCII text is kept as is, as Go does for printable runes. */
export const goQuote = (text: string): string => {
  let out = "\""
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    const named = namedEscapes[ch]
    if (named !== undefined) out += named
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`
    else out += ch
  }
  return `${out}"`
}

/** `%v` of a float64: shortest digits, exponent form from 1e+06 and below 1e-04 (strconv 'g', precision -1). */
export const goFloat = (value: number): string => {
  if (Number.isNaN(value)) return "NaN"
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf"
  if (value === 0) return Object.is(value, -0) ? "-0" : "0"
  const [mantissa = "", exponentText = "0"] = value.toExponential().split("e")
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? "-" : "+"
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`
  }
  return String(value)
}

/** `%v` of a decoded JSON value: `map[k:v ...]` with sorted keys, `[a b]`, `<nil>`. */
export const goValue = (value: Json): string => {
  if (value === null) return "<nil>"
  if (typeof value === "string") return value
  if (typeof value === "number") return goFloat(value)
  if (typeof value === "boolean") return String(value)
  if (isJsonArray(value)) return `[${value.map(goValue).join(" ")}]`
  const keys = Object.keys(value).sort()
  return `map[${keys.map((key) => `${key}:${goValue(value[key] ?? null)}`).join(" ")}]`
}

/** reflect.TypeOf(...).String() of a decoded JSON value. */
export const goTypeName = (value: Json | undefined): string => {
  if (value === null || value === undefined) return "<nil>"
  if (typeof value === "string") return "string"
  if (typeof value === "number") return "float64"
  if (typeof value === "boolean") return "bool"
  return Array.isArray(value) ? "[]interface {}" : "map[string]interface {}"
}

/** The JSON kind encoding/json names in UnmarshalTypeError (`cannot unmarshal object into ...`). */
export const jsonKindName = (value: Json): string => {
  if (value === null) return "null"
  if (typeof value === "boolean") return "bool"
  if (typeof value === "number") return "number"
  if (typeof value === "string") return "string"
  return Array.isArray(value) ? "array" : "object"
}

/**
 * time.Time.String() of an RFC 3339 timestamp in UTC (`2006-01-02 15:04:05.999999999 +0000 UTC`), as metav1.Time
 * and MicroTime print inside field errors. The fraction is kept digit for digit (a Date would lose microseconds).
 */
export const goTime = (text: string): string => {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text)
  const date = match === null ? undefined : new Date(`${match[1] ?? ""}${match[3] ?? ""}`)
  if (match === null || date === undefined || Number.isNaN(date.getTime())) return goQuote(text)
  const fraction = (match[2] ?? "").replace(/\.?0+$/, "")
  return `${date.toISOString().slice(0, 19).replace("T", " ")}${fraction} +0000 UTC`
}
