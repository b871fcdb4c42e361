import { isJsonArray, isJsonObject, type JsonObject } from "../Json.ts"
import {
  deletionTimestampOf,
  finalizersOf,
  metadataOf,
  namespaceOf,
  ownerReferencesOf,
  uidOf,
  withMetadata
} from "./ObjectMeta.ts"
import type { ResourceType } from "./ResourceType.ts"
import type { Store } from "./Store.ts"
import type { StoredEvent } from "./WatchHub.ts"

/**
 * kube-controller-manager's garbage collector, by ownerReference uid: dependents of a vanished owner are deleted
 * (or lose the dangling reference when another owner remains), Foreground owners wait for their blocking
 * dependents, Orphan owners release theirs. Work is collected from store events and done when `run` is called.
 */
export class GarbageCollector {
  private readonly store: Store
  private readonly dependentsByOwner = new Map<string, Set<string>>()
  private readonly ownersByDependent = new Map<string, ReadonlyArray<string>>()
  private readonly dirtyOwners = new Set<string>()

  constructor(store: Store) {
    this.store = store
  }

  get hasWork(): boolean {
    return this.dirtyOwners.size > 0
  }

  observe(event: StoredEvent): void {
    const object = event.object
    const uid = uidOf(object)
    if (event.type === "DELETED") {
      this.dirtyOwners.add(uid) // whoever it owned must go
      // and a foreground owner may have been waiting for it
      for (const owner of this.ownersByDependent.get(uid) ?? []) this.dirtyOwners.add(owner)
      this.index(uid, [])
      return
    }
    this.index(uid, ownerReferencesOf(object).map((r) => r.uid))
    if (deletionTimestampOf(object) !== undefined) {
      const finalizers = finalizersOf(object)
      if (finalizers.includes("foregroundDeletion") || finalizers.includes("orphan")) this.dirtyOwners.add(uid)
    }
    // a dependent created or changed: its owners may be missing, or waiting on it in the foreground
    for (const owner of this.ownersByDependent.get(uid) ?? []) this.dirtyOwners.add(owner)
  }

  /** Processes every pending owner once; returns whether anything was written. */
  run(): boolean {
    const owners = [...this.dirtyOwners]
    this.dirtyOwners.clear()
    let wrote = false
    for (const owner of owners) wrote = this.processOwner(owner) || wrote
    return wrote
  }

  private index(dependent: string, owners: ReadonlyArray<string>): void {
    for (const previous of this.ownersByDependent.get(dependent) ?? []) {
      const set = this.dependentsByOwner.get(previous)
      set?.delete(dependent)
      if (set?.size === 0) this.dependentsByOwner.delete(previous)
    }
    if (owners.length === 0) {
      this.ownersByDependent.delete(dependent)
      return
    }
    this.ownersByDependent.set(dependent, owners)
    for (const owner of owners) {
      let set = this.dependentsByOwner.get(owner)
      if (set === undefined) {
        set = new Set()
        this.dependentsByOwner.set(owner, set)
      }
      set.add(dependent)
    }
  }

  private dependentsOf(owner: string): ReadonlyArray<{ readonly type: ResourceType; readonly object: JsonObject }> {
    return [...(this.dependentsByOwner.get(owner) ?? [])].flatMap((uid) => {
      const found = this.store.findByUid(uid)
      return found === undefined ? [] : [found]
    })
  }

  /** An owner counts only when it exists where the dependent can see it (same namespace, or cluster-scoped). */
  private ownerVisibleTo(ownerUid: string, dependent: JsonObject): { readonly type: ResourceType; readonly object: JsonObject } | undefined {
    const owner = this.store.findByUid(ownerUid)
    if (owner === undefined) return undefined
    return owner.type.namespaced && namespaceOf(owner.object) !== namespaceOf(dependent) ? undefined : owner
  }

  private processOwner(ownerUid: string): boolean {
    const owner = this.store.findByUid(ownerUid)
    let wrote = false
    const visible: Array<{ readonly type: ResourceType; readonly object: JsonObject }> = []
    for (const dependent of this.dependentsOf(ownerUid)) {
      if (this.ownerVisibleTo(ownerUid, dependent.object) === undefined) wrote = this.releaseOrDelete(ownerUid, dependent) || wrote
      else visible.push(dependent)
    }
    if (owner === undefined || deletionTimestampOf(owner.object) === undefined) return wrote
    const finalizers = finalizersOf(owner.object)
    if (finalizers.includes("orphan")) {
      for (const dependent of visible) this.stripReference(ownerUid, dependent)
      this.removeFinalizer(owner, "orphan")
      return true
    }
    if (!finalizers.includes("foregroundDeletion")) return wrote
    for (const dependent of visible) {
      if (deletionTimestampOf(dependent.object) === undefined) {
        // the real collector propagates foreground deletion down the tree
        this.store.controllerDelete(dependent.type, dependent.object, "Foreground")
        wrote = true
      }
    }
    const blocking = this.dependentsOf(ownerUid).filter((d) =>
      ownerReferencesOf(d.object).some((r) => r.uid === ownerUid && r.blockOwnerDeletion)
    )
    if (blocking.length > 0) return wrote
    const current = this.store.findByUid(ownerUid)
    if (current !== undefined) this.removeFinalizer(current, "foregroundDeletion")
    return true
  }

  /** A dependent whose owner is gone: deleted, unless another owner still holds it. */
  private releaseOrDelete(ownerUid: string, dependent: { readonly type: ResourceType; readonly object: JsonObject }): boolean {
    const others = ownerReferencesOf(dependent.object).filter(
      (r) => r.uid !== ownerUid && this.ownerVisibleTo(r.uid, dependent.object) !== undefined
    )
    if (others.length > 0) return this.stripReference(ownerUid, dependent)
    if (deletionTimestampOf(dependent.object) !== undefined) return false
    this.store.controllerDelete(dependent.type, dependent.object, "Background")
    return true
  }

  private stripReference(ownerUid: string, dependent: { readonly type: ResourceType; readonly object: JsonObject }): boolean {
    const refs = metadataOf(dependent.object)["ownerReferences"]
    const remaining = isJsonArray(refs) ? refs.filter((r) => !(isJsonObject(r) && r["uid"] === ownerUid)) : []
    this.store.controllerWrite(
      dependent.type,
      dependent.object,
      withMetadata(dependent.object, { ownerReferences: remaining.length === 0 ? null : remaining })
    )
    return true
  }

  private removeFinalizer(owner: { readonly type: ResourceType; readonly object: JsonObject }, finalizer: string): void {
    const remaining = finalizersOf(owner.object).filter((f) => f !== finalizer)
    this.store.controllerWrite(owner.type, owner.object, withMetadata(owner.object, { finalizers: remaining.length === 0 ? null : remaining }))
  }
}
