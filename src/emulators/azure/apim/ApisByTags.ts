import type { Json, JsonObject } from "../../Json.ts"
import type { EmulatorRequest, EmulatorResponse } from "../Http.ts"
import type { ApimModel, StoredApi, StoredEntity } from "./ApimModel.ts"
import { apiBody, filterItems, listPage } from "./ArmBodies.ts"
import { methodNotAllowed, ok, refuse } from "./Replies.ts"

/**
 * `GET …/apisByTags` (Api_ListByTags): one TagResourceContract per (API, tag) pair. Unlike other lists the
 * items are not ARM resources but `{ tag: { id, name }, api: { id, name, … } }` where `name` is the display
 * name (the 2024-05-01 example ApiManagementListApisByTags, and the developer portal, which turns `name` back
 * into `displayName`). An API without tags appears once, without `tag`, only when `includeNotTaggedApis=true`.
 * The ids are full resource ids like every other body here; the spec example's short `/apis/echo-api` form is
 * read the same way by callers that take the last segment.
 */

/** ApiTagResourceContractProperties: ApiEntityBaseContract plus serviceUrl, path and protocols. */
const apiFields = [
  "description",
  "authenticationSettings",
  "subscriptionKeyParameterNames",
  "type",
  "apiRevision",
  "apiVersion",
  "isCurrent",
  "apiRevisionDescription",
  "apiVersionDescription",
  "apiVersionSetId",
  "subscriptionRequired",
  "termsOfServiceUrl",
  "contact",
  "license",
  "serviceUrl",
  "path",
  "protocols"
]

interface Pair {
  readonly api: StoredApi
  readonly tag: StoredEntity | undefined
}

const byName = (a: { readonly name: string }, b: { readonly name: string }): number => {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()]
  return x < y ? -1 : x > y ? 1 : 0
}

const displayNameOf = (properties: JsonObject, fallback: string): Json => properties["displayName"] ?? fallback

const apiPart = (serviceId: string, api: StoredApi): JsonObject => ({
  id: `${serviceId}/apis/${api.name}`,
  name: displayNameOf(api.properties, api.name),
  ...Object.fromEntries(apiFields.flatMap((key) => (api.properties[key] === undefined ? [] : [[key, api.properties[key]]]))),
  isOnline: true
})

const itemOf = (serviceId: string, pair: Pair): JsonObject => {
  const api = apiPart(serviceId, pair.api)
  if (pair.tag === undefined) return { api }
  return { tag: { id: `${serviceId}/tags/${pair.tag.name}`, name: displayNameOf(pair.tag.properties, pair.tag.name) }, api }
}

/**
 * What `$filter` reads: the API as `/apis` lists it (bare fields, as the SDK's filter table names them) plus
 * `api/…` and `tag/…` as the developer portal writes them, where `tag/id` is the tag's name, not its resource id.
 */
const filterViewOf = (serviceId: string, pair: Pair): JsonObject => ({
  ...apiBody(serviceId, pair.api),
  api: { ...pair.api.properties, id: pair.api.name, name: displayNameOf(pair.api.properties, pair.api.name) },
  ...(pair.tag === undefined ? {} : { tag: { id: pair.tag.name, name: displayNameOf(pair.tag.properties, pair.tag.name) } })
})

/** Sorted by API then tag so that `$skip` pages stay stable while nothing changes. */
const pairsOf = (model: ApimModel, includeNotTagged: boolean): ReadonlyArray<Pair> =>
  model
    .listApis()
    .filter((api) => api.properties["isCurrent"] !== false)
    .toSorted(byName)
    .flatMap((api): ReadonlyArray<Pair> => {
      const tags = model.entities.apiTags(api.name)
      const linked = tags.ok ? tags.value.toSorted(byName) : []
      if (linked.length === 0) return includeNotTagged ? [{ api, tag: undefined }] : []
      return linked.map((tag) => ({ api, tag }))
    })

export const listApisByTags = (model: ApimModel, request: EmulatorRequest): EmulatorResponse => {
  if (request.method !== "GET") return methodNotAllowed(request)
  const includeNotTagged = request.query.get("includeNotTaggedApis")?.toLowerCase() === "true"
  // filterItems keeps the view objects themselves, so each view finds its item again by identity.
  const items = new Map<JsonObject, JsonObject>(
    pairsOf(model, includeNotTagged).map((pair) => [filterViewOf(model.serviceId, pair), itemOf(model.serviceId, pair)])
  )
  const filtered = filterItems([...items.keys()], request.query.get("$filter"))
  if (!filtered.ok) return refuse(request, filtered.failure)
  const matching = filtered.value.flatMap((view) => {
    const item = items.get(view)
    return item === undefined ? [] : [item]
  })
  return ok(listPage(matching, request, model.wire.pageSize))
}
