import { Duration, Metric, MetricBoundaries } from "effect"

/**
 * Every metric the operator exports, in one place. Names follow controller-runtime where an equivalent exists,
 * so dashboards built for Go operators read ours too.
 */

export const reconcileTotal = Metric.counter("operator_reconcile_total", {
  description: "Reconciliations by controller and result (success, error, requeue_after, abandoned)",
  incremental: true
})

/** Fed with Durations (Metric.trackDuration), exported in seconds as Prometheus expects. */
export const reconcileDuration = Metric.histogram(
  "operator_reconcile_duration_seconds",
  MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
  "Time spent in one reconciliation"
).pipe(Metric.mapInput((duration: Duration.Duration) => Duration.toSeconds(duration)))

export const queueDepth = Metric.gauge("operator_workqueue_depth", { description: "Keys waiting or running in the work queue" })

export const armRequests = Metric.counter("operator_arm_requests_total", {
  description: "Azure Resource Manager calls by operation and HTTP status",
  incremental: true
})

export const armThrottled = Metric.counter("operator_arm_throttled_total", {
  description: "429 answers received from Azure Resource Manager",
  incremental: true
})

export const timeToReady = Metric.histogram(
  "operator_exposedapi_time_to_ready_seconds",
  MetricBoundaries.fromIterable([0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800]),
  "Time from an ExposedAPI's creation to its first Ready=True"
)

export const driftFound = Metric.counter("operator_drift_found_total", {
  description: "APIM found changed outside the operator (drift), by piece (api, policy, tags, apiKeys) and drift mode (correct, report-only)",
  incremental: true
})

export const driftCorrected = Metric.counter("operator_drift_corrected_total", {
  description: "Drift corrected by re-applying what was applied before, by piece and drift mode",
  incremental: true
})

/** Data-first Metric.tagged: the data-last overload cannot infer the metric's input type in 3.22. */
export const countArmRequest = (operation: string, status: string) =>
  Metric.increment(Metric.tagged(Metric.tagged(armRequests, "operation", operation), "status", status))

/** client-go's leader_election_master_status, by Lease name: 1 while this replica leads, 0 otherwise. */
export const leaderStatus = Metric.gauge("operator_leader_election_master_status", {
  description: "1 while this replica holds the leader Lease, 0 otherwise"
})
