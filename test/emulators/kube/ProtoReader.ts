/**
 * A protobuf wire-format reader for tests, written independently of src/emulators/kube/Protobuf.ts so that the
 * encoder's output is checked against the format, not against itself.
 */

export interface ProtoFieldValue {
  readonly field: number
  readonly wireType: number
  /** varint as bigint, fixed64 as the 8 raw bytes, length-delimited as the payload. */
  readonly value: bigint | Uint8Array
}

const readVarint = (bytes: Uint8Array, start: number): { readonly value: bigint; readonly next: number } => {
  let value = 0n
  let shift = 0n
  let offset = start
  for (;;) {
    const byte = bytes[offset]
    if (byte === undefined) throw new Error("truncated varint")
    offset += 1
    value |= BigInt(byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return { value, next: offset }
    shift += 7n
  }
}

export const readFields = (bytes: Uint8Array): ReadonlyArray<ProtoFieldValue> => {
  const fields: Array<ProtoFieldValue> = []
  let offset = 0
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset)
    const field = Number(key.value >> 3n)
    const wireType = Number(key.value & 7n)
    offset = key.next
    if (wireType === 0) {
      const v = readVarint(bytes, offset)
      fields.push({ field, wireType, value: v.value })
      offset = v.next
    } else if (wireType === 1) {
      fields.push({ field, wireType, value: bytes.slice(offset, offset + 8) })
      offset += 8
    } else if (wireType === 2) {
      const length = readVarint(bytes, offset)
      const end = length.next + Number(length.value)
      if (end > bytes.length) throw new Error("truncated length-delimited field")
      fields.push({ field, wireType, value: bytes.slice(length.next, end) })
      offset = end
    } else {
      throw new Error(`unexpected wire type ${wireType}`)
    }
  }
  return fields
}

const payloads = (bytes: Uint8Array, field: number): ReadonlyArray<Uint8Array> =>
  readFields(bytes).filter((f) => f.field === field).map((f) => (f.value instanceof Uint8Array ? f.value : new Uint8Array()))

/** The sub-messages (or strings, as bytes) stored under a field number. */
export const messages = (bytes: Uint8Array, field: number): ReadonlyArray<Uint8Array> => payloads(bytes, field)

export const message = (bytes: Uint8Array, field: number): Uint8Array | undefined => payloads(bytes, field)[0]

export const strings = (bytes: Uint8Array, field: number): ReadonlyArray<string> => payloads(bytes, field).map((p) => new TextDecoder().decode(p))

export const string = (bytes: Uint8Array, field: number): string | undefined => strings(bytes, field)[0]

export const varintOf = (bytes: Uint8Array, field: number): bigint | undefined => {
  const found = readFields(bytes).find((f) => f.field === field && f.wireType === 0)
  return typeof found?.value === "bigint" ? found.value : undefined
}

/** openapi.v2 `repeated NamedX { name = 1; value = 2; }` as a map from name to value bytes. */
export const named = (bytes: Uint8Array, field: number): ReadonlyMap<string, Uint8Array> =>
  new Map(messages(bytes, field).map((pair) => [string(pair, 1) ?? "", message(pair, 2) ?? new Uint8Array()]))
