import { parse } from "yaml"
import { isJsonObject, type Json } from "../../../../src/emulators/Json.ts"
import type { EmulatorRequest } from "../../../../src/emulators/azure/Http.ts"
import { decodeSegments } from "../../../../src/emulators/azure/HttpsFront.ts"
import { ApimModel } from "../../../../src/emulators/azure/apim/ApimModel.ts"
import type { Outcome } from "../../../../src/emulators/azure/apim/ArmFailure.ts"
import { readReference } from "../../../fixtures/Reference.ts"

export const subscriptionId = "00000000-0000-4000-8000-000000000001"
export const resourceGroup = "oda-rg"
export const serviceName = "apim-canvas"

/** The TM Forum documents vendored in test/fixtures/reference/openapi. */
const reference = (name: string): string =>
  readReference(`openapi/${name}`)
export const tmf620Swagger = reference("TMF620-ProductCatalog-v4.0.0.swagger.json")
export const tmf620OpenApi = reference("TMF620-Product_Catalog_Management-v5.0.0.oas.yaml")

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

/** Counted independently of the emulator: every HTTP method under every path. */
export const countOperations = (document: Json): number => {
  const paths = isJsonObject(document) ? document["paths"] : undefined
  if (!isJsonObject(paths)) return 0
  return Object.values(paths).reduce<number>(
    (sum, item) => sum + (isJsonObject(item) ? Object.keys(item).filter((key) => methods.includes(key)).length : 0),
    0
  )
}

export const swaggerOperationCount = countOperations(JSON.parse(tmf620Swagger))
export const openApiOperationCount = countOperations(parse(tmf620OpenApi))

export const makeModel = (overrides: Partial<ConstructorParameters<typeof ApimModel>[0]> = {}): ApimModel =>
  new ApimModel({ subscriptionId, resourceGroup, serviceName, ...overrides })

export const plainApi = (path: string, extra: Record<string, Json> = {}): Json => ({
  properties: { displayName: `API ${path}`, path, protocols: ["https"], serviceUrl: "http://svc.ns.svc.cluster.local:8080", ...extra }
})

export const basicPolicy = `<policies>
  <inbound>
    <base />
    <set-variable name="host" value="@(context.Request.Headers.GetValueOrDefault("Host",""))" />
    <set-header name="X-Canvas" exists-action="override">
      <value>@((string)context.Variables["host"])</value>
    </set-header>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`

/** Unwraps a successful Outcome, failing the test with the refusal otherwise. */
export const expectOk = <A>(outcome: Outcome<A>): A => {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome.failure)}`)
  return outcome.value
}

/** A decoded request as the HTTPS front hands it to a model, for tests that skip the socket. */
export const emulatorRequest = (
  method: string,
  path: string,
  parts: { readonly body?: string; readonly query?: string; readonly headers?: Record<string, string> } = {}
): EmulatorRequest => ({
  method,
  rawPath: path,
  segments: decodeSegments(path),
  query: new URLSearchParams(parts.query ?? "api-version=2024-05-01"),
  headers: parts.headers ?? {},
  bodyText: parts.body ?? "",
  baseUrl: "https://127.0.0.1:1"
})
