import { isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { admit, checkIncoming } from "./Admission.ts"
import { byNamespaceThenName, compileSelection, paginate, type Selection } from "./ListQuery.ts"
import {
  deepEqual,
  deletionTimestampOf,
  finalizersOf,
  generateName,
  generationOf,
  metadataOf,
  nameOf,
  namespaceOf,
  newUid,
  resourceVersionOf,
  rfc3339,
  stringField,
  uidOf,
  withMetadata,
  without
} from "./ObjectMeta.ts"
import { apiVersionOf, qualifiedResource, servedVersion, validationKindOf, type ResourceType, type ServedVersion } from "./ResourceType.ts"
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  generateNameConflict,
  invalid,
  notFound,
  success,
  unsupportedMediaType
} from "./Status.ts"
import { checkDeletePreconditions, markedForDeletion } from "./DeleteRules.ts"
import { applyConfiguration, applyPatch } from "./PatchDispatch.ts"
import { render, toStorage } from "./Rendering.ts"
import type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  PatchType,
  PropagationPolicy,
  Scope,
  StoreOptions,
  WriteOptions,
  WriteResult
} from "./StoreTypes.ts"
import { TypeRegistry } from "./TypeRegistry.ts"
import { composeUpdate, deletionFieldsSetOnLiveObject, nonMetadataChanged, pendingFinalizers } from "./UpdateRules.ts"
import { WatchHub, type StoredEvent, type Watcher, type WatchSink } from "./WatchHub.ts"

const NAMESPACES = "/namespaces"

/**
 * The Kubernetes API's in-memory model: one global resourceVersion, objects in their storage version, the
 * write semantics of kube-apiserver's generic registry (preconditions, generation, finalizers, no-op writes),
 * and a watch cache. Both doors (HTTP and in-process) call these methods.
 */
export class Store {
  readonly registry = new TypeRegistry()
  readonly hub: WatchHub
  private readonly now: () => Date
  private revision = 0
  private readonly objects = new Map<string, Map<string, JsonObject>>()
  private readonly uids = new Map<string, { readonly storage: string; readonly key: string }>()
  private readonly listeners = new Set<(event: StoredEvent) => void>()

