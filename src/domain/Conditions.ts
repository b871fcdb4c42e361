import { Option, Schema } from "effect"

/**
 * Status conditions as Kubernetes API conventions define them (metav1.Condition): one entry per type, a CamelCase
 * reason, the generation it was computed for, and a lastTransitionTime that moves only when the status does.
 */

export const READY = "Ready"
/** The Ingress exists and the ingress controller published an address for it. */
export const INGRESS_READY = "IngressReady"
/** The API (definition and OpenAPI document) is in API Management as the spec asks. */
export const API_PUBLISHED = "ApiPublished"
/** The API's policy in API Management is the one the spec asks for. */
export const POLICIES_APPLIED = "PoliciesApplied"
/** The implementation Service has at least one ready endpoint. */
export const IMPLEMENTATION_READY = "ImplementationReady"
/**
 * Whether API Management still matches what was applied: False (reason DriftDetected) when drift is left as it is
 * (drift mode report-only), Unknown (reason Paused) while the operator keeps its hands off. Not a Ready gate.
 */
export const IN_SYNC = "InSync"
/**
 * Whether the implementation's pods admit traffic from the ingress gateway only (setting GATEWAY_ONLY_TRAFFIC);
 * absent when the setting is off. Not a Ready gate: the API works either way, this is defence in depth.
 */
export const GATEWAY_ONLY_TRAFFIC = "GatewayOnlyTraffic"

/**
 * What Ready is made of. ImplementationReady is reported but does not gate Ready: Ready says the operator has
 * converged the gateway on the spec, which stays true while pods restart or scale to zero. Gating on endpoints would
 * flap Ready (and its Events) with every rollout, and the Canvas already reads implementation health from
 * `status.implementation.ready`.
 */
export const READY_GATES = [INGRESS_READY, API_PUBLISHED, POLICIES_APPLIED] as const

export const ConditionStatus = Schema.Literal("True", "False", "Unknown")
export type ConditionStatus = typeof ConditionStatus.Type

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const MAX_REASON_LENGTH = 1024
const MAX_MESSAGE_LENGTH = 32768

export const Condition = Schema.Struct({
  type: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(316)),
  status: ConditionStatus,
  reason: Schema.String.pipe(Schema.pattern(REASON), Schema.maxLength(MAX_REASON_LENGTH)),
  message: Schema.String.pipe(Schema.maxLength(MAX_MESSAGE_LENGTH)),
  observedGeneration: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  lastTransitionTime: Schema.String.pipe(Schema.pattern(RFC3339))
})
export type Condition = typeof Condition.Type

/** A condition as a reconcile decides it; setCondition stamps the transition time. */
export interface ConditionUpdate {
  readonly type: string
  readonly status: ConditionStatus
  readonly reason: string
  readonly message: string
  readonly observedGeneration: number
}

const decodeCondition = Schema.decodeUnknownOption(Condition)

/** The well-formed conditions in an opaque status; entries that are not (written by hand, or by a buggy writer) are dropped. */
export const conditionsOf = (status: { readonly [key: string]: unknown } | undefined): ReadonlyArray<Condition> => {
  const entries = status?.["conditions"]
  return Array.isArray(entries) ? entries.flatMap((entry: unknown) => Option.toArray(decodeCondition(entry))) : []
}

export const findCondition = (conditions: ReadonlyArray<Condition>, type: string): Option.Option<Condition> =>
  Option.fromNullable(conditions.find((condition) => condition.type === type))

/** RFC 3339 in whole seconds, as metav1.Time serialises. */
export const rfc3339Seconds = (now: Date): string => `${now.toISOString().slice(0, 19)}Z`

/** A reason as the API server accepts it: e.g. an error tag is kept, "Not ready!" becomes "Notready". */
export const toReason = (text: string): string => {
  const cleaned = text
    .replace(/[^A-Za-z0-9_,:]/g, "")
    .replace(/^[^A-Za-z]+/, "")
    .slice(0, MAX_REASON_LENGTH)
    .replace(/[,:]+$/, "")
  return cleaned === "" ? "Unspecified" : cleaned
}

