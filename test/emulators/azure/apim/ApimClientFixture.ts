import * as http from "node:http"
import { ApiManagementClient } from "@azure/arm-apimanagement"
import { generateCertificates } from "../../../../src/emulators/azure/Certificates.ts"
import { startHttpsFront, type HttpsFront } from "../../../../src/emulators/azure/HttpsFront.ts"
import { makeApimHandler } from "../../../../src/emulators/azure/apim/ApimHandler.ts"
import type { ApimModel } from "../../../../src/emulators/azure/apim/ApimModel.ts"
import { makeModel, resourceGroup, serviceName, subscriptionId } from "./Fixtures.ts"

/** The real ApiManagementClient against the model's HTTPS door, trusting the emulator CA. */
export interface ApimContract {
  readonly model: ApimModel
  readonly front: HttpsFront
  readonly client: ApiManagementClient
  readonly close: () => Promise<void>
}

export const rg = resourceGroup
export const svc = serviceName
/** Small poll interval: LRO tests never wait the SDK's default 2 s. */
export const fastPolling = { updateIntervalInMs: 5 }

export const startApimContract = async (): Promise<ApimContract> => {
  const certificates = await generateCertificates()
  const model = makeModel({ linkTimeoutMs: 2_000 })
  const front = await startHttpsFront({ certificates, handler: makeApimHandler(model) })
  const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) }
  const client = new ApiManagementClient(credential, subscriptionId, {
    endpoint: front.url,
    tlsOptions: { ca: certificates.caPem },
    retryOptions: { maxRetries: 0 }
  })
  return { model, front, client, close: () => front.close() }
}

/** A plain-HTTP server on loopback serving fixed documents, for the `*-link` formats. */
export interface DocumentServer {
  readonly url: (path: string) => string
  readonly close: () => Promise<void>
}

export const startDocumentServer = async (documents: Readonly<Record<string, string>>): Promise<DocumentServer> => {
  const server = http.createServer((request, response) => {
    const body = documents[request.url ?? ""]
    response.writeHead(body === undefined ? 404 : 200, { "Content-Type": "text/plain" })
    response.end(body ?? "not found")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** What the tests read from the SDK's RestError (checked by name: the class is not a direct dependency). */
export interface RestErrorView {
  readonly statusCode: number | undefined
  readonly code: string | undefined
  readonly message: string
  /** ARM `error.details`, as the operator would read them. */
  readonly details: unknown
}

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined

/** The RestError a promise rejects with, or a test failure when it resolves or fails otherwise. */
export const restErrorOf = async (promise: Promise<unknown>): Promise<RestErrorView> => {
  try {
    await promise
  } catch (cause) {
    if (!(cause instanceof Error) || cause.name !== "RestError") throw cause
    const statusCode = field(cause, "statusCode")
    const code = field(cause, "code")
    return {
      statusCode: typeof statusCode === "number" ? statusCode : undefined,
      code: typeof code === "string" ? code : undefined,
      message: cause.message,
      details: field(field(field(field(cause, "response"), "parsedBody"), "error"), "details")
    }
  }
  throw new Error("expected the call to fail")
}
