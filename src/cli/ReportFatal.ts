import { ValidationError } from "@effect/cli"
import { Cause, Console, Effect, Option } from "effect"

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
            Option.map((error) => `oda-apim-operator: ${error instanceof Error || (typeof error === "object" && error !== null && "message" in error) ? String(Reflect.get(error, "message")) : String(error)}`),
            Option.getOrElse(() => Cause.pretty(cause))
          )
        )
    )
  )
