import { isJsonObject, type JsonObject } from "../Json.ts"
import { deletionTimestampOf, nameOf, namespaceOf, stringList } from "./ObjectMeta.ts"
import type { Store } from "./Store.ts"
import type { StoredEvent } from "./WatchHub.ts"

const NAMESPACES = "/namespaces"

/**
 * The namespace lifecycle controller: a terminating namespace has its content deleted (each object honouring its
 * own finalizers), and once it is empty the `kubernetes` finalizer in spec.finalizers is released.
 */
export class NamespaceController {
  private readonly store: Store
  private readonly terminating = new Set<string>()

  constructor(store: Store) {
    this.store = store
  }

  get hasWork(): boolean {
    return this.terminating.size > 0
  }

  observe(event: StoredEvent): void {
    if (event.storage === NAMESPACES) {
      if (event.type !== "DELETED" && deletionTimestampOf(event.object) !== undefined) this.terminating.add(nameOf(event.object))
      if (event.type === "DELETED") this.terminating.delete(nameOf(event.object))
      return
    }
    // content of a terminating namespace went away: maybe it is empty now
    if (event.type === "DELETED" && this.isTerminating(namespaceOf(event.object))) this.terminating.add(namespaceOf(event.object))
  }

  run(): boolean {
    const names = [...this.terminating]
    this.terminating.clear()
    let wrote = false
    for (const name of names) wrote = this.finalize(name) || wrote
    return wrote
  }

  private isTerminating(name: string): boolean {
    const namespace = this.namespace(name)
    return namespace !== undefined && deletionTimestampOf(namespace.object) !== undefined
  }

  private namespace(name: string): { readonly object: JsonObject } | undefined {
    const type = this.store.registry.byGroupResource("", "namespaces")
    const object = type === undefined ? undefined : this.store.storedObjects(type).find((o) => nameOf(o) === name)
    return object === undefined ? undefined : { object }
  }

  private finalize(name: string): boolean {
    const namespaceType = this.store.registry.byGroupResource("", "namespaces")
    const namespace = this.namespace(name)
    if (namespaceType === undefined || namespace === undefined || deletionTimestampOf(namespace.object) === undefined) return false
    let remaining = 0
    let wrote = false
    for (const type of this.store.registry.all()) {
      if (!type.namespaced) continue
      for (const object of this.store.storedObjects(type)) {
        if (namespaceOf(object) !== name) continue
        remaining += 1
        if (deletionTimestampOf(object) === undefined) {
          this.store.controllerDelete(type, object, "Background")
          wrote = true
        }
      }
    }
    if (remaining > 0) return wrote
    const spec = isJsonObject(namespace.object["spec"]) ? namespace.object["spec"] : {}
    const finalizers = stringList(spec["finalizers"]).filter((f) => f !== "kubernetes")
    this.store.controllerWrite(namespaceType, namespace.object, { ...namespace.object, spec: { ...spec, finalizers } })
    return true
  }
}
