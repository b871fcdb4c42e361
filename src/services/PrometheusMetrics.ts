import * as OtelMetrics from "@effect/opentelemetry/Metrics"
import * as OtelResource from "@effect/opentelemetry/Resource"
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus"
import { Context, Effect, Layer } from "effect"
import { VERSION } from "../Version.ts"

/**
 * Every Effect `Metric` of the process (src/Metrics.ts and Effect's own) in Prometheus' text format, read through
 * @effect/opentelemetry's metric producer and OpenTelemetry's Prometheus exporter, whose HTTP server stays off:
 * the operator serves the text on its probe port.
 */
export interface PrometheusMetricsApi {
  readonly scrape: Effect.Effect<string>
}

export class PrometheusMetrics extends Context.Tag("oda/PrometheusMetrics")<PrometheusMetrics, PrometheusMetricsApi>() {}

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

export const layer: Layer.Layer<PrometheusMetrics> = Layer.scoped(
  PrometheusMetrics,
  Effect.gen(function*() {
    const exporter = new PrometheusExporter({ preventServerStart: true })
    const producer = yield* OtelMetrics.makeProducer
    yield* OtelMetrics.registerProducer(producer, () => exporter)
    // without the otel_scope_* labels: every series comes from the one producer, the label would only be noise
    const serializer = new PrometheusSerializer(undefined, false, undefined, false, true)
    return {
      scrape: Effect.promise(() => exporter.collect()).pipe(
        Effect.map(({ resourceMetrics }) => serializer.serialize(resourceMetrics)),
        Effect.withSpan("PrometheusMetrics.scrape")
      )
    }
  })
).pipe(Layer.provide(OtelResource.layer({ serviceName: "oda-apim-operator", serviceVersion: VERSION })))
