import { HttpRouter, type HttpServer, HttpServerResponse } from "@effect/platform"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, type Scope } from "effect"
import { createServer, type Server } from "node:http"
import { CONTENT_TYPE } from "../services/PrometheusMetrics.ts"
import type { ProbeAddress } from "../services/RuntimeSettings.ts"

/** What the probe port reports; an empty list of reasons means healthy. */
export interface ProbeChecks {
  /** Why the process should be restarted (liveness). */
  readonly live: Effect.Effect<ReadonlyArray<string>>
  /** Why the pod should not count as ready (readiness). */
  readonly ready: Effect.Effect<ReadonlyArray<string>>
  /** The Prometheus exposition. */
  readonly metrics: Effect.Effect<string>
}

const verdict = (reasons: Effect.Effect<ReadonlyArray<string>>) =>
  Effect.map(reasons, (list) =>
    list.length === 0
      ? HttpServerResponse.text("ok\n")
      : HttpServerResponse.text(`${list.join("\n")}\n`, { status: 503 }))

/** The probe port: started early (liveness answers while start-up checks run), closed with the scope. */
export const listenForProbes = (address: ProbeAddress): Effect.Effect<HttpServer.HttpServer, ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    let node: Server | undefined
    const server = yield* NodeHttpServer.make(() => (node = createServer()), { port: address.port, host: address.host })
    // kubelet and Prometheus keep connections open; close them so shutdown does not wait on them
    yield* Effect.addFinalizer(() => Effect.sync(() => node?.closeAllConnections()))
    return server
  })

export const probeUrl = (server: HttpServer.HttpServer): string =>
  server.address._tag === "TcpAddress"
    ? `http://${server.address.hostname === "0.0.0.0" ? "127.0.0.1" : server.address.hostname}:${server.address.port}`
    : `unix:${server.address.path}`

/** `/healthz`, `/readyz` (200 "ok", or 503 with the reasons, one per line) and `/metrics`, for as long as the scope. */
export const serveProbes = (server: HttpServer.HttpServer, checks: ProbeChecks): Effect.Effect<void, never, Scope.Scope> =>
  server.serve(
    HttpRouter.empty.pipe(
      HttpRouter.get("/healthz", verdict(checks.live)),
      HttpRouter.get("/readyz", verdict(checks.ready)),
      HttpRouter.get("/metrics", Effect.map(checks.metrics, (text) => HttpServerResponse.text(text, { contentType: CONTENT_TYPE })))
    )
  )
