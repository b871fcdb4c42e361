import { createHash } from "node:crypto"

/**
 * APIM API ids: deterministic (the same ExposedAPI always maps to the same API, across restarts and replicas),
 * unique across namespaces, and readable in the Azure portal.
 *
 * The readable part `<namespace>-<name>` alone is ambiguous (`a-b/c` and `a/b-c` both read `a-b-c`) and may be
 * truncated, so a hash of the unambiguous pair (namespace, name) is appended. The alphabet is lowercase ASCII letters,
 * digits and `-`: a strict subset of what APIM accepts (`^[^*#&+:<>?]+$`, at most 80 characters), and safe in ARM
 * resource ids and URLs without escaping.
 */
export const APIM_API_ID_MAX_LENGTH = 80

const PREFIX = "oda-"
const HASH_LENGTH = 8

const hashOf = (parts: ReadonlyArray<string>): string =>
  createHash("sha256").update(JSON.stringify(parts), "utf8").digest("hex").slice(0, HASH_LENGTH)

/** `text` in the id alphabet (lowercase ASCII letters, digits, inner `-`), at most `room` characters. */
const readablePart = (text: string, room: number): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, room)
    .replace(/^-+|-+$/g, "")

/** `<prefix><readable>-<hash of parts>`, at most `maxLength` characters. */
const hashedId = (prefix: string, readable: string, parts: ReadonlyArray<string>, maxLength: number): string => {
  const hash = hashOf(parts)
  const text = readablePart(readable, maxLength - prefix.length - 1 - HASH_LENGTH)
  return text === "" ? `${prefix}${hash}` : `${prefix}${text}-${hash}`
}

export const apimApiId = (namespace: string, name: string): string =>
  hashedId(PREFIX, `${namespace}-${name}`, [namespace, name], APIM_API_ID_MAX_LENGTH)

/** APIM's limit on product ids is 256; ids this long are unreadable in the portal anyway. */
const PRODUCT_ID_MAX_LENGTH = 80

/**
 * The APIM product of an ODA Component: Components are namespaced, so two namespaces' `r1-catalog` are two
 * products. Hashed like API ids (the readable part alone is ambiguous).
 */
export const apimComponentProductId = (namespace: string, component: string): string =>
  hashedId(PREFIX, `${namespace}-${component}`, ["component", namespace, component], PRODUCT_ID_MAX_LENGTH)

/** The APIM product of one ExposedAPI that belongs to no Component. */
export const apimApiProductId = (namespace: string, name: string): string =>
  hashedId(PREFIX, `${namespace}-${name}`, ["exposedapi", namespace, name], PRODUCT_ID_MAX_LENGTH)

/** APIM's limit on tag ids. */
const TAG_ID_MAX_LENGTH = 80

/**
 * The id of an operator-managed tag, `oda-<family>-<value>`: readable as it is when the value already is in the
 * id alphabet (segments, most Component names), else with a hash of the exact value appended, so two values
 * never share a tag.
 */
export const apimTagId = (family: string, value: string): string => {
  const prefix = `${PREFIX}${family}-`
  const readable = readablePart(value, TAG_ID_MAX_LENGTH - prefix.length)
  return readable !== "" && readable === value ? `${prefix}${readable}` : hashedId(prefix, value, [family, value], TAG_ID_MAX_LENGTH)
}

/** Segments are a fixed set of names that differ in more than case: their lowercase spelling is their id. */
export const apimSegmentTagId = (segment: string): string => `${PREFIX}segment-${readablePart(segment, TAG_ID_MAX_LENGTH)}`

/** Whether a tag id is one `apimTagId` makes for `family`. */
export const isApimTagIdOf = (family: string, tagId: string): boolean => tagId.toLowerCase().startsWith(`${PREFIX}${family}-`)

/** What APIM accepts as an API id (its `apiId` path parameter), revisions (`;rev=n`) excluded. */
export const isValidApimApiId = (id: string): boolean =>
  id.length >= 1 && id.length <= APIM_API_ID_MAX_LENGTH && /^[^*#&+:<>?;]+$/.test(id)
