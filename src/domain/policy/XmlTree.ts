import { Either } from "effect"
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser"

/**
 * A plain XML element tree and its two conversions, both done by fast-xml-parser: building text (all
 * escaping is the library's) and parsing text. Attributes are ordered pairs so that whoever builds a tree
 * decides the order the text shows.
 */
export interface XmlElement {
  readonly name: string
  readonly attributes: ReadonlyArray<readonly [name: string, value: string]>
  readonly children: ReadonlyArray<XmlNode>
}

export type XmlNode = XmlElement | { readonly text: string }

/** Characters XML 1.0 cannot carry at all (its `Char` production), per code point. */
const illegal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/**
 * The builder's last line of defence for trees not built from checked values: a character XML cannot carry
 * becomes U+FFFD, so the built text is always well-formed. `compilePolicy` refuses such values instead.
 */
export const xmlSafe = (value: string): string => value.replace(new RegExp(illegal.source, "gu"), "\uFFFD")

export const isElement = (node: XmlNode): node is XmlElement => "name" in node

export const element = (
  name: string,
  attributes: ReadonlyArray<readonly [string, string | number | boolean | undefined]> = [],
  children: ReadonlyArray<XmlNode> = []
): XmlElement => ({
  name,
  attributes: attributes.flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)] as const])),
  children
})

export const textElement = (name: string, text: string): XmlElement => element(name, [], [{ text }])

const textKey = "#text"
const commentKey = "#comment"
const cdataKey = "#cdata"
const attributesKey = ":@"

type Ordered = Record<string, unknown>

const toOrdered = (node: XmlNode): Ordered =>
  isElement(node)
    ? {
        [node.name]: node.children.map(toOrdered),
        ...(node.attributes.length === 0
          ? {}
          : { [attributesKey]: Object.fromEntries(node.attributes.map(([key, value]) => [key, xmlSafe(value)])) })
      }
    : { [textKey]: xmlSafe(node.text) }

const builderOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  processEntities: true
} as const

const compactBuilder = new XMLBuilder(builderOptions)
const indentedBuilder = new XMLBuilder({ ...builderOptions, format: true, indentBy: "    " })

/** The text of `root`, always well-formed (see `xmlSafe`); `indented` for people, compact for comparison. */
export const buildXml = (root: XmlElement, indented: boolean): string =>
  (indented ? indentedBuilder : compactBuilder).build([toOrdered(root)]).trim()

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  commentPropName: commentKey,
  cdataPropName: cdataKey,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Decodes numeric character references (`&#34;`) besides the five XML entities; any other named entity is
  // refused before parsing, so no HTML entity is ever decoded.
  htmlEntities: true
})

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

const stringOf = (value: unknown): string => (typeof value === "string" ? value : String(value))

/** The text inside a `#comment` or `#cdata` entry: `[{ "#text": "…" }]`. */
const innerText = (value: unknown): string =>
  Array.isArray(value) ? value.map((item) => (isRecord(item) ? stringOf(item[textKey] ?? "") : "")).join("") : ""

const fromOrdered = (nodes: unknown): ReadonlyArray<XmlNode> => {
  if (!Array.isArray(nodes)) return []
  return nodes.flatMap((entry): ReadonlyArray<XmlNode> => {
    if (!isRecord(entry)) return []
    const name = Object.keys(entry).find((key) => key !== attributesKey)
    if (name === undefined || name === commentKey) return []
    if (name === textKey) return [{ text: stringOf(entry[textKey]) }]
    if (name === cdataKey) return [{ text: innerText(entry[cdataKey]) }]
    const attributes = entry[attributesKey]
    return [
      {
        name,
        attributes: isRecord(attributes) ? Object.entries(attributes).map(([key, value]) => [key, stringOf(value)] as const) : [],
        children: fromOrdered(entry[name])
      }
    ]
  })
}

const withoutCommentsAndCdata = (text: string): string => text.replace(/<!--[\s\S]*?-->/g, "").replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "")

const undeclaredEntity = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/

const isXmlCharacter = (codePoint: number): boolean => codePoint <= 0x10ffff && !illegal.test(String.fromCodePoint(codePoint))

/** The parser drops a reference such as `&#1;` silently; a well-formedness check must refuse it instead. */
const referencesNonCharacter = (text: string): boolean =>
  [...text.matchAll(/&#(?:x([0-9a-fA-F]+)|([0-9]+));/g)].some(
    ([, hex, decimal]) => !isXmlCharacter(hex === undefined ? Number.parseInt(decimal ?? "", 10) : Number.parseInt(hex, 16))
  )

/**
 * The single root element of `text`, or why it is not a well-formed policy document. Documents with a
 * DOCTYPE are refused outright (APIM stores none), which also rules out entity expansion.
 */
export const parseXml = (text: string): Either.Either<XmlElement, string> => {
  const validation = XMLValidator.validate(text)
  if (validation !== true) return Either.left(`${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`)
  const outside = withoutCommentsAndCdata(text)
  if (/<!DOCTYPE/i.test(outside)) return Either.left("a DOCTYPE is not allowed in a policy")
  if (undeclaredEntity.test(outside)) return Either.left("a reference to an undeclared entity")
  if (illegal.test(text)) return Either.left("a character XML 1.0 cannot carry")
  if (referencesNonCharacter(outside)) return Either.left("a character reference to a character XML 1.0 cannot carry")
  // The parser throws on what it will not handle, such as nesting deeper than 100 elements.
  const parsed = Either.try(() => parser.parse(text))
  if (Either.isLeft(parsed)) return Either.left(parsed.left instanceof Error ? parsed.left.message : String(parsed.left))
  const [root, extra] = fromOrdered(parsed.right).filter(isElement)
  if (root === undefined) return Either.left("no root element")
  if (extra !== undefined) return Either.left("more than one root element")
  return Either.right(root)
}
