import { parseDocument } from "yaml"
import { isJsonObject, type Json, type JsonObject } from "../../Json.ts"
import { fail, succeed, validationFailure, type Outcome } from "./ArmFailure.ts"

/**
 * Reads an OpenAPI 3 or Swagger 2.0 document the way API Management imports it
 * (learn.microsoft.com/azure/api-management/api-management-api-import-restrictions, and the API Management
 * team's "Important changes to OpenAPI import and export", 2018):
 * - operation name = `operationId` normalised (lower case, each run of non-alphanumerics → "-", dashes
 *   trimmed, at most 76 characters, "-1", "-2", … on collisions), or `{method}-{path}` normalised;
 * - display name = `summary` (≤ 300 characters), else `operationId`, else "{Method} - {path}";
 * - required query parameters become URL template parameters unless translateRequiredQueryParameters=query;
 * - the backend URL comes from the first https server (OpenAPI 3) or scheme + host + basePath (Swagger 2).
 * Unreadable or invalid documents are refused as APIM does: 400 ValidationError, target "representation",
 * "Parsing error(s): …" (Azure/azure-cli#29405, hashicorp/terraform-provider-azurerm#24559).
 */
export type DocumentSyntax = "yaml-or-json" | "json"
export type DocumentKind = "openapi" | "swagger"

export interface TemplateParameter {
  readonly name: string
  readonly required: boolean
  readonly type: string
}

export interface ImportedOperation {
  readonly name: string
  readonly displayName: string
  readonly method: string
  readonly urlTemplate: string
  readonly description?: string
  readonly templateParameters: ReadonlyArray<TemplateParameter>
}

export interface ImportedDefinition {
  readonly title: string
  readonly description?: string
  readonly serviceUrl?: string
  readonly operations: ReadonlyArray<ImportedOperation>
}

export interface ParseOptions {
  readonly syntax: DocumentSyntax
  /** Which specifications the format admits: "openapi" formats take both, "swagger-json" only Swagger 2.0. */
  readonly kinds: ReadonlyArray<DocumentKind>
  readonly requiredQueryParameters?: "template" | "query"
}

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const

const openApi3Invalid =
  "The input OpenAPI file is not valid for the OpenAPI specification https://github.com/OAI/OpenAPI-Specification/blob/master/versions/3.0.1.md (schema https://github.com/OAI/OpenAPI-Specification/blob/master/schemas/v3.0/schema.yaml)."
const swagger2Invalid =
  "The input OpenAPI file is not valid for the OpenAPI specification https://github.com/OAI/OpenAPI-Specification/blob/master/versions/2.0.md (schema http://swagger.io/v2/schema.json)."

const parsingError = (messages: ReadonlyArray<string>): Outcome<never> =>
  fail(
    validationFailure(
      messages.map((message) => ({ code: "ValidationError", target: "representation", message: `Parsing error(s): ${message}` }))
    )
  )

