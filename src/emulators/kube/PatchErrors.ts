import { StatusError } from "./Status.ts"

/**
 * The patch failures kube-apiserver reports without a Status.ts helper of their own
 * (k8s.io/apimachinery/pkg/api/errors and handlers/responsewriters).
 */

/**
 * errors.NewGenericServerResponse(422, "", GroupResource{}, "", err.Error(), 0, false): the library error text is
 * dropped, so every failed JSON patch operation (a failed `test`, a missing path, ...) reads the same.
 */
export const patchNotApplied = (): StatusError =>
  new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: "the server rejected our request due to an error in our request",
    reason: "Invalid",
    details: {},
    code: 422
  })

/** errors.NewRequestEntityTooLargeError. */
export const requestEntityTooLarge = (message: string): StatusError =>
  new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Request entity too large: ${message}`,
    reason: "RequestEntityTooLarge",
    code: 413
  })

/**
 * A plain Go error that reached the handler (responsewriters.ErrorToAPIStatus): 500 with reason Unknown (""), which
 * is omitted from the body. Strategic merge reports most malformed patches this way.
 */
export const unclassifiedError = (message: string): StatusError =>
  new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    code: 500
  })
