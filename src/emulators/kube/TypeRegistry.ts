import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { builtinTypes } from "./BuiltinTypes.ts"
import { stringField, stringList } from "./ObjectMeta.ts"
import type { PrinterColumn, ResourceType, ServedVersion } from "./ResourceType.ts"
import { standardVerbs } from "./ResourceType.ts"

/** The kinds the emulator serves: the built-ins, plus one per established CustomResourceDefinition. */
export class TypeRegistry {
  private readonly byResource = new Map<string, ResourceType>()

  constructor() {
    for (const type of builtinTypes) this.byResource.set(resourceKey(type.group, type.plural), type)
  }

  all(): ReadonlyArray<ResourceType> {
    return [...this.byResource.values()]
  }

  /** The type behind `/apis/{group}/{version}/{plural}`, when that version is served. */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    const type = this.byResource.get(resourceKey(group, plural))
    return type !== undefined && type.versions.some((v) => v.name === version) ? type : undefined
  }

  byGroupResource(group: string, plural: string): ResourceType | undefined {
    return this.byResource.get(resourceKey(group, plural))
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    for (const type of this.byResource.values()) if (type.group === group && type.kind === kind) return type
    return undefined
  }

  register(type: ResourceType): void {
    this.byResource.set(resourceKey(type.group, type.plural), type)
  }

  unregister(group: string, plural: string): void {
    this.byResource.delete(resourceKey(group, plural))
  }
}

const resourceKey = (group: string, plural: string): string => `${group}/${plural}`

/** kube's version priority: GA before beta before alpha, higher numbers first, then the rest alphabetically. */
const versionRank = (name: string): readonly [number, number, number, string] => {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(name)
  if (match === null) return [3, 0, 0, name]
  const stage = match[2] === undefined ? 0 : match[2] === "beta" ? 1 : 2
  return [stage, -Number(match[1]), -Number(match[3] ?? 0), name]
}

export const compareVersions = (a: string, b: string): number => {
  const ra = versionRank(a)
  const rb = versionRank(b)
  for (let i = 0; i < 3; i++) {
    const d = Number(ra[i]) - Number(rb[i])
    if (d !== 0) return d
  }
  return ra[3].localeCompare(rb[3])
}

const objectAt = (object: JsonObject, key: string): JsonObject => {
  const value = object[key]
  return isJsonObject(value) ? value : {}
}

const printerColumnsOf = (version: JsonObject): ReadonlyArray<PrinterColumn> => {
  const columns = version["additionalPrinterColumns"]
  if (!isJsonArray(columns)) return []
  return columns.filter(isJsonObject).map((c) => {
    const type = stringField(c, "type")
    const priority = c["priority"]
    return {
      name: stringField(c, "name") ?? "",
      type: type === "integer" || type === "number" || type === "boolean" || type === "date" ? type : "string",
      jsonPath: stringField(c, "jsonPath") ?? "",
      ...(stringField(c, "description") === undefined ? {} : { description: stringField(c, "description") ?? "" }),
      ...(stringField(c, "format") === undefined ? {} : { format: stringField(c, "format") ?? "" }),
      ...(typeof priority === "number" ? { priority } : {})
    }
  })
}

const jsonPathValue = (object: JsonObject, jsonPath: string): Json | undefined => {
  let current: Json | undefined = object
  for (const key of jsonPath.replace(/^\./, "").split(".")) {
    if (!isJsonObject(current)) return undefined
    current = current[key]
  }
  return current
}

/** Builds the ResourceType a CustomResourceDefinition describes ("None" conversion: versions differ only in name). */
export const crdToResourceType = (crd: JsonObject): ResourceType => {
  const spec = objectAt(crd, "spec")
  const names = objectAt(spec, "names")
  const group = stringField(spec, "group") ?? ""
  const kind = stringField(names, "kind") ?? ""
  const versions = (isJsonArray(spec["versions"]) ? spec["versions"] : []).filter(isJsonObject)
  const served = versions
    .filter((v) => v["served"] !== false)
    .sort((a, b) => compareVersions(stringField(a, "name") ?? "", stringField(b, "name") ?? ""))
  const storage = versions.find((v) => v["storage"] === true) ?? served[0] ?? {}
  const selectable = versions.flatMap((v) =>
    (isJsonArray(v["selectableFields"]) ? v["selectableFields"] : []).filter(isJsonObject).map((f) => stringField(f, "jsonPath") ?? "")
  )
  const fieldLabels: Record<string, (object: JsonObject) => Json | undefined> = {}
  for (const path of selectable) if (path !== "") fieldLabels[path.replace(/^\./, "")] = (o) => jsonPathValue(o, path)
  return {
    group,
    kind,
    listKind: stringField(names, "listKind") ?? `${kind}List`,
    plural: stringField(names, "plural") ?? "",
    singular: stringField(names, "singular") ?? kind.toLowerCase(),
    shortNames: stringList(names["shortNames"]),
    categories: stringList(names["categories"]),
    namespaced: stringField(spec, "scope") !== "Cluster",
    versions: served.map(
      (v): ServedVersion => ({
        name: stringField(v, "name") ?? "",
        schema: objectAt(objectAt(v, "schema"), "openAPIV3Schema"),
        printerColumns: printerColumnsOf(v)
      })
    ),
    storageVersion: stringField(storage, "name") ?? "",
    storage: `${group}/${stringField(names, "plural") ?? ""}`,
    custom: true,
    statusSubresource: isJsonObject(objectAt(storage, "subresources")["status"]),
    tracksGeneration: true,
    allowUnconditionalUpdate: false,
    allowCreateOnUpdate: false,
    deleteReturnsObject: false,
    fieldLabels,
    verbs: standardVerbs
  }
}
