import { Option, Schema } from "effect"
import type { KubeObject } from "../services/KubeResources.ts"

/** The leader-election record a coordination.k8s.io/v1 Lease carries in its spec (client-go's LeaseSpec). */
export const LeaseSpec = Schema.Struct({
  holderIdentity: Schema.optional(Schema.String),
  leaseDurationSeconds: Schema.optional(Schema.Number),
  acquireTime: Schema.optional(Schema.String),
  renewTime: Schema.optional(Schema.String),
  leaseTransitions: Schema.optional(Schema.Number)
})
export type LeaseSpec = typeof LeaseSpec.Type

/** A Lease's spec; an unreadable one counts as empty, which any candidate may take. */
export const leaseSpecOf = (lease: KubeObject): LeaseSpec =>
  Option.getOrElse(Schema.decodeUnknownOption(LeaseSpec)(lease["spec"] ?? {}), () => ({}))

/** The record without the fields a new holder would not keep, for "has it changed since we last looked". */
export const recordKey = (spec: LeaseSpec): string =>
  JSON.stringify([spec.holderIdentity ?? "", spec.leaseDurationSeconds ?? 0, spec.acquireTime ?? "", spec.renewTime ?? "", spec.leaseTransitions ?? 0])

/**
 * metav1.MicroTime as the API server parses it: RFC 3339 with exactly six fractional digits in UTC. Three
 * (a JavaScript Date's toISOString) are refused with 400.
 */
export const formatMicroTime = (epochNanos: bigint): string => {
  const micros = epochNanos / 1000n
  const seconds = micros / 1_000_000n
  const fraction = micros % 1_000_000n
  const wholeSeconds = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  return `${wholeSeconds}.${fraction.toString().padStart(6, "0")}Z`
}

/** Whole seconds, at least one: the Lease field is an integer and the API server refuses zero. */
export const leaseDurationSeconds = (millis: number): number => Math.max(1, Math.ceil(millis / 1000))

/** A Lease to create, or the replacement of `current` (its resourceVersion makes the write conditional). */
export const leaseBody = (
  where: { readonly namespace: string; readonly name: string },
  spec: LeaseSpec,
  current?: KubeObject
): Record<string, unknown> => ({
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  metadata: {
    name: where.name,
    namespace: where.namespace,
    ...(current === undefined
      ? {}
      : { resourceVersion: current.metadata.resourceVersion, labels: current.metadata.labels, annotations: current.metadata.annotations })
  },
  spec
})
