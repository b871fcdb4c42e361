import type { ApiIntent } from "./ApiIntent.ts"
import { apimSegmentTagId, apimTagId, isApimTagIdOf } from "./ApiNaming.ts"

/**
 * `spec.segment` and the Component label as APIM tags on the API: `segment:coreFunction`,
 * `component:r1-productcatalogmanagement`. The operator's tags are recognised by their ids (`oda-segment-…`,
 * `oda-component-…`), so tags that people or other tools put on the API are never touched.
 */

export interface ApiTag {
  readonly id: string
  readonly displayName: string
}

const COMPONENT = "component"
const SEGMENT = "segment"

/** APIM limits tag display names to 160 characters. */
const MAX_DISPLAY_NAME = 160

const displayName = (family: string, value: string): string => `${family}:${value}`.slice(0, MAX_DISPLAY_NAME)

export const desiredTags = (intent: Pick<ApiIntent, "segment" | "component">): ReadonlyArray<ApiTag> => [
  ...(intent.segment === undefined ? [] : [{ id: apimSegmentTagId(intent.segment), displayName: displayName(SEGMENT, intent.segment) }]),
  ...(intent.component === undefined ? [] : [{ id: apimTagId(COMPONENT, intent.component), displayName: displayName(COMPONENT, intent.component) }])
]

export const isOperatorTag = (tagId: string): boolean => isApimTagIdOf(SEGMENT, tagId) || isApimTagIdOf(COMPONENT, tagId)

export interface TagPlan {
  /** Tags to make sure of (exist with this display name) and to assign when `assign`. */
  readonly ensure: ReadonlyArray<ApiTag & { readonly assign: boolean }>
  /** Operator tags on the API that the spec no longer asks for. */
  readonly detach: ReadonlyArray<string>
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/** Tags on the API as they should be, from what is assigned now; an empty plan means reads only. */
export const planTags = (desired: ReadonlyArray<ApiTag>, assigned: ReadonlyArray<ApiTag>): TagPlan => ({
  ensure: desired.flatMap((tag): ReadonlyArray<ApiTag & { readonly assign: boolean }> => {
    const current = assigned.find((candidate) => sameId(candidate.id, tag.id))
    if (current === undefined) return [{ ...tag, assign: true }]
    return current.displayName === tag.displayName ? [] : [{ ...tag, assign: false }]
  }),
  detach: assigned.filter((tag) => isOperatorTag(tag.id) && !desired.some((wanted) => sameId(wanted.id, tag.id))).map((tag) => tag.id)
})
