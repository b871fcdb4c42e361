import type { JsonObject } from "../../emulators/Json.ts"

const error: JsonObject = {
  type: "object",
  required: ["code", "reason"],
  properties: {
    code: { type: "string", description: "Application relevant detail, defined in the API or a common list" },
    reason: { type: "string", description: "Explanation of the reason for the error, for display to a user" },
    message: { type: "string", description: "More details and corrective actions related to the error" }
  }
}

const errorResponses: JsonObject = {
  "400": { description: "Bad Request", schema: { $ref: "#/definitions/Error" } },
  "404": { description: "Not Found", schema: { $ref: "#/definitions/Error" } },
  "500": { description: "Internal Server Error", schema: { $ref: "#/definitions/Error" } }
}

const idParameter: JsonObject = { name: "id", in: "path", required: true, type: "string", description: "Identifier of the resource" }
const fieldsParameter: JsonObject = { name: "fields", in: "query", type: "string", description: "Comma-separated properties to be provided in response" }
const offsetParameter: JsonObject = { name: "offset", in: "query", type: "integer", description: "Requested index for start of resources to be provided in response" }
const limitParameter: JsonObject = { name: "limit", in: "query", type: "integer", description: "Requested number of resources to be provided in response" }

/** A TMF620-like Product Catalog Management API, trimmed to a few operations: Swagger 2.0, served as JSON. */
export const tmf620ProductCatalog: JsonObject = {
  swagger: "2.0",
  info: {
    title: "Product Catalog Management",
    description: "Sandbox sample modelled on TMF620 Product Catalog Management v4: catalogs and product offerings.",
    version: "4.0.0"
  },
  host: "serverRoot",
  basePath: "/tmf-api/productCatalogManagement/v4",
  schemes: ["https"],
  consumes: ["application/json;charset=utf-8"],
  produces: ["application/json;charset=utf-8"],
  tags: [{ name: "catalog" }, { name: "productOffering" }],
  paths: {
    "/catalog": {
      get: {
        operationId: "listCatalog",
        summary: "List or find Catalog objects",
        tags: ["catalog"],
        parameters: [fieldsParameter, offsetParameter, limitParameter],
        responses: {
          "200": { description: "Success", schema: { type: "array", items: { $ref: "#/definitions/Catalog" } } },
          ...errorResponses
        }
      }
    },
    "/catalog/{id}": {
      get: {
        operationId: "retrieveCatalog",
        summary: "Retrieves a Catalog by ID",
        tags: ["catalog"],
        parameters: [idParameter, fieldsParameter],
        responses: { "200": { description: "Success", schema: { $ref: "#/definitions/Catalog" } }, ...errorResponses }
      }
    },
    "/productOffering": {
      get: {
        operationId: "listProductOffering",
        summary: "List or find ProductOffering objects",
        tags: ["productOffering"],
        parameters: [fieldsParameter, offsetParameter, limitParameter],
        responses: {
          "200": { description: "Success", schema: { type: "array", items: { $ref: "#/definitions/ProductOffering" } } },
          ...errorResponses
        }
      },
      post: {
        operationId: "createProductOffering",
        summary: "Creates a ProductOffering",
        tags: ["productOffering"],
        parameters: [{ name: "productOffering", in: "body", required: true, schema: { $ref: "#/definitions/ProductOffering_Create" } }],
        responses: { "201": { description: "Created", schema: { $ref: "#/definitions/ProductOffering" } }, ...errorResponses }
      }
    },
    "/productOffering/{id}": {
      get: {
        operationId: "retrieveProductOffering",
        summary: "Retrieves a ProductOffering by ID",
        tags: ["productOffering"],
        parameters: [idParameter, fieldsParameter],
        responses: { "200": { description: "Success", schema: { $ref: "#/definitions/ProductOffering" } }, ...errorResponses }
      }
    }
  },
  definitions: {
    Catalog: {
      type: "object",
      properties: {
        id: { type: "string" },
        href: { type: "string" },
        name: { type: "string" },
        description: { type: "string" },
        lifecycleStatus: { type: "string" },
        lastUpdate: { type: "string", format: "date-time" }
      }
    },
    ProductOffering: {
      type: "object",
      properties: {
        id: { type: "string" },
        href: { type: "string" },
        name: { type: "string" },
        description: { type: "string" },
        isBundle: { type: "boolean" },
        isSellable: { type: "boolean" },
        lifecycleStatus: { type: "string" },
        version: { type: "string" }
      }
    },
    ProductOffering_Create: {
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string" },
        description: { type: "string" },
        isBundle: { type: "boolean" },
        isSellable: { type: "boolean" },
        lifecycleStatus: { type: "string" }
      }
    },
    Error: error
  }
}
