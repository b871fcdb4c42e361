/** Where a Kubernetes API path points, before any type lookup. */
export type Route =
  | { readonly kind: "discovery"; readonly path: string }
  | {
    readonly kind: "resource"
    readonly group: string
    readonly version: string
    /** The namespace in the path; "" when the path has none. */
    readonly namespace: string
    readonly plural: string
    readonly name: string | undefined
    readonly subresource: string | undefined
    /** The deprecated `/watch/` path prefix was used. */
    readonly legacyWatch: boolean
  }
  | { readonly kind: "unknown" }

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * Parses `/api/v1/...` and `/apis/{group}/{version}/...` resource paths, including the namespace object itself
 * (`/api/v1/namespaces/{name}[/status|/finalize]`) and the legacy `/watch/` prefix.
 */
export const route = (pathname: string): Route => {
  const segments = pathname.split("/").filter((s) => s !== "").map(decode)
  const [root, ...rest] = segments
  let group: string
  let version: string
  let tail: ReadonlyArray<string>
  if (root === "api") {
    if (rest.length <= 1) return { kind: "discovery", path: pathname }
    group = ""
    version = rest[0] ?? ""
    tail = rest.slice(1)
  } else if (root === "apis") {
    if (rest.length <= 2) return { kind: "discovery", path: pathname }
    group = rest[0] ?? ""
    version = rest[1] ?? ""
    tail = rest.slice(2)
  } else {
    return { kind: "discovery", path: pathname }
  }
  const legacyWatch = tail[0] === "watch"
  if (legacyWatch) tail = tail.slice(1)
  const resource = (namespace: string, plural: string, name: string | undefined, subresource: string | undefined): Route => ({
    kind: "resource",
    group,
    version,
    namespace,
    plural,
    name,
    subresource,
    legacyWatch
  })
  const [first, second, third, fourth, fifth] = tail
  if (first === undefined) return { kind: "unknown" }
  if (first === "namespaces" && group === "" && second !== undefined && (third === undefined || third === "status" || third === "finalize")) {
    return resource("", "namespaces", second, third)
  }
  if (first === "namespaces" && second !== undefined && third !== undefined) {
    return tail.length > 5 ? { kind: "unknown" } : resource(second, third, fourth, fifth)
  }
  return tail.length > 3 ? { kind: "unknown" } : resource("", first, second, third)
}
