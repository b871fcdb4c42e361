import { Either, Schema } from "effect"
import { parseDocument } from "yaml"

/**
 * What an API's specification document is, and how to hand it to API Management inline (APIM never needs to reach
 * the document's URL). APIM's import rules (learn.microsoft.com/azure/api-management/api-management-api-import-restrictions):
 * Swagger 2.0 in JSON only, OpenAPI 3.0.x and 3.1.x (3.1 for import) in JSON or YAML, at most 4 MB inline.
 * So: OpenAPI 3 JSON → `openapi+json` and OpenAPI 3 YAML → `openapi`, both as written; Swagger 2.0 JSON →
 * `swagger-json` as written; Swagger 2.0 YAML → converted to JSON → `swagger-json`.
 */

export type ImportFormat = "openapi" | "openapi+json" | "swagger-json"

export interface OpenApiImport {
  readonly format: ImportFormat
  /** The document to send inline. */
  readonly value: string
  readonly kind: "swagger2" | "openapi3"
  readonly title?: string
  readonly version?: string
  /** Operations APIM will create: one per HTTP method under each path. */
  readonly operationCount: number
}

export class DocumentProblem extends Schema.TaggedError<DocumentProblem>()("DocumentProblem", {
  reason: Schema.Literal("Unparseable", "NotAnObject", "UnsupportedVersion", "MissingTitle", "InvalidPaths", "TooLarge"),
  message: Schema.String
}) {
  /** The document has to change first; a periodic re-fetch notices when it does. */
  get retryable(): boolean {
    return false
  }
}

/** APIM's limit for documents imported inline. */
export const MAX_INLINE_BYTES = 4 * 1024 * 1024

const HTTP_METHODS: ReadonlyArray<string> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

type Syntax = "json" | "yaml"
type JsonMap = { readonly [key: string]: unknown }

const isMap = (value: unknown): value is JsonMap => typeof value === "object" && value !== null && !Array.isArray(value)

const problem = (reason: DocumentProblem["reason"], message: string): Either.Either<never, DocumentProblem> =>
  Either.left(new DocumentProblem({ reason, message }))

export const analyseOpenApiDocument = (text: string): Either.Either<OpenApiImport, DocumentProblem> =>
  Either.gen(function*() {
    const source = text.replace(/^\uFEFF/, "")
    if (byteLength(source) > MAX_INLINE_BYTES) return yield* tooLarge(source)
    const { document, syntax } = yield* parse(source)
    if (!isMap(document)) return yield* problem("NotAnObject", "the document must be a JSON or YAML object (an OpenAPI or Swagger 2.0 document)")
    const kind = yield* kindOf(document, syntax)
    const info = isMap(document["info"]) ? document["info"] : {}
    const title = info["title"]
    if (typeof title !== "string" || title.trim() === "")
      return yield* problem("MissingTitle", "info.title is required: API Management names the API after it")
    const operationCount = yield* countOperations(document["paths"])
    const version = typeof info["version"] === "string" || typeof info["version"] === "number" ? String(info["version"]) : undefined
    const described = { kind, title, ...(version === undefined ? {} : { version }), operationCount }
    if (kind === "openapi3") return { format: syntax === "json" ? "openapi+json" : "openapi", value: source, ...described }
    if (syntax === "json") return { format: "swagger-json", value: source, ...described }
    const converted = JSON.stringify({ ...document, swagger: "2.0" })
    if (byteLength(converted) > MAX_INLINE_BYTES) return yield* tooLarge(converted)
    return { format: "swagger-json", value: converted, ...described }
  })

const byteLength = (text: string): number => new TextEncoder().encode(text).byteLength

const tooLarge = (text: string) =>
  problem(
    "TooLarge",
    `the document is ${(byteLength(text) / 1024 / 1024).toFixed(1)} MB; API Management imports at most 4 MB inline: split the API or trim the document`
  )

const firstLine = (message: string): string => (message.split("\n")[0] ?? message).replace(/:$/, "")

const parse = (text: string): Either.Either<{ readonly document: unknown; readonly syntax: Syntax }, DocumentProblem> => {
  if (text.trim() === "") return problem("Unparseable", "the document is empty")
  const json = /^\s*[{[]/.test(text)
    ? Either.try({ try: (): unknown => JSON.parse(text), catch: (cause) => (cause instanceof Error ? cause.message : String(cause)) })
    : Either.left("")
  if (Either.isRight(json)) return Either.right({ document: json.right, syntax: "json" })
  const yaml = parseDocument(text, { uniqueKeys: true })
  const [error] = yaml.errors
  if (error !== undefined) {
    const detail = json.left === "" ? `not valid YAML: ${firstLine(error.message)}` : `not valid JSON: ${json.left}`
    return problem("Unparseable", `the document is ${detail}`)
  }
  return Either.try({
    try: () => ({ document: yaml.toJS({ maxAliasCount: 100 }) as unknown, syntax: "yaml" as const }),
    // toJS refuses documents that expand aliases without bound ("billion laughs")
    catch: (cause) => {
      const reason = firstLine(cause instanceof Error ? cause.message : String(cause))
      return new DocumentProblem({ reason: "Unparseable", message: `the document is not usable YAML: ${reason}` })
    }
  })
}

/** `openapi: 3.0.x | 3.1.x`, or `swagger: "2.0"` (YAML may read an unquoted 2.0 as the number 2). */
const kindOf = (document: JsonMap, syntax: Syntax): Either.Either<OpenApiImport["kind"], DocumentProblem> => {
  const openapi = document["openapi"]
  if (openapi !== undefined) {
    if (typeof openapi !== "string")
      return problem("UnsupportedVersion", `openapi must be a version string such as "3.0.3" (quote it in YAML), got ${String(openapi)}`)
    const minor = /^3\.(\d+)(\.\d+)?([-+].*)?$/.exec(openapi.trim())?.[1]
    if (minor === "0" || minor === "1") return Either.right("openapi3")
    return problem(
      "UnsupportedVersion",
      `OpenAPI ${JSON.stringify(openapi)} cannot be imported: API Management imports Swagger 2.0, OpenAPI 3.0.x and OpenAPI 3.1.x`
    )
  }
  const swagger = document["swagger"]
  if (swagger === "2.0" || (syntax === "yaml" && swagger === 2)) return Either.right("swagger2")
  if (swagger !== undefined)
    return problem(
      "UnsupportedVersion",
      `swagger ${JSON.stringify(swagger)} cannot be imported: API Management imports Swagger "2.0" and OpenAPI 3.0.x/3.1.x`
    )
  return problem("UnsupportedVersion", `the document has neither swagger: "2.0" nor openapi: "3.x": it is not an OpenAPI or Swagger document`)
}

const countOperations = (paths: unknown): Either.Either<number, DocumentProblem> => {
  if (!isMap(paths)) return problem("InvalidPaths", "paths is required: an object mapping each path to its operations")
  let count = 0
  for (const [path, item] of Object.entries(paths)) {
    if (path.startsWith("x-")) continue // specification extensions
    if (!path.startsWith("/")) return problem("InvalidPaths", `paths must start with "/", got ${JSON.stringify(path)}`)
    if (!isMap(item)) return problem("InvalidPaths", `paths[${JSON.stringify(path)}] must be an object of operations`)
    count += Object.keys(item).filter((key) => HTTP_METHODS.includes(key)).length
  }
  return Either.right(count)
}
