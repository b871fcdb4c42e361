import { deletionTimestampOf, finalizersOf, nameOf, withMetadata } from "./ObjectMeta.ts"
import { CRD_CLEANUP_FINALIZER } from "./CrdStrategy.ts"
import type { Store } from "./Store.ts"
import { crdToResourceType } from "./TypeRegistry.ts"
import type { StoredEvent } from "./WatchHub.ts"

export const CRD_STORAGE = "apiextensions.k8s.io/customresourcedefinitions"

/**
 * apiextensions-apiserver's controllers in one: a CRD is served as soon as it is stored (the emulator establishes
 * names at once), and a deleted CRD first deletes every instance, then releases its cleanup finalizer.
 */
export class CrdController {
  private readonly store: Store
  private readonly terminating = new Set<string>()

  constructor(store: Store) {
    this.store = store
  }

  get hasWork(): boolean {
    return this.terminating.size > 0
  }

  observe(event: StoredEvent): void {
    if (event.storage !== CRD_STORAGE) {
      if (event.type === "DELETED") {
        for (const crd of this.store.storedObjects(this.crdType())) {
          if (deletionTimestampOf(crd) !== undefined && crdToResourceType(crd).storage === event.storage) this.terminating.add(nameOf(crd))
        }
      }
      return
    }
    const type = crdToResourceType(event.object)
    if (event.type === "DELETED") {
      this.store.registry.unregister(type.group, type.plural)
      this.terminating.delete(nameOf(event.object))
      return
    }
    this.store.registry.register(type)
    if (deletionTimestampOf(event.object) !== undefined) this.terminating.add(nameOf(event.object))
  }

  run(): boolean {
    const names = [...this.terminating]
    this.terminating.clear()
    let wrote = false
    for (const name of names) wrote = this.cleanup(name) || wrote
    return wrote
  }

  private crdType() {
    const type = this.store.registry.byGroupResource("apiextensions.k8s.io", "customresourcedefinitions")
    if (type === undefined) throw new Error("the CustomResourceDefinition kind is always registered")
    return type
  }

  private cleanup(name: string): boolean {
    const crdType = this.crdType()
    const crd = this.store.storedObjects(crdType).find((o) => nameOf(o) === name)
    if (crd === undefined || deletionTimestampOf(crd) === undefined) return false
    const type = crdToResourceType(crd)
    const served = this.store.registry.byGroupResource(type.group, type.plural) ?? type
    const instances = this.store.storedObjects(served)
    for (const instance of instances) {
      if (deletionTimestampOf(instance) === undefined) this.store.controllerDelete(served, instance, "Background")
    }
    if (instances.length > 0) return true
    const finalizers = finalizersOf(crd).filter((f) => f !== CRD_CLEANUP_FINALIZER)
    this.store.controllerWrite(crdType, crd, withMetadata(crd, { finalizers: finalizers.length === 0 ? null : finalizers }))
    return true
  }
}
