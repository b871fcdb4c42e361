import { canonicalJson } from "./ContentHash.ts"
import { GROUP, type OwnerReference } from "./ExposedApi.ts"

/**
 * The parent ODA Component's view of an ExposedAPI, as the ODA Canvas keeps it: the Component operator lists its
 * ExposedAPIs in `status.coreAPIs`, `status.managementAPIs` and `status.securityAPIs` (one list per segment),
 * each entry `{name, uid, ready, url?, developerUI?, ...}` with `name` the ExposedAPI's resource name; the
 * Canvas's API operators then set `url`, `developerUI` and `ready` on the entry whose `uid` is the ExposedAPI's
 * (tmforum-oda/oda-canvas, source/operators: componentOperator.py `createAPIResource`/`patchAPIResource`,
 * apiOperatorIstio.py `updateAPIStatus`/`updateAPIReady`). The Component CRD (charts/oda-crds) keeps `status`
 * as an object with unknown fields preserved, without a status subresource.
 */

export const COMPONENT_KIND = "Component"
export const COMPONENT_PLURAL = "components"
export const COMPONENT_API_LISTS = ["coreAPIs", "managementAPIs", "securityAPIs"] as const

/** The Component that owns an ExposedAPI, from its ownerReferences (the Component operator adopts what it creates). */
export interface ComponentOwner {
  readonly name: string
  readonly uid: string
  readonly version: string
}

export const componentOwnerOf = (ownerReferences: ReadonlyArray<OwnerReference> | undefined): ComponentOwner | undefined => {
  const owner = (ownerReferences ?? []).find((r) => r.kind === COMPONENT_KIND && r.apiVersion.startsWith(`${GROUP}/`))
  return owner === undefined ? undefined : { name: owner.name, uid: owner.uid, version: owner.apiVersion.slice(GROUP.length + 1) }
}

/** What the operator tells the Component about one of its ExposedAPIs. */
export interface ComponentApiReport {
  readonly url: string | undefined
  readonly developerUI: string | undefined
  readonly ready: boolean
}

export type ComponentStatusUpdate =
  /** No list has an entry for this ExposedAPI: the Component operator has not listed it (yet); nothing to do. */
  | { readonly _tag: "NoEntry" }
  | { readonly _tag: "Unchanged" }
  /** The lists that changed, whole (a merge patch replaces lists), every other entry as it was. */
  | { readonly _tag: "Changed"; readonly lists: Readonly<Record<string, ReadonlyArray<unknown>>> }

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The entry is this ExposedAPI's: same uid, or (an entry written before the uid was known) same name and no uid. */
const isEntryOf = (entry: unknown, api: { readonly name: string; readonly uid: string }): entry is Readonly<Record<string, unknown>> => {
  if (!isRecord(entry)) return false
  const uid = entry["uid"]
  return typeof uid === "string" && uid !== "" ? uid === api.uid : entry["name"] === api.name
}

const updatedEntry = (entry: Readonly<Record<string, unknown>>, report: ComponentApiReport): Readonly<Record<string, unknown>> => {
  const { developerUI: _developerUI, ...rest } = entry
  return {
    ...rest,
    ...(report.url === undefined ? {} : { url: report.url }),
    ...(report.developerUI === undefined ? {} : { developerUI: report.developerUI }),
    ready: report.ready
  }
}

/** The Component's status lists with this ExposedAPI's entry brought up to date, touching nothing else. */
export const componentStatusUpdate = (
  status: unknown,
  api: { readonly name: string; readonly uid: string },
  report: ComponentApiReport
): ComponentStatusUpdate => {
  const lists: Record<string, ReadonlyArray<unknown>> = {}
  let found = false
  for (const key of COMPONENT_API_LISTS) {
    const list = isRecord(status) ? status[key] : undefined
    if (!Array.isArray(list)) continue
    let changed = false
    const next = list.map((entry: unknown) => {
      if (!isEntryOf(entry, api)) return entry
      found = true
      const updated = updatedEntry(entry, report)
      if (canonicalJson(updated) !== canonicalJson(entry)) changed = true
      return updated
    })
    if (changed) lists[key] = next
  }
  if (!found) return { _tag: "NoEntry" }
  return Object.keys(lists).length === 0 ? { _tag: "Unchanged" } : { _tag: "Changed", lists }
}
