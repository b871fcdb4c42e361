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

export const apimApiId = (namespace: string, name: string): string => {
  const hash = createHash("sha256").update(JSON.stringify([namespace, name]), "utf8").digest("hex").slice(0, HASH_LENGTH)
  const room = APIM_API_ID_MAX_LENGTH - PREFIX.length - 1 - HASH_LENGTH
  const readable = `${namespace}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, room)
    .replace(/^-+|-+$/g, "")
  return readable === "" ? `${PREFIX}${hash}` : `${PREFIX}${readable}-${hash}`
}

/** What APIM accepts as an API id (its `apiId` path parameter), revisions (`;rev=n`) excluded. */
export const isValidApimApiId = (id: string): boolean =>
  id.length >= 1 && id.length <= APIM_API_ID_MAX_LENGTH && /^[^*#&+:<>?;]+$/.test(id)
