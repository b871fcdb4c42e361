import type { JsonObject } from "../Json.ts"
import { apiVersionOf, type ResourceType } from "./ResourceType.ts"
import { compareVersions, type TypeRegistry } from "./TypeRegistry.ts"

/** Legacy discovery documents (`/api`, `/apis`, `/apis/{g}`, `/apis/{g}/{v}`, `/version`), built from the registry. */

export const versionInfo = (): JsonObject => ({
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-oda-emulator",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64"
})

export const coreVersions = (serverAddress: string): JsonObject => ({
  kind: "APIVersions",
  versions: ["v1"],
  serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }]
})

const versionsOfGroup = (registry: TypeRegistry, group: string): ReadonlyArray<string> =>
  [...new Set(registry.all().filter((t) => t.group === group).flatMap((t) => t.versions.map((v) => v.name)))].sort(compareVersions)

const groupEntry = (registry: TypeRegistry, group: string): JsonObject => {
  const versions = versionsOfGroup(registry, group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }))
  return { name: group, versions, preferredVersion: versions[0] ?? {} }
}

export const apiGroupList = (registry: TypeRegistry): JsonObject => ({
  kind: "APIGroupList",
  apiVersion: "v1",
  groups: [...new Set(registry.all().map((t) => t.group).filter((g) => g !== ""))].sort().map((g) => groupEntry(registry, g))
})

export const apiGroup = (registry: TypeRegistry, group: string): JsonObject | undefined =>
  registry.all().some((t) => t.group === group) ? { kind: "APIGroup", apiVersion: "v1", ...groupEntry(registry, group) } : undefined

const resourceEntries = (type: ResourceType): ReadonlyArray<JsonObject> => [
  {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: [...type.verbs],
    ...(type.shortNames.length === 0 ? {} : { shortNames: [...type.shortNames] }),
    ...(type.categories.length === 0 ? {} : { categories: [...type.categories] })
  },
  ...(type.statusSubresource
    ? [{ name: `${type.plural}/status`, singularName: "", namespaced: type.namespaced, kind: type.kind, verbs: ["get", "patch", "update"] }]
    : [])
]

export const apiResourceList = (registry: TypeRegistry, group: string, version: string): JsonObject | undefined => {
  const types = registry.all().filter((t) => t.group === group && t.versions.some((v) => v.name === version))
  if (types.length === 0) return undefined
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf(group, version),
    resources: types.sort((a, b) => (a.plural < b.plural ? -1 : 1)).flatMap(resourceEntries)
  }
}
