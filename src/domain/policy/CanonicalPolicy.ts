import { Data, Either } from "effect"
import { policySectionNames } from "./PolicyModel.ts"
import { buildXml, isElement, parseXml, type XmlElement, type XmlNode } from "./XmlTree.ts"

/**
 * Policies compared by meaning. APIM stores a policy and gives back its own rendering of it: re-indented,
 * `<x></x>` as `<x />`, attributes possibly reordered, entities where we wrote characters and the reverse,
 * comments kept or dropped. The canonical form erases exactly those differences:
 * - comments, processing instructions and the XML declaration are dropped;
 * - whitespace-only text between elements is dropped and text is trimmed (APIM trims it too);
 * - CDATA becomes text, entities and character references are decoded, then re-escaped one way;
 * - attributes are sorted by name; empty elements are self-closing;
 * - under `<policies>`, sections come in APIM's order and an empty section counts as an absent one.
 * Element order within a section is meaning (it is execution order) and is kept, as are `<base />` elements.
 *
 * The input must be XML: APIM's `format=xml` rendering, or `rawxml` whose expressions hold no unescaped
 * `"`, `<` or `&`. Anything else is a `MalformedPolicyXml`.
 */
export class MalformedPolicyXml extends Data.TaggedError("MalformedPolicyXml")<{ readonly reason: string }> {
  override get message(): string {
    return `The policy is not well-formed XML: ${this.reason}`
  }
}

const normaliseChildren = (children: ReadonlyArray<XmlNode>): ReadonlyArray<XmlNode> => {
  const merged: Array<XmlNode> = []
  for (const child of children) {
    const previous = merged.at(-1)
    if (isElement(child)) merged.push(normaliseElement(child))
    else if (previous !== undefined && !isElement(previous)) merged[merged.length - 1] = { text: previous.text + child.text }
    else merged.push(child)
  }
  return merged.flatMap((node): ReadonlyArray<XmlNode> => {
    if (isElement(node)) return [node]
    const text = node.text.trim()
    return text === "" ? [] : [{ text }]
  })
}

const sectionRank = (node: XmlNode): number => {
  const rank = isElement(node) ? policySectionNames.findIndex((name) => name === node.name) : -1
  return rank === -1 ? policySectionNames.length : rank
}

function normaliseElement(node: XmlElement): XmlElement {
  const attributes = [...node.attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const children = normaliseChildren(node.children)
  if (node.name !== "policies") return { name: node.name, attributes, children }
  const sections = children
    .filter((child) => !(isElement(child) && sectionRank(child) < policySectionNames.length && child.children.length === 0))
    .map((child, index) => ({ child, index }))
    // A stable sort: anything that is not a section keeps its place relative to its like.
    .sort((a, b) => sectionRank(a.child) - sectionRank(b.child) || a.index - b.index)
    .map(({ child }) => child)
  return { name: node.name, attributes, children: sections }
}

/** The canonical text of a policy (or a fragment, or any policy XML): equal texts mean equal policies. */
export const canonicalPolicy = (xml: string): Either.Either<string, MalformedPolicyXml> =>
  Either.mapBoth(parseXml(xml), {
    onLeft: (reason) => new MalformedPolicyXml({ reason }),
    onRight: (root) => buildXml(normaliseElement(root), false)
  })

/** True when both are well-formed and mean the same policy; a malformed side is never equivalent. */
export const policiesEquivalent = (a: string, b: string): boolean => {
  const left = canonicalPolicy(a)
  const right = canonicalPolicy(b)
  return Either.isRight(left) && Either.isRight(right) && left.right === right.right
}
