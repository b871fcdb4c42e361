import {
  fail,
  plainValidationFailure,
  succeed,
  validationFailure,
  type ArmErrorDetail,
  type Outcome
} from "./ArmFailure.ts"
import { policySpecOf, sections, type ElementSpec, type Section } from "./PolicyCatalog.ts"
import {
  checkWellFormed,
  elementsOf,
  maskExpressions,
  parseXmlTree,
  printXml,
  type XmlElement,
  type XmlError,
  type XmlNode
} from "./PolicyXml.ts"

/**
 * Validates policy documents as API Management does before it stores them, with its error wording:
 * - malformed XML: 400 ValidationError, target "representation", .NET's "… Line L, position P."
 *   (Azure/azure-api-management-devops-resource-kit#202); for a fragment the message alone,
 *   "The policy fragment is not a valid XML: …", without details (Azure/apiops#160);
 * - element errors: "Error in element 'x' on line L, column C: …" with target "x", all of them in `details`
 *   (MicrosoftDocs/azure-docs#111058; microsoft/vscode-apimanagement#145);
 * - a missing fragment: "Policy fragment with id 'x' could not be found." (Azure/apiops#67, #668).
 * The wording for an unknown element is this emulator's own; the service's has not been seen in public.
 */
export type PolicyFormat = "xml" | "rawxml"

export interface PolicyReferences {
  readonly fragmentExists: (id: string) => boolean
  readonly backendExists: (id: string) => boolean
}

const attribute = (element: XmlElement, name: string): string | undefined =>
  element.attributes.find((candidate) => candidate.name === name)?.raw

const elementError = (element: XmlElement, reason: string): ArmErrorDetail => ({
  code: "ValidationError",
  target: element.name,
  message: `Error in element '${element.name}' on line ${element.line}, column ${element.column}: ${reason}`
})

const notInScope = "Policy section is not allowed in the specified scope"

const checkChildren = (
  element: XmlElement,
  spec: ElementSpec,
  section: Section | undefined,
  references: PolicyReferences
): ReadonlyArray<ArmErrorDetail> => {
  const children = elementsOf(element.children)
  if (spec.children === undefined) return []
  if (spec.children === "policies") return children.flatMap((child) => checkPolicy(child, section, references))
  const allowed = spec.children
  const names = Object.keys(allowed)
  return children.flatMap((child) => {
    const childSpec = allowed[child.name]
    if (childSpec !== undefined) return checkChildren(child, childSpec, section, references)
    return [
      elementError(
        element,
        names.length === 0
          ? `The element '${element.name}' cannot contain child element '${child.name}' because the parent element's content model is empty.`
          : `The element '${element.name}' has invalid child element '${child.name}'. ` +
              `List of possible elements expected: '${names.join(", ")}'.`
      )
    ]
  })
}

const checkReferences = (element: XmlElement, references: PolicyReferences): ReadonlyArray<ArmErrorDetail> => {
  const fragmentId = element.name === "include-fragment" ? attribute(element, "fragment-id") : undefined
  if (fragmentId !== undefined && !references.fragmentExists(fragmentId))
    return [elementError(element, `Policy fragment with id '${fragmentId}' could not be found.`)]
  const backendId = element.name === "set-backend-service" ? attribute(element, "backend-id") : undefined
  if (backendId !== undefined && !backendId.startsWith("@") && !references.backendExists(backendId))
    return [elementError(element, `Backend with id '${backendId}' could not be found.`)]
  return []
}

function checkPolicy(element: XmlElement, section: Section | undefined, references: PolicyReferences): ReadonlyArray<ArmErrorDetail> {
  const spec = policySpecOf(element.name)
  if (spec === undefined) return [elementError(element, `Unrecognized policy element '${element.name}'.`)]
  if (section !== undefined && spec.sections !== undefined && !spec.sections.includes(section))
    return [elementError(element, notInScope)]
  return [...checkReferences(element, references), ...checkChildren(element, spec, section, references)]
}

