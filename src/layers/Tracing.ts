import * as OtlpSerialization from "@effect/opentelemetry/OtlpSerialization"
import * as OtlpTracer from "@effect/opentelemetry/OtlpTracer"
import { FetchHttpClient } from "@effect/platform"
import { type ConfigError, Effect, Layer, Option } from "effect"
import { tracing, type TracingSettings } from "../services/RuntimeSettings.ts"
import { VERSION } from "../Version.ts"

/**
 * The spans the services and programs already open (`Effect.withSpan`, `Effect.fn`), sent to an OTLP/HTTP
 * collector in batches by @effect/opentelemetry's own exporter (no OpenTelemetry SDK in the process). Without an
 * endpoint the layer is empty: Effect's default tracer keeps spans in memory for the fiber only.
 */
export const otlpTracing = (settings: TracingSettings): Layer.Layer<never> =>
  OtlpTracer.layer({
    url: settings.url,
    resource: { serviceName: settings.serviceName, serviceVersion: VERSION },
    // pending spans are flushed when the layer is released (shutdown), within this bound
    shutdownTimeout: "3 seconds"
  }).pipe(Layer.provide(Layer.merge(FetchHttpClient.layer, OtlpSerialization.layerJson)))

/** Tracing as configured by OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT); nothing when unset. */
export const tracingFromConfig: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(tracing, Option.match({ onNone: () => Layer.empty, onSome: otlpTracing }))
)
