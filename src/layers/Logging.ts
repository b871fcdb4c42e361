import { type ConfigError, Effect, Layer, Logger } from "effect"
import { logFormat, logLevel } from "../services/RuntimeSettings.ts"

/**
 * The operator's logs. `run`: JSON lines on stdout by default (`LOG_FORMAT=pretty` for people), the context in
 * annotations (controller, key, namespace, name, component) rather than in the message. The sandbox: always
 * pretty, on stderr, so its view on stdout stays readable. `LOG_LEVEL` sets the floor for both.
 */
export const logging = (options: { readonly sandbox?: boolean } = {}): Layer.Layer<never, ConfigError.ConfigError> =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const level = yield* logLevel
      const format = options.sandbox === true ? "pretty" : yield* logFormat
      const logger = options.sandbox === true
        ? Logger.prettyLogger({ stderr: true })
        : format === "json"
        ? Logger.jsonLogger.pipe(Logger.withConsoleLog)
        : Logger.prettyLogger()
      return Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(level))
    })
  )