const isSection = (name: string): name is Section => sections.some((section) => section === name)

const checkSections = (root: XmlElement, references: PolicyReferences): ReadonlyArray<ArmErrorDetail> => {
  const seen = new Set<string>()
  return elementsOf(root.children).flatMap((child) => {
    if (!isSection(child.name)) return [elementError(child, notInScope)]
    if (seen.has(child.name)) return [elementError(child, `Section '${child.name}' is defined more than once.`)]
    seen.add(child.name)
    const section = child.name
    return elementsOf(child.children).flatMap((policy) => checkPolicy(policy, section, references))
  })
}

const xmlMessage = (error: XmlError): string => `${error.message.replace(/\.?$/, ".")} Line ${error.line}, position ${error.column}.`

const readTree = (text: string, format: PolicyFormat): { readonly nodes: ReadonlyArray<XmlNode> } | { readonly error: XmlError } => {
  const masked = format === "rawxml" ? maskExpressions(text) : text
  const error = checkWellFormed(masked)
  if (error !== undefined) return { error }
  const nodes = parseXmlTree(masked, text)
  const roots = elementsOf(nodes)
  const [first, second] = roots
  if (first === undefined) return { error: { message: "Root element is missing.", line: 1, column: 1 } }
  if (second !== undefined) return { error: { message: "There are multiple root elements.", line: second.line, column: second.column } }
  return { nodes }
}

const rootOf = (nodes: ReadonlyArray<XmlNode>): XmlElement | undefined => elementsOf(nodes)[0]

/** An API (or product, operation) policy: `<policies>` with the four sections, each at most once. */
export const validatePolicy = (text: string, format: PolicyFormat, references: PolicyReferences): Outcome<string> => {
  const read = readTree(text, format)
  if ("error" in read)
    return fail(validationFailure([{ code: "ValidationError", target: "representation", message: xmlMessage(read.error) }]))
  const root = rootOf(read.nodes)
  if (root === undefined) return fail(validationFailure([]))
  const details = root.name === "policies" ? checkSections(root, references) : [elementError(root, notInScope)]
  return details.length === 0 ? succeed(text) : fail(validationFailure(details))
}

/** A policy fragment: `<fragment>` holding policies directly. */
export const validateFragment = (text: string, format: PolicyFormat, references: PolicyReferences): Outcome<string> => {
  const read = readTree(text, format)
  if ("error" in read) return fail(plainValidationFailure(`The policy fragment is not a valid XML: ${xmlMessage(read.error)}`))
  const root = rootOf(read.nodes)
  if (root === undefined) return fail(validationFailure([]))
  const details =
    root.name === "fragment"
      ? elementsOf(root.children).flatMap((policy) => checkPolicy(policy, undefined, references))
      : [elementError(root, "The root element of a policy fragment must be 'fragment'.")]
  return details.length === 0 ? succeed(text) : fail(validationFailure(details))
}

/**
 * What GET returns: `rawxml` gives the text as stored; `xml` gives APIM's normalised rendering, re-indented
 * and with expressions escaped, so a reader must compare policies by meaning rather than by text.
 */
export const renderPolicy = (stored: string, storedFormat: PolicyFormat, requested: PolicyFormat): string => {
  if (requested === "rawxml") return stored
  const read = readTree(stored, storedFormat)
  return "error" in read ? stored : printXml(read.nodes)
}

/** The ids a policy's `include-fragment` elements name, to keep fragments in use from being deleted. */
export const includedFragments = (stored: string, storedFormat: PolicyFormat): ReadonlyArray<string> => {
  const read = readTree(stored, storedFormat)
  if ("error" in read) return []
  const found: Array<string> = []
  const walk = (nodes: ReadonlyArray<XmlNode>): void => {
    for (const element of elementsOf(nodes)) {
      const id = element.name === "include-fragment" ? attribute(element, "fragment-id") : undefined
      if (id !== undefined) found.push(id)
      walk(element.children)
    }
  }
  walk(read.nodes)
  return found
}