/**
 * `conditions` with `next` set: lastTransitionTime is kept while the status is unchanged, and when nothing changed
 * at all the very same array comes back, so the caller can skip the status write.
 */
export const setCondition = (conditions: ReadonlyArray<Condition>, next: ConditionUpdate, now: Date): ReadonlyArray<Condition> => {
  const current = conditions.find((condition) => condition.type === next.type)
  const reason = toReason(next.reason)
  const message = next.message.length > MAX_MESSAGE_LENGTH ? `${next.message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : next.message
  const unchanged =
    current !== undefined &&
    current.status === next.status &&
    current.reason === reason &&
    current.message === message &&
    current.observedGeneration === next.observedGeneration
  if (unchanged) return conditions
  const updated: Condition = {
    type: next.type,
    status: next.status,
    reason,
    message,
    observedGeneration: next.observedGeneration,
    lastTransitionTime: current !== undefined && current.status === next.status ? current.lastTransitionTime : rfc3339Seconds(now)
  }
  return current === undefined ? [...conditions, updated] : conditions.map((condition) => (condition === current ? updated : condition))
}

/** `conditions` without `type`; the very same array when there was none. */
export const removeCondition = (conditions: ReadonlyArray<Condition>, type: string): ReadonlyArray<Condition> =>
  conditions.some((condition) => condition.type === type) ? conditions.filter((condition) => condition.type !== type) : conditions

const sameCondition = (a: Condition, b: Condition): boolean =>
  a.type === b.type &&
  a.status === b.status &&
  a.reason === b.reason &&
  a.message === b.message &&
  a.observedGeneration === b.observedGeneration &&
  a.lastTransitionTime === b.lastTransitionTime

/** Equal as sets of conditions: the order of entries carries no meaning. */
export const conditionsEqual = (a: ReadonlyArray<Condition>, b: ReadonlyArray<Condition>): boolean =>
  a.length === b.length && a.every((condition) => b.some((other) => sameCondition(condition, other)))

/**
 * Ready, derived from its gates for `generation`: True when every gate is True for this generation; False as soon
 * as one is False (its reason and message tell why, first gate first); Unknown while a gate is missing, Unknown or
 * computed for an older generation.
 */
export const readyFrom = (conditions: ReadonlyArray<Condition>, generation: number): ConditionUpdate => {
  const gates = READY_GATES.map((type) => ({ type, condition: Option.getOrUndefined(findCondition(conditions, type)) }))
  const failed = gates.find((gate) => gate.condition?.status === "False")
  if (failed?.condition !== undefined) {
    const { reason, message } = failed.condition
    return { type: READY, status: "False", reason, message: `${failed.type}: ${message}`, observedGeneration: generation }
  }
  const pending = gates.filter((gate) => gate.condition?.status !== "True" || gate.condition.observedGeneration !== generation)
  if (pending.length > 0) {
    const waiting = pending.map((gate) => gate.type).join(", ")
    return { type: READY, status: "Unknown", reason: "Reconciling", message: `waiting for ${waiting}`, observedGeneration: generation }
  }
  return {
    type: READY,
    status: "True",
    reason: "Published",
    message: "the API is published in API Management with its policies, behind the Ingress",
    observedGeneration: generation
  }
}

/**
 * Whether a Service has a ready endpoint, from its EndpointSlices (discovery.k8s.io/v1): an endpoint is ready unless
 * `conditions.ready` is false (the API says a missing value means ready).
 */
export const hasReadyEndpoint = (endpointSlices: ReadonlyArray<unknown>): boolean =>
  endpointSlices.some((slice) => {
    const endpoints = typeof slice === "object" && slice !== null ? Reflect.get(slice, "endpoints") : undefined
    return Array.isArray(endpoints) && endpoints.some((endpoint: unknown) => isReady(endpoint))
  })

const isReady = (endpoint: unknown): boolean => {
  if (typeof endpoint !== "object" || endpoint === null) return false
  const conditions: unknown = Reflect.get(endpoint, "conditions")
  const ready = typeof conditions === "object" && conditions !== null ? Reflect.get(conditions, "ready") : undefined
  return ready !== false
}
