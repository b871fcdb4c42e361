import { Clock, Data, Duration, Effect } from "effect"
import { type Condition, type ConditionUpdate, removeCondition, setCondition } from "../domain/Conditions.ts"
import { EXPOSED_API, type ExposedApi } from "../domain/ExposedApi.ts"
import { statusChanges } from "../domain/Plan.ts"
import type { KubeError } from "../services/KubeResources.ts"
import { ExposedApis } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import type { EventSubject } from "../services/Recorder.ts"
import { OperatorEnvironment } from "./Bootstrap.ts"

/** A failure as the controller sees it: whether to retry, how soon at the earliest, and what to report. */
export class ReconcileFailure extends Data.TaggedError("ReconcileFailure")<{
  readonly reason: string
  readonly message: string
  readonly retryable: boolean
  readonly retryAfter?: Duration.Duration | undefined
}> {}

/** Any service failure, kept as a ReconcileFailure (its tag becomes the reason). */
export const asFailure = (error: {
  readonly _tag: string
  readonly message: string
  readonly retryable: boolean
  readonly retryAfterSeconds?: number | undefined
}): ReconcileFailure =>
  new ReconcileFailure({
    reason: error._tag,
    message: error.message,
    retryable: error.retryable,
    retryAfter: error.retryAfterSeconds === undefined ? undefined : Duration.seconds(error.retryAfterSeconds)
  })

export const subjectOf = (api: ExposedApi): EventSubject => ({
  apiVersion: api.apiVersion,
  kind: EXPOSED_API.kind,
  namespace: api.metadata.namespace,
  name: api.metadata.name,
  uid: api.metadata.uid
})

/** Conditions being decided in one reconcile: each update keeps lastTransitionTime when the status holds. */
export class ConditionBook {
  conditions: ReadonlyArray<Condition>
  private readonly now: Date
  readonly generation: number

  constructor(conditions: ReadonlyArray<Condition>, generation: number, now: Date) {
    this.conditions = conditions
    this.generation = generation
    this.now = now
  }

  set(type: string, status: ConditionUpdate["status"], reason: string, message: string): void {
    this.conditions = setCondition(this.conditions, { type, status, reason, message, observedGeneration: this.generation }, this.now)
  }

  apply(update: ConditionUpdate): void {
    this.conditions = setCondition(this.conditions, update, this.now)
  }

  remove(type: string): void {
    this.conditions = removeCondition(this.conditions, type)
  }
}

export const newConditionBook = (api: ExposedApi, conditions: ReadonlyArray<Condition>) =>
  Clock.currentTimeMillis.pipe(Effect.map((now) => new ConditionBook(conditions, api.metadata.generation, new Date(now))))

/** The status fields the operator writes, for the generation they describe. */
export interface OwnedStatus {
  readonly apiStatus: unknown
  readonly implementation: unknown
  readonly conditions: ReadonlyArray<Condition>
  readonly publication: unknown
  /** What became of each field the spec set (domain/Capabilities.ts). */
  readonly capabilities: unknown
}

/** Moves every "observed generation" in a status from one generation to the next. */
const restamp = (status: OwnedStatus, from: number, to: number): OwnedStatus => ({
  ...status,
  conditions: status.conditions.map((c) => (c.observedGeneration === from ? { ...c, observedGeneration: to } : c)),
  publication: typeof status.publication === "object" && status.publication !== null && Reflect.get(status.publication, "observedGeneration") === from
    ? { ...status.publication, observedGeneration: to }
    : status.publication
})

/**
 * Writes the operator's status fields when one of them changed (never otherwise): through `/status` when the CRD
 * declares it, else through the main resource; either way conditioned on the resourceVersion we read, so a
 * concurrent change is a conflict to re-read, never a lost update.
 *
 * Without a status subresource (the ODA Canvas's CRD) the API server counts a status change as a change of the
 * object and bumps metadata.generation by one. The write then states the generation it will produce, so
 * observedGeneration and metadata.generation agree afterwards and the next reconcile has nothing to rewrite.
 */
export const writeStatus = (api: ExposedApi, desired: OwnedStatus): Effect.Effect<boolean, KubeError, Kubernetes | OperatorEnvironment> =>
  Effect.gen(function*() {
    const { statusSubresource } = yield* OperatorEnvironment
    const generation = api.metadata.generation
    const withGeneration = (status: OwnedStatus, observedGeneration: number) => ({ ...status, observedGeneration })
    if (statusChanges(api.status, withGeneration(desired, generation)) === undefined) return false
    const written = statusSubresource ? withGeneration(desired, generation) : withGeneration(restamp(desired, generation, generation + 1), generation + 1)
    const changes = statusChanges(api.status, written)
    if (changes === undefined) return false
    const kube = yield* Kubernetes
    yield* kube.patch(
      ExposedApis,
      api.metadata.namespace,
      api.metadata.name,
      { type: "merge", body: { metadata: { resourceVersion: api.metadata.resourceVersion }, status: changes } },
      statusSubresource ? { subresource: "status" } : {}
    )
    return true
  })
