import { Config, ConfigError, Effect, Either, Layer, Logger, LogLevel } from "effect"

const LEVELS: ReadonlyMap<string, LogLevel.LogLevel> = new Map([
  ["all", LogLevel.All],
  ["trace", LogLevel.Trace],
  ["debug", LogLevel.Debug],
  ["info", LogLevel.Info],
  ["warn", LogLevel.Warning],
  ["warning", LogLevel.Warning],
  ["error", LogLevel.Error],
  ["fatal", LogLevel.Fatal],
  ["none", LogLevel.None],
  ["off", LogLevel.None]
])

const logLevel = Config.string("LOG_LEVEL").pipe(
  Config.withDefault("info"),
  Config.mapOrFail((text) => {
    const level = LEVELS.get(text.trim().toLowerCase())
    return level === undefined
      ? Either.left(ConfigError.InvalidData(["LOG_LEVEL"], `LOG_LEVEL must be one of ${[...LEVELS.keys()].join(", ")}, got ${JSON.stringify(text)}`))
      : Either.right(level)
  })
)

/**
 * The sandbox's logs: Effect's pretty logger on stderr, so the operator's lines stay readable and apart from the
 * view on stdout; `LOG_LEVEL` (default info) sets the floor.
 */
export const sandboxLogger: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(logLevel, (level) =>
    Layer.merge(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true })), Logger.minimumLogLevel(level)))
)
