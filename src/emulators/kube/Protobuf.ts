/**
 * The protocol buffers wire format, write side only: just enough to encode the gnostic OpenAPI v2 document
 * kubectl downloads from `/openapi/v2`. No protobuf library is installed, and the messages we emit use four
 * wire types only. Fields are written in the order given; proto3 scalar defaults (empty string, 0, false) are
 * omitted as a real encoder omits them, while a present sub-message is always written, even when empty.
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
