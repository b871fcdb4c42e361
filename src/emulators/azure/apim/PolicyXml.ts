import { XMLValidator } from "fast-xml-parser"

/**
 * The XML side of APIM policies: well-formedness, an element tree with source positions, and the
 * re-indented rendering APIM returns for `format=xml`.
 *
 * `rawxml` documents may carry policy expressions (`@(…)`, `@{…}`) that are not XML-escaped, e.g.
 * `value="@(ctx.Headers["x"])"`; APIM accepts them in `rawxml` and refuses them in `xml` (Azure/apiops#160).
 * `maskExpressions` blanks expression bodies (same length, newlines kept) so positions stay true.
 */
export interface XmlAttribute {
  readonly name: string
  /** The value as written between the quotes, entities not decoded (from the unmasked text). */
  readonly raw: string
}

export type XmlNode =
  | {
      readonly kind: "element"
      readonly name: string
      readonly line: number
      readonly column: number
      readonly attributes: ReadonlyArray<XmlAttribute>
      readonly children: ReadonlyArray<XmlNode>
    }
  | { readonly kind: "text"; readonly raw: string }
  | { readonly kind: "comment"; readonly raw: string }
  | { readonly kind: "cdata"; readonly raw: string }

export type XmlElement = Extract<XmlNode, { kind: "element" }>

export interface XmlError {
  readonly message: string
  readonly line: number
  readonly column: number
}

const closers: Readonly<Record<string, string>> = { "(": ")", "{": "}" }

/** Skips a C# string or char literal starting at `start`; returns the index after it. */
const skipLiteral = (text: string, start: number): number => {
  const verbatim = text[start] === "@"
  const quote = verbatim ? '"' : text[start]
  let index = verbatim ? start + 2 : start + 1
  while (index < text.length) {
    const char = text[index]
    if (!verbatim && char === "\\") index += 2
    else if (char === quote && verbatim && text[index + 1] === quote) index += 2
    else if (char === quote) return index + 1
    else index += 1
  }
  return index
}

export const maskExpressions = (text: string): string => {
  const chars = [...text]
  let index = 0
  while (index < text.length) {
    const open = text[index + 1]
    if (text[index] !== "@" || open === undefined || closers[open] === undefined) {
      index += 1
      continue
    }
    const stack = [closers[open]]
    let cursor = index + 2
    while (cursor < text.length && stack.length > 0) {
      const char = text[cursor] ?? ""
      if (char === '"' || char === "'" || (char === "@" && text[cursor + 1] === '"')) {
        cursor = skipLiteral(text, cursor)
        continue
      }
      const closer = closers[char]
      if (closer !== undefined) stack.push(closer)
      else if (char === stack.at(-1)) stack.pop()
      cursor += 1
    }
    for (let masked = index + 2; masked < cursor - 1; masked++) if (chars[masked] !== "\n") chars[masked] = "x"
    index = cursor
  }
  return chars.join("")
}

const positionOf = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  return { line, column: offset - before.lastIndexOf("\n") }
}

const badEntity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/

/** .NET's XmlException wording ends with "Line L, position P."; APIM passes it through. */
export const checkWellFormed = (masked: string): XmlError | undefined => {
  const result = XMLValidator.validate(masked, { allowBooleanAttributes: false })
  if (result !== true) return { message: result.err.msg, line: result.err.line, column: result.err.col }
  const entity = badEntity.exec(masked)
  if (entity !== null) return { message: "An error occurred while parsing EntityName.", ...positionOf(masked, entity.index + 1) }
  return undefined
}

const attributePattern = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

