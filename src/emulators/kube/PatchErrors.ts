import { failure, type StatusError } from "./Status.ts"

/**
 * The patch failures kube-apiserver reports without a Status.ts helper of their own
 * (k8s.io/apimachinery/pkg/api/errors and handlers/responsewriters).
 */

/**
 * errors.NewGenericServerResponse(422, "", GroupResource{}, "", err.Error(), 0, false): the library error text is
 * dropped, so every failed JSON patch operation (a failed `test`, a missing path, ...) reads the same.
 */
export const patchNotApplied = (): StatusError =>
  failure(422, "Invalid", "the server rejected our request due to an error in our request", {})

/** errors.NewRequestEntityTooLargeError. */
export const requestEntityTooLarge = (message: string): StatusError =>
  failure(413, "RequestEntityTooLarge", `Request entity too large: ${message}`)

/**
 * A plain Go error that reached the handler (responsewriters.ErrorToAPIStatus): 500 with reason Unknown (""), which
 * is omitted from the body. Strategic merge reports most malformed patches this way.
 */
export const unclassifiedError = (message: string): StatusError => failure(500, undefined, message)
