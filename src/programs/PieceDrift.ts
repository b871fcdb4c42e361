import { type DriftMode, isDrift, type WriteReason, writesIn } from "../domain/DriftMode.ts"

/**
 * Drift in what is published beside the API (its tags, its API key product and subscription), found while
 * converging it: corrected (drift mode `correct`), or left as it is for the report (`report-only`).
 */
export interface PieceDrift {
  readonly piece: "tags" | "apiKeys"
  readonly description: string
  readonly corrected: boolean
}

/** A write is the spec's doing when the desired state moved since it was last applied, someone else's otherwise. */
export const writeReason = (unchangedSinceApplied: boolean, present: boolean): WriteReason =>
  unchangedSinceApplied ? (present ? "drift" : "missing") : present ? "changed" : "absent"

export interface DriftGate {
  /** Whether a write for `reason` goes ahead in the drift mode; drift is noted either way. */
  readonly allows: (reason: WriteReason, description: string) => boolean
  readonly found: () => ReadonlyArray<PieceDrift>
}

export const driftGate = (piece: PieceDrift["piece"], mode: DriftMode): DriftGate => {
  const found: Array<PieceDrift> = []
  return {
    allows: (reason, description) => {
      const allowed = writesIn(mode, reason)
      if (isDrift(reason)) found.push({ piece, description, corrected: allowed })
      return allowed
    },
    found: () => [...found]
  }
}