/** Builds the tree of a well-formed document; `original` is the unmasked text of the same length. */
export const parseXmlTree = (masked: string, original: string): ReadonlyArray<XmlNode> => {
  type Open = { name: string; line: number; column: number; attributes: ReadonlyArray<XmlAttribute>; children: Array<XmlNode> }
  const root: Array<XmlNode> = []
  const stack: Array<Open> = []
  const push = (node: XmlNode) => (stack.at(-1)?.children ?? root).push(node)
  const block = (start: number, opener: string, closer: string, kind: "comment" | "cdata"): number => {
    const end = masked.indexOf(closer, start + opener.length) + closer.length
    push({ kind, raw: original.slice(start, end) })
    return end
  }
  let index = 0
  while (index < masked.length) {
    if (masked.startsWith("<!--", index)) index = block(index, "<!--", "-->", "comment")
    else if (masked.startsWith("<![CDATA[", index)) index = block(index, "<![CDATA[", "]]>", "cdata")
    else if (masked.startsWith("<?", index)) index = masked.indexOf("?>", index) + 2
    else if (masked.startsWith("<!", index)) index = masked.indexOf(">", index) + 1
    else if (masked.startsWith("</", index)) {
      const open = stack.pop()
      if (open !== undefined) push({ kind: "element", ...open })
      index = masked.indexOf(">", index) + 1
    } else if (masked[index] === "<") {
      let end = index + 1
      for (let quote: string | undefined; end < masked.length; end++) {
        const char = masked[end]
        if (quote !== undefined) quote = char === quote ? undefined : quote
        else if (char === '"' || char === "'") quote = char
        else if (char === ">") break
      }
      const tag = masked.slice(index + 1, end)
      const name = /^[^\s/>]+/.exec(tag)?.[0] ?? ""
      const attributes = [...tag.slice(name.length).matchAll(attributePattern)].map((match) => {
        const valueOffset = index + 1 + name.length + (match.index ?? 0) + match[0].length - 1 - (match[2] ?? match[3] ?? "").length
        return { name: match[1] ?? "", raw: original.slice(valueOffset, valueOffset + (match[2] ?? match[3] ?? "").length) }
      })
      const open = { name, ...positionOf(masked, index + 1), attributes, children: [] }
      if (tag.endsWith("/")) push({ kind: "element", ...open })
      else stack.push(open)
      index = end + 1
    } else {
      const next = masked.indexOf("<", index)
      const end = next === -1 ? masked.length : next
      push({ kind: "text", raw: original.slice(index, end) })
      index = end
    }
  }
  return root
}

export const elementsOf = (nodes: ReadonlyArray<XmlNode>): ReadonlyArray<XmlElement> =>
  nodes.filter((node): node is XmlElement => node.kind === "element")

export const hasText = (nodes: ReadonlyArray<XmlNode>): boolean =>
  nodes.some((node) => (node.kind === "text" && node.raw.trim() !== "") || node.kind === "cdata")

const decode = (raw: string): string =>
  raw.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10))
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[entity] ?? ""
  })

const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
const escapeAttribute = (text: string): string => escapeText(text).replace(/"/g, "&quot;")

const render = (node: XmlNode, depth: number): ReadonlyArray<string> => {
  const indent = "\t".repeat(depth)
  switch (node.kind) {
    case "text":
      return node.raw.trim() === "" ? [] : [indent + escapeText(decode(node.raw.trim()))]
    case "comment":
    case "cdata":
      return [indent + node.raw]
    case "element": {
      const attributes = node.attributes.map((a) => ` ${a.name}="${escapeAttribute(decode(a.raw))}"`).join("")
      const content = node.children.filter((child) => child.kind !== "text" || child.raw.trim() !== "")
      if (content.length === 0) return [`${indent}<${node.name}${attributes} />`]
      if (content.every((child) => child.kind === "text")) {
        const text = content.map((child) => (child.kind === "text" ? escapeText(decode(child.raw.trim())) : "")).join(" ")
        return [`${indent}<${node.name}${attributes}>${text}</${node.name}>`]
      }
      return [`${indent}<${node.name}${attributes}>`, ...content.flatMap((child) => render(child, depth + 1)), `${indent}</${node.name}>`]
    }
  }
}

/** APIM's `format=xml` rendering: tab-indented, CRLF line ends, expressions XML-escaped. */
export const printXml = (nodes: ReadonlyArray<XmlNode>): string => nodes.flatMap((node) => render(node, 0)).join("\r\n")
