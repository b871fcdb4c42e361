import { describe, expect, it } from "vitest"
import * as fc from "fast-check"
import { boolField, doubleField, int64Field, message, messageField, oneofBool, repeatedMessage, repeatedString, stringField, varint } from "../../../src/emulators/kube/Protobuf.ts"
import { readFields } from "./ProtoReader.ts"

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

describe("protobuf wire format", () => {
  it("encodes varints as base-128 little-endian groups, negatives as ten-byte two's complement", () => {
    expect(hex(varint(0))).toBe("00")
    expect(hex(varint(1))).toBe("01")
    expect(hex(varint(127))).toBe("7f")
    expect(hex(varint(128))).toBe("8001")
    expect(hex(varint(300))).toBe("ac02")
    expect(hex(varint(-1))).toBe("ffffffffffffffffff01")
    expect(hex(varint(2 ** 53))).toBe("8080808080808010")
  })

  it("writes the protobuf documentation's examples", () => {
    expect(hex(int64Field(1, 150))).toBe("089601")
    expect(hex(stringField(2, "testing"))).toBe("120774657374696e67")
    expect(hex(messageField(3, int64Field(1, 150)))).toBe("1a03089601")
  })

  it("omits proto3 defaults but keeps present sub-messages and oneof booleans", () => {
    expect(hex(message(stringField(1, ""), int64Field(2, 0), boolField(3, false), doubleField(4, 0)))).toBe("")
    expect(hex(stringField(1, undefined))).toBe("")
    expect(hex(messageField(5, message()))).toBe("2a00")
    expect(hex(messageField(5, undefined))).toBe("")
    expect(hex(oneofBool(2, false))).toBe("1000")
    expect(hex(boolField(3, true))).toBe("1801")
  })

  it("writes doubles as little-endian IEEE 754 (fixed64)", () => {
    expect(hex(doubleField(1, 1.5))).toBe("09000000000000f83f")
    expect(hex(doubleField(7, -2))).toBe("3900000000000000c0")
  })

  it("repeats fields in order", () => {
    expect(hex(message(repeatedString(1, ["a", "b"]), repeatedMessage(2, [stringField(1, "c")])))).toBe("0a01610a016212030a0163")
  })

  it("round-trips through an independent reader", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.double({ noNaN: true }), (text, n, d) => {
        const bytes = message(stringField(1, text), int64Field(2, n), doubleField(3, d), messageField(4, stringField(1, text)))
        const fields = readFields(bytes)
        const byNumber = new Map(fields.map((f) => [f.field, f.value]))
        expect(fields.every((f, i) => i === 0 || (fields[i - 1]?.field ?? 0) < f.field)).toBe(true)
        const s = byNumber.get(1)
        expect(s === undefined ? "" : new TextDecoder().decode(s instanceof Uint8Array ? s : new Uint8Array())).toBe(text)
        const i = byNumber.get(2)
        expect(i === undefined ? 0 : Number(BigInt.asIntN(64, typeof i === "bigint" ? i : 0n))).toBe(n)
        const f = byNumber.get(3)
        expect(f === undefined ? 0 : new DataView((f instanceof Uint8Array ? f : new Uint8Array(8)).slice().buffer).getFloat64(0, true)).toBe(d === 0 ? 0 : d)
      })
    )
  })
})
