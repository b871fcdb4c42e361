import { StatusError, type Status } from "../../../src/emulators/kube/Status.ts"

/** The Status a synchronous emulator call fails with; fails the test if it returns or throws anything else. */
export const statusOf = (run: () => unknown): Status => {
  try {
    run()
  } catch (e) {
    if (e instanceof StatusError) return e.status
    throw e
  }
  throw new Error("expected a StatusError")
}

/** The body of errors.NewBadRequest(message). */
export const badRequestStatus = (message: string): Status => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message,
  reason: "BadRequest",
  code: 400
})
