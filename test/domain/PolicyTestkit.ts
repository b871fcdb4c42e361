import { XMLParser, XMLValidator } from "fast-xml-parser"
import { expect } from "vitest"

/**
 * Test-side reading of policy XML, independent of the code under test: fast-xml-parser into a small tree,
 * a C# string-literal decoder, the exact shapes a counter key may take, and an alternative XML writer that
 * spells the same document differently (indentation, quotes, attribute order, character references,
 * comments) to check that canonical comparison looks through all of it.
 */
export interface Node {
  readonly name: string
  readonly attributes: ReadonlyArray<readonly [string, string]>
  readonly children: ReadonlyArray<Node>
  /** Concatenated text content, untrimmed. */
  readonly text: string
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  ignoreDeclaration: true
})

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

const toNodes = (entries: unknown): { elements: Array<Node>; text: string } => {
  const elements: Array<Node> = []
  let text = ""
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (!isRecord(entry)) continue
    const name = Object.keys(entry).find((key) => key !== ":@")
    if (name === undefined) continue
    if (name === "#text") {
      text += String(entry[name])
      continue
    }
    const inner = toNodes(entry[name])
    const attributes = entry[":@"]
    elements.push({
      name,
      attributes: isRecord(attributes) ? Object.entries(attributes).map(([key, value]) => [key, String(value)] as const) : [],
      children: inner.elements,
      text: inner.text
    })
  }
  return { elements, text }
}

/** Characters outside XML 1.0's `Char` production. */
export const nonXmlCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/** Asserts `xml` is well-formed (fast-xml-parser's validator plus the characters it does not check) and parses it. */
export const parseWellFormed = (xml: string): Node => {
  expect(XMLValidator.validate(xml)).toBe(true)
  expect(nonXmlCharacter.test(xml)).toBe(false)
  const { elements } = toNodes(parser.parse(xml))
  expect(elements).toHaveLength(1)
  const [root] = elements
  if (root === undefined) throw new Error("no root")
  return root
}

export const attribute = (node: Node, name: string): string | undefined => node.attributes.find(([key]) => key === name)?.[1]

export const child = (node: Node, name: string): Node => {
  const found = node.children.find((candidate) => candidate.name === name)
  if (found === undefined) throw new Error(`<${node.name}> has no <${name}>; it has ${node.children.map((c) => c.name).join(", ")}`)
  return found
}

export const names = (node: Node): ReadonlyArray<string> => node.children.map((candidate) => candidate.name)

export const texts = (node: Node, item: string): ReadonlyArray<string> =>
  node.children.filter((candidate) => candidate.name === item).map((candidate) => candidate.text)

/** Every element name, depth first: two documents with the same outline have the same sequence. */
export const outline = (node: Node): ReadonlyArray<string> => [node.name, ...node.children.flatMap(outline)]

export const section = (xml: string, name: string): Node => child(parseWellFormed(xml), name)

/** Decodes a C# regular string literal; throws on an unescaped quote, which would end the literal early. */
export const decodeCSharpLiteral = (literal: string): string => {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) throw new Error(`not a literal: ${literal}`)
  const body = literal.slice(1, -1)
  let value = ""
  for (let index = 0; index < body.length; index++) {
    const char = body[index]
    if (char === '"') throw new Error(`unescaped quote at ${index} in ${literal}`)
    if (char !== "\\") {
      value += char
      continue
    }
    const escape = body[++index]
    if (escape === "u") {
      value += String.fromCharCode(Number.parseInt(body.slice(index + 1, index + 5), 16))
      index += 4
    } else if (escape === '"' || escape === "\\") value += escape
    else throw new Error(`unexpected escape \\${escape}`)
  }
  return value
}

