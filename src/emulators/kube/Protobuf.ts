/**
 * The protocol buffers wire format, as far as the emulator needs it (no protobuf library is installed): writing
 * the gnostic OpenAPI v2 document kubectl downloads from `/openapi/v2`, and reading the fields of the
 * Kubernetes protobuf bodies client-go sends. Fields are written in the order given; proto3 scalar defaults
 * (empty string, 0, false) are omitted as a real encoder omits them, while a present sub-message is always
 * written, even when empty.
 */

/** One encoded field (tag and payload), ready to be concatenated into a message. */
export type ProtoField = Uint8Array

const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_LENGTH_DELIMITED = 2

const none: ProtoField = new Uint8Array(0)

/** Base-128 varint; negative numbers become their 64-bit two's complement (ten bytes), as int64 requires. */
export const varint = (value: number | bigint): Uint8Array => {
  let rest = BigInt.asUintN(64, BigInt(value))
  const bytes: Array<number> = []
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80)
    rest >>= 7n
  }
  bytes.push(Number(rest))
  return Uint8Array.from(bytes)
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

const key = (field: number, wireType: number): Uint8Array => varint((field << 3) | wireType)

const lengthDelimited = (field: number, payload: Uint8Array): ProtoField =>
  concat([key(field, WIRE_LENGTH_DELIMITED), varint(payload.length), payload])

/** A message body: its fields, concatenated. */
export const message = (...fields: ReadonlyArray<ProtoField | ReadonlyArray<ProtoField>>): Uint8Array =>
  concat(fields.flatMap((f) => (f instanceof Uint8Array ? [f] : f)))

export const stringField = (field: number, value: string | undefined): ProtoField =>
  value === undefined || value === "" ? none : lengthDelimited(field, new TextEncoder().encode(value))

export const repeatedString = (field: number, values: ReadonlyArray<string>): ReadonlyArray<ProtoField> =>
  values.map((v) => lengthDelimited(field, new TextEncoder().encode(v)))

export const boolField = (field: number, value: boolean | undefined): ProtoField =>
  value === true ? concat([key(field, WIRE_VARINT), varint(1)]) : none

/** A bool member of a `oneof`: written even when false, because setting the member is what selects it. */
export const oneofBool = (field: number, value: boolean): ProtoField => concat([key(field, WIRE_VARINT), varint(value ? 1 : 0)])

export const int64Field = (field: number, value: number | undefined): ProtoField =>
  value === undefined || value === 0 ? none : concat([key(field, WIRE_VARINT), varint(Math.trunc(value))])

export const doubleField = (field: number, value: number | undefined): ProtoField => {
  if (value === undefined || value === 0) return none
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setFloat64(0, value, true)
  return concat([key(field, WIRE_FIXED64), bytes])
}

/** An embedded message; undefined means absent. */
export const messageField = (field: number, body: Uint8Array | undefined): ProtoField =>
  body === undefined ? none : lengthDelimited(field, body)

export const repeatedMessage = (field: number, bodies: ReadonlyArray<Uint8Array>): ReadonlyArray<ProtoField> =>
  bodies.map((b) => lengthDelimited(field, b))

/** One field as read from the wire: a varint's value, or the bytes of a fixed64 or length-delimited payload. */
export interface WireField {
  readonly number: number
  readonly wireType: number
  readonly varint: bigint
  readonly bytes: Uint8Array
}

const readVarint = (bytes: Uint8Array, start: number): { readonly value: bigint; readonly next: number } => {
  let value = 0n
  let shift = 0n
  for (let offset = start; offset < bytes.length && shift < 70n; offset++) {
    const byte = bytes[offset] ?? 0
    value |= BigInt(byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return { value: BigInt.asUintN(64, value), next: offset + 1 }
    shift += 7n
  }
  throw new Error("truncated varint")
}

/** The fields of one message, in wire order; throws on malformed input (groups are not supported). */
export const readFields = (bytes: Uint8Array): ReadonlyArray<WireField> => {
  const fields: Array<WireField> = []
  let offset = 0
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset)
    const number = Number(key.value >> 3n)
    const wireType = Number(key.value & 7n)
    offset = key.next
    if (wireType === WIRE_VARINT) {
      const value = readVarint(bytes, offset)
      fields.push({ number, wireType, varint: value.value, bytes: none })
      offset = value.next
      continue
    }
    const length = wireType === WIRE_LENGTH_DELIMITED ? readVarint(bytes, offset) : { value: wireType === WIRE_FIXED64 ? 8n : 4n, next: offset }
    if (wireType !== WIRE_LENGTH_DELIMITED && wireType !== WIRE_FIXED64 && wireType !== 5) throw new Error(`unsupported wire type ${wireType}`)
    const end = length.next + Number(length.value)
    if (end > bytes.length) throw new Error("truncated field")
    fields.push({ number, wireType, varint: 0n, bytes: bytes.subarray(length.next, end) })
    offset = end
  }
  return fields
}
