import { Either } from "effect"
import { GROUP } from "./ExposedApi.ts"
import { describeValue } from "./SpecProblems.ts"

/**
 * How the operator treats API Management (and the cluster objects it owns) for one ExposedAPI:
 *
 * - `correct`: whatever differs from the spec is written back (the default).
 * - `report-only`: changes of the desired state are applied (a new API, a spec or document change, a changed
 *   operator setting), but what was changed behind the operator's back (drift: APIM differs while the desired state
 *   is still the one last applied) is only reported, with condition `InSync=False` and a Warning Event, and left
 *   as it is. Creating what has never been published is not drift; re-creating what was deleted in APIM is.
 * - `paused`: hands off: nothing is read from or written to APIM, the Ingress or the NetworkPolicy; the status says
 *   so (`InSync=Unknown`, reason `Paused`). Deleting the ExposedAPI still unpublishes it: the finalizer ignores the
 *   mode, so a paused resource never blocks its namespace's deletion or leaves an API that nothing owns.
 */
export const DRIFT_MODES = ["correct", "report-only", "paused"] as const
export type DriftMode = (typeof DRIFT_MODES)[number]

/** Per-resource override of the operator's `DRIFT_MODE`. */
export const DRIFT_MODE_ANNOTATION = `${GROUP}/drift-mode`

export const isDriftMode = (value: string): value is DriftMode => DRIFT_MODES.some((mode) => mode === value)

const modesText = DRIFT_MODES.map((mode) => `"${mode}"`).join(", ")

/** The mode an ExposedAPI asks for (the operator's default without the annotation), or why its annotation is invalid. */
export const driftModeOf = (
  annotations: Readonly<Record<string, string>> | undefined,
  defaultMode: DriftMode
): Either.Either<DriftMode, string> => {
  const value = annotations?.[DRIFT_MODE_ANNOTATION]
  if (value === undefined) return Either.right(defaultMode)
  const mode = value.trim().toLowerCase()
  return isDriftMode(mode)
    ? Either.right(mode)
    : Either.left(`metadata.annotations["${DRIFT_MODE_ANNOTATION}"] must be one of ${modesText}, got ${describeValue(value)}`)
}

/**
 * Why a piece is written. `absent` (never published), `changed` (the desired state moved since it was last
 * applied) are the spec's doing; `drift` (it differs although the desired state did not move) and `missing` (it
 * was published and has been deleted since) are someone else's.
 */
export type WriteReason = "absent" | "changed" | "drift" | "missing"

export const isDrift = (reason: WriteReason): boolean => reason === "drift" || reason === "missing"

/** Whether a write for `reason` goes ahead in `mode` (paused never gets this far). */
export const writesIn = (mode: DriftMode, reason: WriteReason): boolean => mode === "correct" || (mode === "report-only" && !isDrift(reason))
