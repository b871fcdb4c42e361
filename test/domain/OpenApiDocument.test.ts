import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { parse as parseYaml, stringify as toYaml } from "yaml"
import { analyseOpenApiDocument, type DocumentProblem, type OpenApiImport } from "../../src/domain/OpenApiDocument.ts"
import { parseDefinition } from "../../src/emulators/azure/apim/OpenApiDocument.ts"
import { readReference } from "../fixtures/Reference.ts"

/** The TM Forum documents vendored in test/fixtures/reference/openapi. */
const reference = (name: string): string => readReference(`openapi/${name}`)
const tmf620Swagger = reference("TMF620-ProductCatalog-v4.0.0.swagger.json")
const tmf620OpenApi = reference("TMF620-Product_Catalog_Management-v5.0.0.oas.yaml")

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

/** Counted independently: every HTTP method under every path. */
const pathsTimesMethods = (document: unknown): number => {
  const paths: unknown = typeof document === "object" && document !== null ? Reflect.get(document, "paths") : undefined
  if (typeof paths !== "object" || paths === null) return 0
  return Object.values(paths).reduce<number>(
    (sum, item: unknown) => sum + (typeof item === "object" && item !== null ? Object.keys(item).filter((key) => methods.includes(key)).length : 0),
    0
  )
}

const analysed = (text: string): OpenApiImport =>
  Either.getOrThrowWith(analyseOpenApiDocument(text), (error) => new Error(`expected an importable document, got: ${error.message}`))

const refused = (text: string): DocumentProblem =>
  Either.match(analyseOpenApiDocument(text), {
    onLeft: (error) => error,
    onRight: (value) => {
      throw new Error(`expected a problem, got ${value.format}`)
    }
  })

/** What the APIM emulator (an independent reader of APIM's import rules) makes of the value in that format. */
const importedByEmulator = (result: OpenApiImport) => {
  const syntax = result.format === "openapi" ? "yaml-or-json" : "json"
  const kinds = result.format === "swagger-json" ? (["swagger"] as const) : (["openapi", "swagger"] as const)
  const outcome = parseDefinition(result.value, { syntax, kinds: [...kinds] })
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.failure))
  return outcome.value
}

const minimal = (head: Record<string, unknown>, paths: Record<string, unknown> = { "/items": { get: {}, post: {} } }) => ({
  ...head,
  info: { title: "Items", version: "1.0.0" },
  paths
})

describe("analyseOpenApiDocument: the TM Forum documents", () => {
  it("sends TMF620 v4 (Swagger 2.0, JSON) as swagger-json, as written", () => {
    const result = analysed(tmf620Swagger)
    expect(result).toMatchObject({ format: "swagger-json", kind: "swagger2", title: "Product Catalog Management", version: "4.0.0" })
    expect(result.value).toBe(tmf620Swagger)
    expect(result.operationCount).toBe(pathsTimesMethods(JSON.parse(tmf620Swagger)))
    expect(result.operationCount).toBeGreaterThan(40)
    expect(importedByEmulator(result).operations).toHaveLength(result.operationCount)
  })

  it("sends TMF620 v5 (OpenAPI 3.0, YAML) as openapi, as written", () => {
    const result = analysed(tmf620OpenApi)
    expect(result).toMatchObject({ format: "openapi", kind: "openapi3", title: "Product Catalog Management", version: "5.0.0" })
    expect(result.value).toBe(tmf620OpenApi)
    expect(result.operationCount).toBe(pathsTimesMethods(parseYaml(tmf620OpenApi)))
    expect(importedByEmulator(result).operations).toHaveLength(result.operationCount)
  })

  it("sends OpenAPI 3 in JSON as openapi+json", () => {
    const json = JSON.stringify(parseYaml(tmf620OpenApi))
    const result = analysed(json)
    expect(result).toMatchObject({ format: "openapi+json", kind: "openapi3", value: json })
    expect(importedByEmulator(result).operations).toHaveLength(result.operationCount)
  })

  it("converts Swagger 2.0 in YAML to JSON, which is all APIM takes for Swagger", () => {
    const yaml = toYaml(JSON.parse(tmf620Swagger))
    const result = analysed(yaml)
    expect(result.format).toBe("swagger-json")
    expect(JSON.parse(result.value)).toEqual(JSON.parse(tmf620Swagger))
    expect(result.operationCount).toBe(pathsTimesMethods(JSON.parse(tmf620Swagger)))
    expect(importedByEmulator(result).operations).toHaveLength(result.operationCount)
  })
})

