import type { JsonObject } from "../../emulators/Json.ts"

const idParameter: JsonObject = { name: "id", in: "path", required: true, description: "Identifier of the resource", schema: { type: "string" } }

const json = (ref: string): JsonObject => ({ "application/json": { schema: { $ref: ref } } })
const list = (ref: string): JsonObject => ({ "application/json": { schema: { type: "array", items: { $ref: ref } } } })
const errorResponse: JsonObject = { description: "Error", content: json("#/components/schemas/Error") }

/** A TMF632-like Party Management API, trimmed to a few operations: OpenAPI 3.0, served as JSON. */
export const tmf632PartyManagement: JsonObject = {
  openapi: "3.0.1",
  info: {
    title: "Party Management",
    description: "Sandbox sample modelled on TMF632 Party Management v4: individuals and organizations.",
    version: "4.0.0"
  },
  servers: [{ url: "https://serverRoot/tmf-api/partyManagement/v4" }],
  tags: [{ name: "individual" }, { name: "organization" }],
  paths: {
    "/individual": {
      get: {
        operationId: "listIndividual",
        summary: "List or find Individual objects",
        tags: ["individual"],
        responses: { "200": { description: "Success", content: list("#/components/schemas/Individual") }, default: errorResponse }
      },
      post: {
        operationId: "createIndividual",
        summary: "Creates an Individual",
        tags: ["individual"],
        requestBody: { required: true, content: json("#/components/schemas/Individual") },
        responses: { "201": { description: "Created", content: json("#/components/schemas/Individual") }, default: errorResponse }
      }
    },
    "/individual/{id}": {
      get: {
        operationId: "retrieveIndividual",
        summary: "Retrieves an Individual by ID",
        tags: ["individual"],
        parameters: [idParameter],
        responses: { "200": { description: "Success", content: json("#/components/schemas/Individual") }, default: errorResponse }
      }
    },
    "/organization": {
      get: {
        operationId: "listOrganization",
        summary: "List or find Organization objects",
        tags: ["organization"],
        responses: { "200": { description: "Success", content: list("#/components/schemas/Organization") }, default: errorResponse }
      }
    }
  },
  components: {
    schemas: {
      Individual: {
        type: "object",
        properties: {
          id: { type: "string" },
          href: { type: "string" },
          givenName: { type: "string" },
          familyName: { type: "string" },
          status: { type: "string", enum: ["initialized", "validated", "deceased"] }
        }
      },
      Organization: {
        type: "object",
        properties: {
          id: { type: "string" },
          href: { type: "string" },
          name: { type: "string" },
          tradingName: { type: "string" },
          isLegalEntity: { type: "boolean" }
        }
      },
      Error: {
        type: "object",
        required: ["code", "reason"],
        properties: { code: { type: "string" }, reason: { type: "string" }, message: { type: "string" } }
      }
    }
  }
}
