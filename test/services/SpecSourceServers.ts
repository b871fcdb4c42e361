import * as http from "node:http"
import * as https from "node:https"
import * as net from "node:net"
import * as os from "node:os"
import { Effect, type Scope } from "effect"
import { generateCertificates } from "../../src/emulators/azure/Certificates.ts"
import type { SpecSourceOptions } from "../../src/services/SpecSource.ts"

/** Loopback servers for the SpecSource tests: a document server with a hit log, an HTTPS one, and a proxy. */

/** Options for a SpecSource under test: loopback allowed (the servers are on it), a roomy cache. */
export const specOptions = (overrides: Partial<SpecSourceOptions> = {}): SpecSourceOptions => ({
  timeout: "5 seconds",
  maxBytes: 64 * 1024,
  allowLoopback: true,
  refreshInterval: "10 minutes",
  cacheEntries: 100,
  cacheBytes: 1024 * 1024,
  ...overrides
})

export interface Hit {
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
}

export interface RunningServer {
  readonly port: number
  readonly hits: Array<Hit>
  /** A URL on this server, with the host written as given (`127.0.0.1`, `localhost`, `[::1]`). */
  readonly url: (path: string, host?: string) => string
  readonly hitsOf: (path: string) => number
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void

const listen = (server: http.Server | https.Server, host: string): Effect.Effect<number, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, host, () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const running = (server: http.Server | https.Server, scheme: "http" | "https", hits: Array<Hit>, host: string) =>
  Effect.map(listen(server, host), (port): RunningServer => ({
    port,
    hits,
    url: (path, urlHost = host.includes(":") ? `[${host}]` : host) => `${scheme}://${urlHost}:${port}${path}`,
    hitsOf: (path) => hits.filter((h) => h.path === path).length
  }))

const recording = (hits: Array<Hit>, handler: Handler): Handler => (request, response) => {
  hits.push({ path: request.url ?? "", headers: request.headers })
  handler(request, response)
}

export const startServer = (handler: Handler, host = "127.0.0.1"): Effect.Effect<RunningServer, never, Scope.Scope> => {
  const hits: Array<Hit> = []
  return running(http.createServer(recording(hits, handler)), "http", hits, host)
}

export const startHttpsServer = (handler: Handler): Effect.Effect<RunningServer & { readonly caPem: string }, never, Scope.Scope> =>
  Effect.gen(function*() {
    const certificates = yield* Effect.promise(() => generateCertificates())
    const hits: Array<Hit> = []
    const server = https.createServer({ cert: certificates.certPem, key: certificates.keyPem }, recording(hits, handler))
    const started = yield* running(server, "https", hits, "127.0.0.1")
    return { ...started, caPem: certificates.caPem }
  })

export interface RunningProxy {
  readonly url: string
  /** What the proxy was asked: `CONNECT host:port` or `GET http://…`, with the request headers. */
  readonly requests: Array<{ readonly line: string; readonly headers: http.IncomingHttpHeaders }>
}

/** A forwarding proxy: absolute-form requests for http, CONNECT tunnels for https; `refuse` answers 403 to all. */
export const startProxy = (options: { readonly refuse?: boolean } = {}): Effect.Effect<RunningProxy, never, Scope.Scope> =>
  Effect.gen(function*() {
    const requests: RunningProxy["requests"] = []
    const tunnels = new Set<net.Socket>() // a CONNECT socket leaves the server's books: closeAllConnections misses it
    const server = http.createServer((request, response) => {
      requests.push({ line: `${request.method ?? ""} ${request.url ?? ""}`, headers: request.headers })
      if (options.refuse === true) return response.writeHead(403).end()
      const target = new URL(request.url ?? "")
      const { "proxy-authorization": _credentials, ...headers } = request.headers // for the proxy, not the origin
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers, agent: false },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
        }
      )
      upstream.on("error", () => response.writeHead(502).end())
      upstream.end()
    })
    server.on("connect", (request: http.IncomingMessage, client: net.Socket) => {
      requests.push({ line: `CONNECT ${request.url ?? ""}`, headers: request.headers })
      if (options.refuse === true) return client.end("HTTP/1.1 403 Forbidden\r\n\r\n")
      const [host = "", port = ""] = (request.url ?? "").split(/:(?=\d+$)/)
      const upstream = net.connect(Number(port), host, () => {
        tunnels.add(client).add(upstream)
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on("error", () => client.destroy())
      client.on("error", () => upstream.destroy())
    })
    const port = yield* listen(server, "127.0.0.1")
    yield* Effect.addFinalizer(() => Effect.sync(() => tunnels.forEach((socket) => socket.destroy())))
    return { url: `http://127.0.0.1:${port}`, requests }
  })

/** A non-loopback address of this machine, to serve a first hop that the loopback guard lets through. */
export const nonLoopbackAddress = (): string | undefined =>
  Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i !== undefined && !i.internal && i.family === "IPv4")?.address
