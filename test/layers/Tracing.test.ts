import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tracingFromConfig } from "../../src/layers/Tracing.ts"

/** A loopback OTLP/HTTP collector that keeps what it is sent. */
const collector = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: Array<{ readonly path: string; readonly body: string }>; readonly close: () => void }>((resume) => {
    const received: Array<{ readonly path: string; readonly body: string }> = []
    const server = createServer((request, response) => {
      let body = ""
      request.on("data", (chunk: Buffer) => (body += chunk.toString()))
      request.on("end", () => {
        received.push({ path: request.url ?? "", body })
        response.writeHead(200, { "Content-Type": "application/json" }).end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received,
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      })))
  }),
  (c) => Effect.sync(c.close)
)

const withEnv = (env: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const traced = Effect.logDebug("inside").pipe(
  Effect.withSpan("Reconcile.exposedapi", { attributes: { key: "components/r1-catalog" } }),
  Effect.withSpan("Controller.run")
)

describe("Tracing", () => {
  it.live("with OTEL_EXPORTER_OTLP_ENDPOINT, spans reach the collector's /v1/traces by the time the layer is released", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const otlp = yield* collector
        yield* traced.pipe(Effect.provide(tracingFromConfig.pipe(Layer.provide(withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url })))))
        expect(otlp.received.map((r) => r.path)).toContain("/v1/traces")
        const body = otlp.received.map((r) => r.body).join("\n")
        expect(body).toContain("Reconcile.exposedapi")
        expect(body).toContain("Controller.run")
        expect(body).toContain("components/r1-catalog")
        expect(body).toContain("oda-apim-operator")
      })
    ))

  it.live("without an endpoint Effect's own tracer stays in place: no exporter, no overhead", () =>
    Effect.gen(function*() {
      const before = yield* Effect.tracer
      const within = yield* Effect.tracer.pipe(Effect.provide(tracingFromConfig.pipe(Layer.provide(withEnv({})))))
      expect(within).toBe(before)
      const exporting = yield* Effect.tracer.pipe(Effect.provide(tracingFromConfig.pipe(Layer.provide(withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" })))))
      expect(exporting).not.toBe(before)
    }))
})