const readText = (text: string, syntax: DocumentSyntax): Outcome<Json> => {
  if (syntax === "json" || /^\s*[{[]/.test(text)) {
    try {
      return succeed(JSON.parse(text))
    } catch (cause) {
      if (syntax === "json") return parsingError([`The input is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`])
    }
  }
  const document = parseDocument(text, { uniqueKeys: false })
  const [first] = document.errors
  if (first !== undefined) {
    const [start, end] = first.linePos ?? []
    const at = (position: { line: number; col: number } | undefined, offset: number | undefined): string =>
      `(Lin: ${position?.line ?? 1}, Col: ${position?.col ?? 1}, Chr: ${offset ?? 0})`
    const reason = first.message.split(" at line ")[0] ?? first.message
    return parsingError([`${at(start, first.pos[0])} - ${at(end ?? start, first.pos[1])}: ${reason}.`])
  }
  return succeed(document.toJS({ maxAliasCount: 10_000 }))
}

const kindOf = (document: JsonObject): DocumentKind | undefined => {
  if (typeof document["openapi"] === "string" && document["openapi"].startsWith("3.")) return "openapi"
  if (document["swagger"] === "2.0") return "swagger"
  return undefined
}

const isValidShape = (document: JsonObject): boolean => {
  const info = document["info"]
  const paths = document["paths"]
  return (
    isJsonObject(info) &&
    typeof info["title"] === "string" &&
    isJsonObject(paths) &&
    Object.entries(paths).every(([path, item]) => path.startsWith("/") && isJsonObject(item))
  )
}

export const normaliseOperationName = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 76)

const resolveRef = (document: JsonObject, value: Json | undefined): Json | undefined => {
  if (!isJsonObject(value) || typeof value["$ref"] !== "string") return value
  const ref = value["$ref"]
  if (!ref.startsWith("#/")) return undefined
  let node: Json | undefined = document
  for (const part of ref.slice(2).split("/")) {
    node = isJsonObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined
  }
  return node
}

interface Parameter {
  readonly name: string
  readonly location: string
  readonly required: boolean
  readonly type: string
}

const parametersOf = (document: JsonObject, list: Json | undefined): ReadonlyArray<Parameter> =>
  (Array.isArray(list) ? list : []).flatMap((entry: Json) => {
    const parameter = resolveRef(document, entry)
    if (!isJsonObject(parameter) || typeof parameter["name"] !== "string" || typeof parameter["in"] !== "string") return []
    const schema = resolveRef(document, parameter["schema"])
    const schemaType = isJsonObject(schema) && typeof schema["type"] === "string" ? schema["type"] : "string"
    const type = typeof parameter["type"] === "string" ? parameter["type"] : schemaType
    return [{ name: parameter["name"], location: parameter["in"], required: parameter["required"] === true, type }]
  })

const nonEmpty = (value: Json | undefined): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

const capitalise = (method: string): string => method.charAt(0).toUpperCase() + method.slice(1)

const operationsOf = (document: JsonObject, options: ParseOptions): ReadonlyArray<ImportedOperation> => {
  const paths = isJsonObject(document["paths"]) ? document["paths"] : {}
  const used = new Set<string>()
  const uniqueName = (base: string): string => {
    let name = base === "" ? "operation" : base
    for (let suffix = 1; used.has(name); suffix++) name = `${base.slice(0, 76)}-${suffix}`
    used.add(name)
    return name
  }
  const operations: Array<ImportedOperation> = []
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveRef(document, rawItem)
    if (!isJsonObject(item)) continue
    const shared = parametersOf(document, item["parameters"])
    for (const method of httpMethods) {
      const operation = item[method]
      if (!isJsonObject(operation)) continue
      const own = parametersOf(document, operation["parameters"])
      const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.location === p.location)), ...own]
      const query =
        options.requiredQueryParameters === "query" ? [] : parameters.filter((p) => p.location === "query" && p.required)
      const urlTemplate = query.length === 0 ? path : `${path}?${query.map((p) => `${p.name}={${p.name}}`).join("&")}`
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]))
      const templateParameters = [
        ...inTemplate.map((name) => ({ name, required: true, type: parameters.find((p) => p.name === name)?.type ?? "string" })),
        ...query.map((p) => ({ name: p.name, required: true, type: p.type }))
      ]
      const operationId = nonEmpty(operation["operationId"])
      const summary = nonEmpty(operation["summary"])?.slice(0, 300)
      const description = typeof operation["description"] === "string" ? operation["description"] : undefined
      operations.push({
        name: uniqueName(normaliseOperationName(operationId ?? `${method}-${path}`)),
        displayName: summary ?? operationId ?? `${capitalise(method)} - ${path}`,
        method: method.toUpperCase(),
        urlTemplate,
        ...(description === undefined ? {} : { description }),
        templateParameters
      })
    }
  }
  return operations
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "")

const serviceUrlOf = (document: JsonObject, kind: DocumentKind): string | undefined => {
  if (kind === "openapi") {
    const urls = (Array.isArray(document["servers"]) ? document["servers"] : []).flatMap((server: Json) =>
      isJsonObject(server) && typeof server["url"] === "string" ? [server["url"]] : []
    )
    const chosen = urls.find((url) => url.startsWith("https://")) ?? urls.find((url) => /^https?:\/\//.test(url))
    return chosen === undefined ? undefined : trimSlash(chosen)
  }
  const host = document["host"]
  if (typeof host !== "string") return undefined
  const schemes = Array.isArray(document["schemes"]) ? document["schemes"] : []
  const scheme = schemes.includes("https") ? "https" : typeof schemes[0] === "string" ? schemes[0] : "http"
  const basePath = typeof document["basePath"] === "string" ? document["basePath"] : ""
  return trimSlash(`${scheme}://${host}${basePath}`)
}

export const parseDefinition = (text: string, options: ParseOptions): Outcome<ImportedDefinition> => {
  const read = readText(text, options.syntax)
  if (!read.ok) return read
  const document = read.value
  const kind = isJsonObject(document) ? kindOf(document) : undefined
  if (!isJsonObject(document) || kind === undefined || !options.kinds.includes(kind) || !isValidShape(document)) {
    return parsingError([options.kinds.includes("openapi") ? openApi3Invalid : swagger2Invalid])
  }
  const info = isJsonObject(document["info"]) ? document["info"] : {}
  const description = typeof info["description"] === "string" ? info["description"] : undefined
  const serviceUrl = serviceUrlOf(document, kind)
  return succeed({
    title: typeof info["title"] === "string" ? info["title"] : "",
    ...(description === undefined ? {} : { description }),
    ...(serviceUrl === undefined ? {} : { serviceUrl }),
    operations: operationsOf(document, options)
  })
}
