import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { stringField, metadataOf } from "./ObjectMeta.ts"
import type { Store } from "./Store.ts"
import type { DeleteOptions, ListOptions, PatchType, Scope, WriteOptions } from "./StoreTypes.ts"
import { notFoundPath } from "./Status.ts"

const splitApiVersion = (apiVersion: string): { readonly group: string; readonly version: string } => {
  const slash = apiVersion.indexOf("/")
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
}

/**
 * The emulator's in-process door: the same store and semantics as the HTTP door, addressed by apiVersion and
 * kind, for fast tests and for simulating other actors (an ingress controller, a user editing an object).
 */
export class InProcessDoor {
  private readonly store: Store

  constructor(store: Store) {
    this.store = store
  }

  scope(apiVersion: string, kind: string, namespace = ""): Scope {
    const { group, version } = splitApiVersion(apiVersion)
    const type = this.store.registry.byKind(group, kind)
    if (type === undefined || !type.versions.some((v) => v.name === version)) throw notFoundPath()
    return { type, version, namespace: type.namespaced ? namespace : "" }
  }

  private scopeOfObject(object: JsonObject): Scope {
    return this.scope(stringField(object, "apiVersion") ?? "", stringField(object, "kind") ?? "", stringField(metadataOf(object), "namespace") ?? "")
  }

  create(object: JsonObject, options?: WriteOptions): JsonObject {
    return this.store.create(this.scopeOfObject(object), object, options).object
  }

  get(apiVersion: string, kind: string, namespace: string, name: string): JsonObject | undefined {
    const scope = this.scope(apiVersion, kind, namespace)
    try {
      return this.store.get(scope, name)
    } catch {
      return undefined
    }
  }

  list(apiVersion: string, kind: string, namespace = "", options: ListOptions = {}): ReadonlyArray<JsonObject> {
    const list = this.store.list(this.scope(apiVersion, kind, namespace), options)
    const items = list["items"]
    return isJsonArray(items) ? items.filter(isJsonObject) : []
  }

  replace(object: JsonObject, options?: WriteOptions): JsonObject {
    const scope = this.scopeOfObject(object)
    return this.store.replace(scope, stringField(metadataOf(object), "name") ?? "", object, options).object
  }

  patch(apiVersion: string, kind: string, namespace: string, name: string, patchType: PatchType, patch: Json, options?: WriteOptions): JsonObject {
    return this.store.patch(this.scope(apiVersion, kind, namespace), name, patchType, patch, options).object
  }

  delete(apiVersion: string, kind: string, namespace: string, name: string, options?: DeleteOptions): void {
    this.store.delete(this.scope(apiVersion, kind, namespace), name, options)
  }
}
