import { isIPv6 } from "node:net"

/**
 * The `format`s kube-apiserver checks in custom resources. The CRD schema is post-processed by
 * apiextensions-apiserver pkg/apiserver/validation/formats.go StripUnsupportedFormatsPostProcessorForVersion:
 * formats outside the supported list (the ODA CRD's `format: url`, for one) are dropped before validation, so
 * they are ignored. The checks themselves are kube-openapi pkg/validation/strfmt (default.go, duration.go,
 * go-openapi's time.go) and the govalidator functions it registers.
 */

type Check = (value: string) => boolean

const matches = (regex: RegExp): Check => (value) => regex.test(value)

const hexPair = "[0-9A-Fa-f]{2}"
const octet = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
const ipv4Regex = new RegExp(`^${octet}(?:\\.${octet}){3}$`)

/** Go net.ParseIP: dotted quads without leading zeros, or IPv6 without a zone. */
const parsesAsIp = (value: string): boolean => ipv4Regex.test(value) || (!value.includes("%") && isIPv6(value))

/** Go net.ParseCIDR: an address and a decimal prefix no longer than the address. */
const isCidr: Check = (value) => {
  const slash = value.indexOf("/")
  if (slash < 0) return false
  const address = value.slice(0, slash)
  const prefix = value.slice(slash + 1)
  if (!/^\d{1,3}$/.test(prefix) || !parsesAsIp(address)) return false
  return Number(prefix) <= (ipv4Regex.test(address) ? 32 : 128)
}

/** Go net.ParseMAC: 6, 8 or 20 octets separated by `:` or `-`, or dotted groups of four hex digits. */
const isMac: Check = (value) => {
  for (const separator of [":", "-"]) {
    const parts = value.split(separator)
    if ([6, 8, 20].includes(parts.length) && parts.every((p) => new RegExp(`^${hexPair}$`).test(p))) return true
  }
  const groups = value.split(".")
  return [3, 4, 10].includes(groups.length) && groups.every((g) => /^[0-9A-Fa-f]{4}$/.test(g))
}

const hostnameRegex =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([-a-zA-Z0-9\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$/u
const byteLength = (value: string): number => Buffer.byteLength(value, "utf8")
const isHostname: Check = (value) =>
  hostnameRegex.test(value) && byteLength(value) <= 255 && value.split(".").every((label) => byteLength(label) <= 63)

/** net/mail.ParseAddress, narrowed to `local@domain` with an optional `Name <...>` around it. */
const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\uFFFF]"
const dotAtom = `${atext}+(?:\\.${atext}+)*`
const addrSpec = `(?:${dotAtom}|"(?:[^"\\\\\\r\\n]|\\\\.)*")@(?:${dotAtom}|\\[[^\\[\\]\\\\]*\\])`
const emailRegex = new RegExp(`^(?:${addrSpec}|[^<>]*<${addrSpec}>)$`)

/** url.ParseRequestURI: an absolute URI or an absolute path, no control characters, valid %-escapes. */
const isRequestUri: Check = (value) => {
  if (value === "" || /[\u0000-\u001f\u007f]/.test(value)) return false
  if (value === "*") return true
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return false
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value)
  if (scheme === null) return value.startsWith("/") && !value.startsWith("//")
  const rest = value.slice(scheme[0].length)
  if (!rest.startsWith("//")) return true
  const authority = rest.slice(2).split(/[/?]/)[0] ?? ""
  const host = authority.slice(authority.lastIndexOf("@") + 1)
  return /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]]*)(?::\d*)?$/.test(host)
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** time.Parse("2006-01-02"). */
const isDate: Check = (value) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
}

/** go-openapi strfmt IsDateTime: a full-date, `t`, then hh:mm:ss[.frac](z|±hh:mm), case-insensitive. */
const isDateTime: Check = (value) => {
  if (value.length < 4) return false
  const parts = value.toLowerCase().split("t")
  const [date, time] = [parts[0] ?? "", parts[1]]
  if (time === undefined || !isDate(date)) return false
  const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(time)
  return m !== null && (m[1] ?? "") <= "23" && (m[2] ?? "") <= "59" && (m[3] ?? "") <= "59"
}