describe("analyseOpenApiDocument: detection", () => {
  it.each([
    ["3.0.0", "openapi3"],
    ["3.0.3", "openapi3"],
    ["3.1.0", "openapi3"],
    ["3.1.1", "openapi3"]
  ])("accepts OpenAPI %s (APIM imports 3.1 too)", (openapi, kind) => {
    expect(analysed(JSON.stringify(minimal({ openapi }))).kind).toBe(kind)
  })

  it("reads Swagger YAML with an unquoted 2.0, and writes it back as the string the JSON format needs", () => {
    const result = analysed("swagger: 2.0\ninfo:\n  title: Items\n  version: 1\npaths:\n  /items:\n    get: {}\n")
    expect(result).toMatchObject({ format: "swagger-json", version: "1", operationCount: 1 })
    expect(JSON.parse(result.value)).toMatchObject({ swagger: "2.0" })
  })

  it("keeps YAML's numeric response codes as JSON keys when converting", () => {
    const result = analysed("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n")
    expect(JSON.parse(result.value).paths["/a"].get.responses).toEqual({ "200": { description: "ok" } })
  })

  it("strips a byte-order mark", () => {
    const result = analysed(`\uFEFF${JSON.stringify(minimal({ openapi: "3.0.1" }))}`)
    expect(result.value.startsWith("{")).toBe(true)
  })

  it("reads flow-style YAML that only looks like JSON as YAML", () => {
    expect(analysed("{openapi: 3.0.1, info: {title: T}, paths: {}}")).toMatchObject({ format: "openapi", operationCount: 0 })
  })

  it("counts methods only, not parameters, extensions or summaries", () => {
    const document = minimal(
      { openapi: "3.0.3" },
      {
        "/a": { summary: "s", parameters: [], get: {}, put: {}, post: {}, delete: {}, options: {}, head: {}, patch: {}, trace: {}, "x-ext": {} },
        "x-paths-extension": { get: {} }
      }
    )
    expect(analysed(JSON.stringify(document)).operationCount).toBe(8)
  })

  it("omits the version when info has none", () => {
    expect(analysed(JSON.stringify({ openapi: "3.0.0", info: { title: "T" }, paths: {} }))).not.toHaveProperty("version")
  })
})

describe("analyseOpenApiDocument: refusals", () => {
  it.each([
    ["an empty document", "", "Unparseable", /empty/],
    ["blank text", "  \n ", "Unparseable", /empty/],
    ["broken JSON", '{"openapi": "3.0.0",', "Unparseable", /not valid JSON/],
    ["broken YAML", "openapi: 3.0.1\ninfo: [\n", "Unparseable", /not valid YAML: .*line \d+, column \d+/],
    ["duplicate YAML keys", "openapi: 3.0.1\nopenapi: 3.0.2\n", "Unparseable", /unique/],
    ["several YAML documents", "openapi: 3.0.1\n---\nopenapi: 3.0.1\n", "Unparseable", /multiple documents/],
    ["an alias bomb", `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`, "Unparseable", /not usable YAML/],
    ["a scalar", "just text", "NotAnObject", /must be a JSON or YAML object/],
    ["a list", "[1, 2]", "NotAnObject", /object/],
    ["HTML", "<html><body>Not Found</body></html>", "NotAnObject", /object/],
    ["a JSON null", "null", "NotAnObject", /object/],
    ["neither swagger nor openapi", JSON.stringify({ info: { title: "T" }, paths: {} }), "UnsupportedVersion", /neither swagger: "2.0" nor openapi/],
    ["Swagger 1.2", JSON.stringify({ swagger: "1.2", info: { title: "T" }, paths: {} }), "UnsupportedVersion", /swagger "1.2" cannot be imported/],
    ["a numeric swagger in JSON", JSON.stringify({ swagger: 2, info: { title: "T" }, paths: {} }), "UnsupportedVersion", /swagger 2 cannot/],
    ["OpenAPI 3.2", JSON.stringify(minimal({ openapi: "3.2.0" })), "UnsupportedVersion", /OpenAPI "3.2.0" cannot be imported/],
    ["OpenAPI 4", JSON.stringify(minimal({ openapi: "4.0.0" })), "UnsupportedVersion", /cannot be imported/],
    ["an unquoted openapi version in YAML", "openapi: 3.1\ninfo: {title: T}\npaths: {}\n", "UnsupportedVersion", /quote it in YAML\), got 3.1/],
    ["no info", JSON.stringify({ openapi: "3.0.0", paths: {} }), "MissingTitle", /info.title is required/],
    ["a blank title", JSON.stringify({ openapi: "3.0.0", info: { title: " " }, paths: {} }), "MissingTitle", /info.title/],
    ["no paths", JSON.stringify({ openapi: "3.0.0", info: { title: "T" } }), "InvalidPaths", /paths is required/],
    ["paths as a list", JSON.stringify({ openapi: "3.0.0", info: { title: "T" }, paths: [] }), "InvalidPaths", /paths is required/],
    ["a relative path", JSON.stringify(minimal({ openapi: "3.0.0" }, { items: { get: {} } })), "InvalidPaths", /must start with "\/", got "items"/],
    ["a path item that is not an object", JSON.stringify(minimal({ openapi: "3.0.0" }, { "/a": "get" })), "InvalidPaths", /paths\["\/a"\] must be an object/]
  ])("refuses %s", (_, text, reason, message) => {
    const error = refused(text)
    expect(error.reason).toBe(reason)
    expect(error.message).toMatch(message)
    expect(error.retryable).toBe(false)
  })

  it("refuses a document larger than APIM's 4 MB inline limit", () => {
    const big = JSON.stringify({ openapi: "3.0.0", info: { title: "T", description: "x".repeat(4 * 1024 * 1024) }, paths: {} })
    expect(refused(big)).toMatchObject({ reason: "TooLarge", message: expect.stringMatching(/^the document is 4\.0 MB; API Management imports at most 4 MB/) })
  })
})