const literal = String.raw`"(?:[^"\\]|\\.)*"`
const counterKeyShapes: ReadonlyArray<readonly [string, RegExp]> = [
  ["ClientIp", /^context\.Request\.IpAddress$/],
  ["Subscription", /^\(context\.Subscription\?\.Id \?\? context\.Request\.IpAddress\)$/],
  ["Header", new RegExp(String.raw`^context\.Request\.Headers\.GetValueOrDefault\((${literal}),""\)$`)],
  [
    "JwtClaim",
    new RegExp(String.raw`^context\.Request\.Headers\.GetValueOrDefault\("Authorization",""\)\.AsJwt\(\)\?\.Claims\.GetValueOrDefault\((${literal}),""\)$`)
  ],
  ["Constant", new RegExp(String.raw`^(${literal})$`)]
]

/**
 * Reads a `counter-key` back: which of the five shapes it has (matched in full, so nothing can have been
 * appended) and the decoded string its literal carries.
 */
export const readCounterKey = (expression: string): { readonly shape: string; readonly value: string | undefined } => {
  const prefix = '@(context.Api.Id + ":" + '
  if (!expression.startsWith(prefix) || !expression.endsWith(")")) throw new Error(`unexpected counter key ${expression}`)
  const caller = expression.slice(prefix.length, -1)
  for (const [shape, pattern] of counterKeyShapes) {
    const match = pattern.exec(caller)
    if (match === null) continue
    const raw = match[1]
    if (raw !== undefined) expect(raw.slice(1, -1)).toMatch(/^[\x20-\x7E]*$/)
    if (raw !== undefined) expect(raw.slice(1, -1)).not.toMatch(/[{}()@]/)
    return { shape, value: raw === undefined ? undefined : decodeCSharpLiteral(raw) }
  }
  throw new Error(`counter key of no known shape: ${expression}`)
}

/** How `writeXml` spells a document. */
export interface Spelling {
  readonly indent: string
  readonly newline: "\n" | "\r\n" | ""
  readonly quote: '"' | "'"
  readonly reverseAttributes: boolean
  readonly numericReferences: boolean
  readonly expandEmpty: boolean
  readonly comments: boolean
  readonly declaration: boolean
}

const escapeWith = (value: string, spelling: Spelling, inAttribute: boolean): string =>
  [...value]
    .map((char) => {
      const special = char === "&" || char === "<" || char === ">" || (inAttribute && char === spelling.quote) || (inAttribute && /[\t\n\r]/.test(char))
      if (!special) return char
      if (spelling.numericReferences || /[\t\n\r]/.test(char)) return `&#${char.codePointAt(0)};`
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }[char] ?? char
    })
    .join("")

/** The same document in another spelling: a test-only writer, so the canonical form is checked against a second author. */
export const writeXml = (node: Node, spelling: Spelling, depth = 0): string => {
  const pad = spelling.newline === "" ? "" : spelling.indent.repeat(depth)
  const attributes = (spelling.reverseAttributes ? [...node.attributes].reverse() : node.attributes)
    .map(([key, value]) => ` ${key}=${spelling.quote}${escapeWith(value, spelling, true)}${spelling.quote}`)
    .join("")
  const comment = spelling.comments ? `${pad}<!-- about ${node.name} -->${spelling.newline}` : ""
  const head = depth === 0 && spelling.declaration ? `<?xml version="1.0" encoding="utf-8"?>${spelling.newline}` : ""
  if (node.children.length === 0 && node.text === "")
    return `${head}${comment}${pad}${spelling.expandEmpty ? `<${node.name}${attributes}></${node.name}>` : `<${node.name}${attributes} />`}`
  if (node.children.length === 0) return `${head}${comment}${pad}<${node.name}${attributes}>${escapeWith(node.text, spelling, false)}</${node.name}>`
  const inner = node.children.map((entry) => writeXml(entry, spelling, depth + 1)).join(spelling.newline)
  return `${head}${comment}${pad}<${node.name}${attributes}>${spelling.newline}${inner}${spelling.newline}${pad}</${node.name}>`
}