  constructor(options: StoreOptions = {}) {
    this.hub = new WatchHub(options.historySize ?? 10_000)
    this.now = options.now ?? (() => new Date())
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.create(this.scopeOf("", "v1", "namespaces", ""), { metadata: { name } })
    }
  }

  get resourceVersion(): number {
    return this.revision
  }

  /** Observers of every effective write (the garbage collector, CRD registration). */
  onEvent(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  scopeOf(group: string, version: string, plural: string, namespace: string): Scope {
    const type = this.registry.lookup(group, version, plural)
    if (type === undefined) throw notFound({ group, resource: plural }, "")
    return { type, version, namespace: type.namespaced ? namespace : "" }
  }

  // ---- reads ----

  get(scope: Scope, name: string): JsonObject {
    return render(scope, this.require(scope, name))
  }

  list(scope: Scope, options: ListOptions = {}): JsonObject {
    const matches = compileSelection(scope.type, { ...options, namespace: scope.namespace })
    const sorted = [...this.bucket(scope.type).values()].filter(matches).sort(byNamespaceThenName)
    const page = paginate(sorted, String(this.revision), options.limit, options.continue)
    const items = page.items.map((o) => {
      const rendered = render(scope, o)
      // built-in list items carry no apiVersion/kind; custom resource items do
      return scope.type.custom ? rendered : without(without(rendered, "apiVersion"), "kind")
    })
    return {
      apiVersion: apiVersionOf(scope.type.group, scope.version),
      kind: scope.type.listKind,
      metadata: {
        resourceVersion: page.resourceVersion,
        ...(page.continueToken === undefined ? {} : { continue: page.continueToken }),
        ...(page.remainingItemCount === undefined ? {} : { remainingItemCount: page.remainingItemCount })
      },
      items
    }
  }

  /** Every stored object of a kind (storage version), for controllers inside the emulator. */
  storedObjects(type: ResourceType): ReadonlyArray<JsonObject> {
    return [...this.bucket(type).values()]
  }

  findByUid(uid: string): { readonly type: ResourceType; readonly object: JsonObject } | undefined {
    const location = this.uids.get(uid)
    if (location === undefined) return undefined
    const object = this.objects.get(location.storage)?.get(location.key)
    const type = object === undefined ? undefined : this.typeOfStorage(location.storage, object)
    return object === undefined || type === undefined ? undefined : { type, object }
  }

  // ---- watch ----

  /**
   * Opens a watch. Without a resourceVersion (or "0") it first sends ADDED for every matching object; with
   * one it replays what happened since. Returns "expired" when that point has left the history.
   */
  watch(scope: Scope, selection: Selection & { readonly resourceVersion?: string | undefined }, sink: WatchSink): Watcher | "expired" {
    const matches = compileSelection(scope.type, { ...selection, namespace: scope.namespace })
    const request = { storage: scope.type.storage, matches, render: (o: JsonObject) => render(scope, o), sink }
    const from = selection.resourceVersion
    if (from === undefined || from === "" || from === "0") {
      for (const object of [...this.bucket(scope.type).values()].filter(matches).sort(byNamespaceThenName)) {
        sink.send("ADDED", render(scope, object))
      }
      return this.hub.add(request)
    }
    const resumeFrom = Number(from)
    if (!Number.isInteger(resumeFrom) || resumeFrom < 0) throw badRequest(`invalid resource version: ${from}`)
    return this.hub.resume(request, resumeFrom) ?? "expired"
  }

  bookmark(watcher: Watcher, scope: Scope): void {
    watcher.sink.send("BOOKMARK", {
      kind: scope.type.kind,
      apiVersion: apiVersionOf(scope.type.group, scope.version),
      metadata: { resourceVersion: String(this.revision) }
    })
  }

  // ---- writes ----

  create(scope: Scope, body: Json, options: WriteOptions = {}): WriteResult {
    const { type } = scope
    const version = this.served(scope)
    const incoming = checkIncoming(type, scope.version, scope.namespace, body, undefined)
    if (resourceVersionOf(incoming) !== undefined && resourceVersionOf(incoming) !== "") {
      throw badRequest("resourceVersion should not be set on objects to be created")
    }
    const base = stringField(metadataOf(incoming), "generateName")
    const name = nameOf(incoming) !== "" ? nameOf(incoming) : base !== undefined && base !== "" ? generateName(base) : ""
    if (name === "") {
      throw invalid(validationKindOf(type), "", [
        { type: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" }
      ])
    }
    let candidate = withMetadata(incoming, { name, deletionTimestamp: null, deletionGracePeriodSeconds: null, resourceVersion: null })
    if (type.statusSubresource && type.custom) candidate = without(candidate, "status")
    const { object, warnings } = admit(type, version, candidate, undefined, options.fieldValidation ?? "Warn")
    this.requireWritableNamespace(scope, name)
    const taken = (n: string) => this.bucket(type).has(keyOf(scope.namespace, n))
    let finalName = name
    if (nameOf(incoming) === "" && base !== undefined) {
      // RetryGenerateName: up to 7 more suffixes, then NewGenerateNameConflict
      for (let attempt = 1; attempt < 8 && taken(finalName); attempt++) finalName = generateName(base)
      if (taken(finalName)) throw generateNameConflict(qualifiedResource(type), finalName)
    } else if (taken(name)) throw alreadyExists(qualifiedResource(type), name)
    const stored = toStorage(type, version, finalName === name ? object : withMetadata(object, { name: finalName }))
    const metadata: JsonObject = {
      uid: newUid(),
      creationTimestamp: rfc3339(this.now()),
      ...(type.tracksGeneration ? { generation: 1 } : { generation: null })
    }
    if (options.dryRun === true) return { object: render(scope, withMetadata(stored, metadata)), created: true, warnings }
    const saved = this.commitCreate(type, withMetadata(stored, metadata))
    return { object: render(scope, saved), created: true, warnings }
  }

  /** PUT: a full replacement, with kube-apiserver's preconditions (409 on a stale resourceVersion). */
  replace(scope: Scope, name: string, body: Json, options: WriteOptions = {}): WriteResult {
    const old = this.bucket(scope.type).get(keyOf(scope.namespace, name))
    if (old === undefined) {
      if (scope.type.allowCreateOnUpdate && options.subresource === undefined) {
        const incoming = checkIncoming(scope.type, scope.version, scope.namespace, body, name)
        return this.create(scope, withMetadata(incoming, { resourceVersion: null }), options)
      }
      throw notFound(qualifiedResource(scope.type), name)
    }
    const candidate = checkIncoming(scope.type, scope.version, scope.namespace, body, name)
    const rv = resourceVersionOf(candidate)
    if ((rv === undefined || rv === "") && !scope.type.allowUnconditionalUpdate) {
      // store.Update names the resource (plural) where NewInvalid expects a kind, and the value is a uint64 0
      throw invalid({ group: scope.type.group, kind: scope.type.plural }, name, [
        { type: "FieldValueInvalid", field: "metadata.resourceVersion", goValue: "0x0", detail: "must be specified for an update" }
      ])
    }
    return this.update(scope, name, old, candidate, options)
  }

  patch(scope: Scope, name: string, patchType: PatchType, patch: Json, options: WriteOptions & { readonly force?: boolean | undefined } = {}): WriteResult {
    const { type } = scope
    if (patchType === "strategic" && type.custom) {
      throw unsupportedMediaType(["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"])
    }
    if (patchType === "apply" && (options.fieldManager === undefined || options.fieldManager === "")) {
      throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
        { type: "FieldValueRequired", field: "fieldManager", detail: "is required for apply patch" }
      ])
    }
    // ValidatePatchOptions checks Force != nil: even force=false is refused outside apply
    if (options.force !== undefined && patchType !== "apply") {
      throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
        { type: "FieldValueForbidden", field: "force", detail: "may not be specified for non-apply patch" }
      ])
    }
    const old = this.bucket(type).get(keyOf(scope.namespace, name))
    if (old === undefined) {
      if (patchType === "apply" && options.subresource === undefined) {
        // applyPatcher.createNewObject applies the configuration to an empty object: same checks as an update
        const incoming = checkIncoming(type, scope.version, scope.namespace, applyConfiguration(patch), name)
        return this.create(scope, incoming, options)
      }
      throw notFound(qualifiedResource(type), name)
    }
    const current = render(scope, old)
    const patched = applyPatch(type, patchType, current, patch)
    const candidate = checkIncoming(type, scope.version, scope.namespace, patched, name)
    return this.update(scope, name, old, candidate, options)
  }

  delete(scope: Scope, name: string, options: DeleteOptions = {}): DeleteResult {
    const { type } = scope
    const key = keyOf(scope.namespace, name)
    const old = this.bucket(type).get(key)
    if (old === undefined) throw notFound(qualifiedResource(type), name)
    checkDeletePreconditions(type, name, old, options)
    // delete.go: 202 only when the object was not deleted at once and the client asked orphanDependents=false
    const pendingCode = options.orphanDependents === false ? 202 : 200
    if (deletionTimestampOf(old) !== undefined) return { body: render(scope, old), code: pendingCode }
    const marked = markedForDeletion(type, old, options, this.now())
    if (marked !== undefined) {
      if (options.dryRun === true) return { body: render(scope, marked), code: pendingCode }
      return { body: render(scope, this.commitUpdate(type, old, marked)), code: pendingCode }
    }
    if (options.dryRun === true) return { body: render(scope, old), code: 200 }
    const removed = this.commitDelete(type, old)
    const body = type.deleteReturnsObject
      ? render(scope, removed)
      : success({ name, ...(type.group === "" ? {} : { group: type.group }), kind: type.plural, uid: uidOf(old) })
    return { body, code: 200 }
  }

  deleteCollection(scope: Scope, selection: Selection, options: DeleteOptions = {}): JsonObject {
    const matches = compileSelection(scope.type, { ...selection, namespace: scope.namespace })
    const targets = [...this.bucket(scope.type).values()].filter(matches).sort(byNamespaceThenName)
    const items: Array<JsonObject> = []
    for (const target of targets) {
      const result = this.delete({ ...scope, namespace: namespaceOf(target) }, nameOf(target), options)
      if (isJsonObject(result.body) && result.body["kind"] !== "Status") items.push(result.body)
      else items.push(render(scope, target))
    }
    return {
      apiVersion: apiVersionOf(scope.type.group, scope.version),
      kind: scope.type.listKind,
      metadata: { resourceVersion: String(this.revision) },
      items
    }
  }

  /**
   * A write made by a controller inside the emulator (garbage collector, namespace and CRD finalizers): same
   * storage semantics as an API write, no admission.
   */
  controllerWrite(type: ResourceType, old: JsonObject, next: JsonObject): JsonObject {
    return this.commitUpdate(type, old, next)
  }

  controllerDelete(type: ResourceType, object: JsonObject, propagationPolicy: PropagationPolicy = "Background"): void {
    const namespace = namespaceOf(object)
    const current = this.bucket(type).get(keyOf(namespace, nameOf(object)))
    if (current === undefined) return
    this.delete({ type, version: type.storageVersion, namespace }, nameOf(object), { propagationPolicy })
  }

  /** Fault injection: forget the watch history up to a resourceVersion, so resuming watches get 410. */
  compactHistory(throughResourceVersion = this.revision): void {
    this.hub.compact(throughResourceVersion)
  }

  // ---- internals ----

  private update(scope: Scope, name: string, old: JsonObject, candidate: JsonObject, options: WriteOptions): WriteResult {
    const { type } = scope
    const version = this.served(scope)
    const rv = resourceVersionOf(candidate)
    if (rv !== undefined && rv !== "" && rv !== resourceVersionOf(old)) throw conflict(qualifiedResource(type), name)
    const candidateUid = uidOf(candidate)
    if (candidateUid !== "" && candidateUid !== uidOf(old)) {
      throw conflict(qualifiedResource(type), name, `Precondition failed: UID in precondition: ${candidateUid}, UID in object meta: ${uidOf(old)}`)
    }
    const oldInVersion = render(scope, old)
    const composed = composeUpdate(type, options.subresource, candidate, oldInVersion)
    if (deletionTimestampOf(old) !== undefined) {
      const added = finalizersOf(composed).filter((f) => !finalizersOf(old).includes(f))
      if (added.length > 0) {
        throw invalid(validationKindOf(type), name, [
          {
            type: "FieldValueForbidden",
            field: "metadata.finalizers",
            detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`
          }
        ])
      }
    } else {
      const immutable = deletionFieldsSetOnLiveObject(composed, old)
      if (immutable.length > 0) throw invalid(validationKindOf(type), name, immutable)
    }
    const { object, warnings } = admit(type, version, composed, oldInVersion, options.fieldValidation ?? "Warn")
    let stored = toStorage(type, version, object)
    const generation = generationOf(old)
    stored = withMetadata(stored, {
      // a client-supplied generation is ignored
      generation: type.tracksGeneration ? (nonMetadataChanged(type, old, stored) ? generation + 1 : generation) : null
    })
    if (options.dryRun === true) return { object: render(scope, stored), created: false, warnings }
    return { object: render(scope, this.commitUpdate(type, old, stored)), created: false, warnings }
  }

  /** Stores a new object: next resourceVersion, ADDED event. */
  private commitCreate(type: ResourceType, object: JsonObject): JsonObject {
    const saved = withMetadata(object, { resourceVersion: String(++this.revision) })
    const key = keyOf(namespaceOf(saved), nameOf(saved))
    this.bucket(type).set(key, saved)
    this.uids.set(uidOf(saved), { storage: type.storage, key })
    this.emit({ type: "ADDED", storage: type.storage, resourceVersion: this.revision, object: saved, previous: undefined })
    return saved
  }

  /**
   * Stores an updated object (immutable metadata kept from the old one). A no-op write changes nothing and emits
   * nothing; a deleting object whose last finalizer went is removed, and watchers see DELETED with its last state.
   */
  private commitUpdate(type: ResourceType, old: JsonObject, next: JsonObject): JsonObject {
    const oldMeta = metadataOf(old)
    const kept: Record<string, Json> = {}
    for (const key of ["uid", "name", "namespace", "creationTimestamp", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"]) {
      kept[key] = oldMeta[key] ?? null
    }
    if (deletionTimestampOf(next) !== undefined && deletionTimestampOf(old) === undefined) {
      kept["deletionTimestamp"] = metadataOf(next)["deletionTimestamp"] ?? null
      kept["deletionGracePeriodSeconds"] = metadataOf(next)["deletionGracePeriodSeconds"] ?? null
    }
    const candidate = withMetadata(next, kept)
    if (deepEqual(candidate, old)) return old
    if (deletionTimestampOf(candidate) !== undefined && pendingFinalizers(type, candidate).length === 0) {
      const removed = this.commitDelete(type, old)
      return withMetadata(candidate, { resourceVersion: resourceVersionOf(removed) ?? null })
    }
    const saved = withMetadata(candidate, { resourceVersion: String(++this.revision) })
    this.bucket(type).set(keyOf(namespaceOf(saved), nameOf(saved)), saved)
    this.emit({ type: "MODIFIED", storage: type.storage, resourceVersion: this.revision, object: saved, previous: old })
    return saved
  }

  private commitDelete(type: ResourceType, old: JsonObject): JsonObject {
    this.bucket(type).delete(keyOf(namespaceOf(old), nameOf(old)))
    this.uids.delete(uidOf(old))
    const last = withMetadata(old, { resourceVersion: String(++this.revision) })
    this.emit({ type: "DELETED", storage: type.storage, resourceVersion: this.revision, object: last, previous: undefined })
    return last
  }

  private emit(event: StoredEvent): void {
    this.hub.record(event)
    for (const listener of this.listeners) listener(event)
  }

  private require(scope: Scope, name: string): JsonObject {
    const object = this.bucket(scope.type).get(keyOf(scope.namespace, name))
    if (object === undefined) throw notFound(qualifiedResource(scope.type), name)
    return object
  }

  private requireWritableNamespace(scope: Scope, name: string): void {
    if (!scope.type.namespaced) return
    const namespace = this.objects.get(NAMESPACES)?.get(keyOf("", scope.namespace))
    if (namespace === undefined) throw notFound({ group: "", resource: "namespaces" }, scope.namespace)
    if (deletionTimestampOf(namespace) !== undefined) {
      throw forbidden(
        qualifiedResource(scope.type),
        name,
        `unable to create new content in namespace ${scope.namespace} because it is being terminated`
      )
    }
  }

  private served(scope: Scope): ServedVersion {
    const version = servedVersion(scope.type, scope.version)
    if (version === undefined) throw notFound(qualifiedResource(scope.type), "")
    return version
  }

  private bucket(type: ResourceType): Map<string, JsonObject> {
    let bucket = this.objects.get(type.storage)
    if (bucket === undefined) {
      bucket = new Map()
      this.objects.set(type.storage, bucket)
    }
    return bucket
  }

  private typeOfStorage(storage: string, object: JsonObject): ResourceType | undefined {
    const apiVersion = stringField(object, "apiVersion") ?? ""
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : ""
    return this.registry.all().find((t) => t.storage === storage && t.group === group)
  }

}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`
