import { Effect, type Scope } from "effect"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { SampleDocument } from "./SampleDocuments.ts"

export interface DocumentServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string
  /** Where a document is served. */
  readonly urlOf: (file: string) => string
}

const listen = (server: Server): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      if (address === null || typeof address === "string") reject(new Error("the document server has no TCP address"))
      else resolve(address)
    })
  })

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/**
 * A loopback HTTP server answering `GET /<file>` with the documents, and `GET /` with their list; released with
 * the scope. It stands in for wherever ODA Components publish their specifications.
 */
export const serveDocuments = (documents: ReadonlyArray<SampleDocument>): Effect.Effect<DocumentServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const byPath = new Map(documents.map((document) => [`/${document.file}`, document]))
    const server = createServer((request, response) => {
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { Allow: "GET, HEAD" }).end()
        return
      }
      const path = new URL(request.url ?? "/", "http://documents").pathname
      const index = path === "/" ? `${JSON.stringify(documents.map((document) => document.file), null, 2)}\n` : undefined
      const document = byPath.get(path)
      const body = index ?? document?.body
      if (body === undefined) {
        response.writeHead(404, { "Content-Type": "text/plain" }).end(`no document at ${path}\n`)
        return
      }
      response.writeHead(200, {
        "Content-Type": `${document?.contentType ?? "application/json"}; charset=utf-8`,
        "Content-Length": Buffer.byteLength(body)
      })
      response.end(request.method === "HEAD" ? undefined : body)
    })
    const address = yield* Effect.acquireRelease(Effect.promise(() => listen(server)), () => Effect.promise(() => close(server)))
    const url = `http://127.0.0.1:${address.port}`
    return { url, urlOf: (file: string) => `${url}/${encodeURIComponent(file)}` }
  })
