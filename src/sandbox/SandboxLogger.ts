import { Config, type ConfigError, Effect, Layer, Logger, LogLevel } from "effect"

/**
 * The sandbox's logs: Effect's pretty logger on stderr, so the operator's lines stay readable and apart from the
 * view on stdout; `LOG_LEVEL` (default Info) sets the floor.
 */
export const sandboxLogger: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Config.logLevel("LOG_LEVEL").pipe(
    Config.withDefault(LogLevel.Info),
    Effect.map((level) =>
      Layer.merge(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true })), Logger.minimumLogLevel(level))
    )
  )
)
