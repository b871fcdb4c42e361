import { Cause, Console, Effect, Option } from "effect"

/** Fatal errors on stderr as one readable message (the error's own), not a stack trace; exit code 1. */
export const reportFatal = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.tapErrorCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.void
        : Console.error(
          Cause.failureOption(cause).pipe(
            Option.map((error) => `oda-apim-operator: ${error instanceof Error || (typeof error === "object" && error !== null && "message" in error) ? String(Reflect.get(error, "message")) : String(error)}`),
            Option.getOrElse(() => Cause.pretty(cause))
          )
        )
    )
  )