/** strfmt.ParseDuration: Go's time.ParseDuration, else the Scala-like `3 days 2h` syntax. */
const goDuration = /^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/
const durationUnits = [["ns", "nano"], ["us", "µs", "micro"], ["ms", "milli"], ["s", "sec"], ["m", "min"], ["h", "hr", "hour"], ["d", "day"], ["w", "wk", "week"]]
const isDuration: Check = (value) => {
  if (goDuration.test(value)) return true
  if (!/^\s*(?:\d+\s*[A-Za-zµ]+\s*)+$/.test(value)) return false
  for (const match of value.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)) {
    const unit = (match[2] ?? "").toLowerCase()
    const known = durationUnits.some((variants) =>
      variants.some((variant, i) => unit === variant || (i === variants.length - 1 && unit.startsWith(variant)))
    )
    if (known) return true
  }
  return false
}

/** apimachinery resource.ParseQuantity: a signed decimal with a binary, decimal-SI or exponent suffix. */
const isQuantity = matches(/^[+-]?(?:\d+\.?\d*|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/)

const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

const isCreditCard: Check = (value) => {
  const digits = value.replace(/[^0-9]+/g, "")
  return (
    /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/.test(digits) &&
    luhn(digits)
  )
}

const isIsbn10: Check = (value) => {
  const s = value.replace(/[\s-]+/g, "")
  if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(s)) return false
  let sum = 0
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(s[i])
  sum += s[9] === "X" ? 100 : 10 * Number(s[9])
  return sum % 11 === 0
}

const isIsbn13: Check = (value) => {
  const s = value.replace(/[\s-]+/g, "")
  if (!/^[0-9]{13}$/.test(s)) return false
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(s[i]) * (i % 2 === 0 ? 1 : 3)
  return Number(s[12]) === (10 - (sum % 10)) % 10
}

const rgbPart = "\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*"

/** The supported string formats, keyed by name without dashes (go-openapi normalizes `date-time` to `datetime`). */
const stringFormats: Readonly<Record<string, Check>> = {
  bsonobjectid: matches(/^[0-9a-fA-F]{24}$/),
  uri: isRequestUri,
  email: matches(emailRegex),
  hostname: isHostname,
  ipv4: (v) => parsesAsIp(v) && v.includes("."),
  ipv6: (v) => parsesAsIp(v) && v.includes(":"),
  cidr: isCidr,
  mac: isMac,
  uuid: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i),
  uuid3: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i),
  uuid4: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i),
  uuid5: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i),
  isbn: (v) => isIsbn10(v) || isIsbn13(v),
  isbn10: isIsbn10,
  isbn13: isIsbn13,
  creditcard: isCreditCard,
  ssn: (v) => v.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: matches(/^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/),
  rgbcolor: matches(new RegExp(`^rgb\\(${rgbPart},${rgbPart},${rgbPart}\\)$`)),
  byte: matches(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
  quantity: isQuantity,
  // introduced in Kubernetes 1.34
  k8sshortname: (v) => v.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v),
  k8slongname: (v) => v.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v)
}

const normalize = (format: string): string => format.replaceAll("-", "")

/**
 * The format kept after the apiserver's post-processing for a node with these types, or "" when dropped:
 * string formats from the list for untyped/string nodes, int32/int64 for integers, float/double for numbers.
 */
export const effectiveFormat = (types: ReadonlyArray<string>, format: string): string => {
  if (format === "") return ""
  const single = types.length === 1 ? (types[0] ?? "") : ""
  switch (single) {
    case "":
    case "string":
      return Object.hasOwn(stringFormats, normalize(format)) ? format : ""
    case "integer":
      return format === "int32" || format === "int64" ? format : ""
    case "number":
      return format === "float" || format === "double" ? format : ""
    default:
      return ""
  }
}

/** Whether kube-openapi's format validator applies (a known string format); integer/number formats do not. */
export const isStringFormat = (format: string): boolean => Object.hasOwn(stringFormats, normalize(format))

export const conformsToFormat = (format: string, value: string): boolean => {
  const check = stringFormats[normalize(format)]
  return check === undefined || check(value)
}
