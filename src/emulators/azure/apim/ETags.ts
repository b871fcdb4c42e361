import { ifMatchRequired, preconditionFailed, type ArmFailure } from "./ArmFailure.ts"

/**
 * Entity tags as APIM writes them: opaque quoted base64 strings such as `"AAAAAAAAAAE="`, a new one on
 * every write. A counter keeps them unique and ordered within one model.
 */
export interface ETagClock {
  readonly next: () => string
}

export const makeETagClock = (): ETagClock => {
  let counter = 0n
  return {
    next: () => {
      counter += 1n
      const bytes = Buffer.alloc(8)
      bytes.writeBigUInt64BE(counter)
      return `"${bytes.toString("base64")}"`
    }
  }
}

const unquote = (tag: string): string => tag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1")

/**
 * `If-Match` semantics shared by every writable entity: absent is unconditional unless the operation
 * requires the header (PATCH and DELETE), `*` is unconditional, any other value must name the current tag.
 */
export const checkIfMatch = (
  header: string | undefined,
  current: string | undefined,
  options: { readonly required: boolean }
): ArmFailure | undefined => {
  if (header === undefined || header.trim() === "") return options.required ? ifMatchRequired() : undefined
  if (header.trim() === "*") return undefined
  if (current === undefined) return preconditionFailed()
  const wanted = unquote(current)
  return header.split(",").some((tag) => unquote(tag) === wanted) ? undefined : preconditionFailed()
}
