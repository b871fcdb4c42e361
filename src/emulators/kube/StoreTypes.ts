import type { JsonObject } from "../Json.ts"
import type { FieldValidation } from "./Admission.ts"
import type { Selection } from "./ListQuery.ts"
import type { ResourceType } from "./ResourceType.ts"
import type { Status } from "./Status.ts"

/** Where a request points: a kind, the version it speaks, and the namespace ("" when cluster-scoped or all). */
export interface Scope {
  readonly type: ResourceType
  readonly version: string
  readonly namespace: string
}

export interface WriteOptions {
  readonly dryRun?: boolean | undefined
  readonly fieldValidation?: FieldValidation | undefined
  readonly fieldManager?: string | undefined
  readonly subresource?: "status" | undefined
}

export interface WriteResult {
  readonly object: JsonObject
  readonly created: boolean
  readonly warnings: ReadonlyArray<string>
}

export type PatchType = "json" | "merge" | "strategic" | "apply"

export type PropagationPolicy = "Background" | "Foreground" | "Orphan"

export interface DeleteOptions {
  readonly propagationPolicy?: PropagationPolicy | undefined
  readonly orphanDependents?: boolean | undefined
  readonly preconditions?: { readonly uid?: string | undefined; readonly resourceVersion?: string | undefined } | undefined
  readonly dryRun?: boolean | undefined
}

export interface DeleteResult {
  readonly body: JsonObject | Omit<Status, "code">
  readonly code: 200 | 202
}

export interface ListOptions extends Selection {
  readonly limit?: number | undefined
  readonly continue?: string | undefined
}

export interface StoreOptions {
  /** Watch events retained for resuming; older resume points get 410 Expired. */
  readonly historySize?: number
  readonly now?: () => Date
}
