import { ValidationError } from "@effect/cli"
import { Cause, ConfigError, Console, Effect, Option } from "effect"

/** Each bad setting as `NAME: what is wrong` (Effect's own message does not name the variable). */
const configProblems = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...new Set([...configProblems(error.left), ...configProblems(error.right)])]
    default: {
      const name = error.path.join(".")
      return [name === "" || error.message.includes(name) ? error.message : `${name}: ${error.message}`]
    }
  }
}

const describe = (error: unknown): string => {
  if (ConfigError.isConfigError(error)) return configProblems(error).join("; ")
  if (typeof error === "object" && error !== null && "message" in error) return String(Reflect.get(error, "message"))
  return String(error)
}

/**
 * Fatal errors on stderr as one readable message (the error's own), not a stack trace; exit code 1. Command-line
 * mistakes (unknown flag, bad value) are already printed by @effect/cli, naming the flag.
 */
export const reportFatal = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.tapErrorCause((cause) =>
      Cause.isInterruptedOnly(cause) || Option.exists(Cause.failureOption(cause), ValidationError.isValidationError)
        ? Effect.void
        : Console.error(
          Cause.failureOption(cause).pipe(
            Option.map((error) => `oda-apim-operator: ${describe(error)}`),
            Option.getOrElse(() => Cause.pretty(cause))
          )
        )
    )
  )
