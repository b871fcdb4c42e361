import { isJsonArray, isJsonObject, type JsonObject } from "../Json.ts"
import { metadataOf } from "./ObjectMeta.ts"
import type { Scope } from "./StoreTypes.ts"
import { includeObjectOf, tableWatch, toTable } from "./Table.ts"

/**
 * Accept negotiation for reads: the object itself, or one of the meta.k8s.io transformations kube-apiserver
 * offers through `application/json;as=<Kind>;v=<version>;g=meta.k8s.io` (Table for `kubectl get`,
 * PartialObjectMetadata[List] for metadata-only clients), answered with the content type that was asked for.
 */

type Target = "object" | "list" | "watch"

export type Representation =
  | { readonly as: "Object"; readonly contentType: "application/json" }
  | { readonly as: "Table" | "PartialObjectMetadata" | "PartialObjectMetadataList"; readonly version: "v1" | "v1beta1"; readonly contentType: string }

const PLAIN: Representation = { as: "Object", contentType: "application/json" }

const allowed: Readonly<Record<Target, ReadonlyArray<string>>> = {
  object: ["Table", "PartialObjectMetadata"],
  list: ["Table", "PartialObjectMetadataList"],
  watch: ["Table", "PartialObjectMetadata", "PartialObjectMetadataList"]
}

/** The first entry of Accept the server can produce for this kind of request; plain JSON when none is. */
export const representationOf = (accept: string, target: Target): Representation => {
  for (const entry of accept.split(",")) {
    const [mediaType = "", ...rawParams] = entry.split(";").map((p) => p.trim())
    const params = new Map(rawParams.map((p) => [p.slice(0, p.indexOf("=")).trim(), p.slice(p.indexOf("=") + 1).trim()]))
    const as = params.get("as")
    if (as === undefined) {
      if (mediaType === "application/json" || mediaType === "*/*" || mediaType === "application/*") return PLAIN
      continue
    }
    const version = params.get("v")
    if (mediaType !== "application/json" || params.get("g") !== "meta.k8s.io" || (version !== "v1" && version !== "v1beta1")) continue
    if (as !== "Table" && as !== "PartialObjectMetadata" && as !== "PartialObjectMetadataList") continue
    if (!allowed[target].includes(as)) continue
    return { as, version, contentType: `application/json;as=${as};v=${version};g=meta.k8s.io` }
  }
  return PLAIN
}

const partial = (object: JsonObject, apiVersion: string): JsonObject => ({ kind: "PartialObjectMetadata", apiVersion, metadata: metadataOf(object) })

/** A GET's object or list in the negotiated representation. */
export const represent = (scope: Scope, objectOrList: JsonObject, representation: Representation, query: URLSearchParams): JsonObject => {
  if (representation.as === "Object") return objectOrList
  const apiVersion = `meta.k8s.io/${representation.version}`
  if (representation.as === "Table") return toTable(scope, objectOrList, { includeObject: includeObjectOf(query), noHeaders: false, apiVersion })
  const items = objectOrList["items"]
  if (!isJsonArray(items)) return partial(objectOrList, apiVersion)
  return {
    kind: "PartialObjectMetadataList",
    apiVersion,
    metadata: metadataOf(objectOrList),
    items: items.filter(isJsonObject).map((item) => partial(item, apiVersion))
  }
}

/** How each watch event's object is transformed, when the watch was asked for in another representation. */
export const watchTransform = (scope: Scope, representation: Representation, query: URLSearchParams): ((object: JsonObject) => JsonObject) | undefined => {
  if (representation.as === "Object") return undefined
  const apiVersion = `meta.k8s.io/${representation.version}`
  if (representation.as === "Table") return tableWatch(scope, { includeObject: includeObjectOf(query), apiVersion })
  return (object) => partial(object, apiVersion)
}
