import type { JsonObject } from "../Json.ts"
import { withMetadata } from "./ObjectMeta.ts"

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED"

/** One effective write, as the watch cache remembers it. */
export interface StoredEvent {
  readonly type: WatchEventType
  readonly storage: string
  readonly resourceVersion: number
  /** The object after the write; for DELETED, its last stored state carrying the deletion's resourceVersion. */
  readonly object: JsonObject
  /** The object before the write (MODIFIED only), to turn selector transitions into ADDED/DELETED. */
  readonly previous: JsonObject | undefined
}

export interface WatchSink {
  readonly send: (type: WatchEventType | "BOOKMARK" | "ERROR", object: JsonObject) => void
}

export interface WatchRequest {
  readonly storage: string
  /** Label, field and namespace selection, already compiled by the store. */
  readonly matches: (object: JsonObject) => boolean
  /** Renders a stored object in the watcher's version. */
  readonly render: (object: JsonObject) => JsonObject
  readonly sink: WatchSink
}

export interface Watcher extends WatchRequest {
  readonly id: number
}

/**
 * The watch cache: a bounded history of events (for resuming from a resourceVersion) and the open watches.
 * A resume point older than the history is answered by the caller with 410 Expired, as the real cacher does.
 */
export class WatchHub {
  private readonly capacity: number
  private events: Array<StoredEvent> = []
  private start = 0
  /** Events at or below this resourceVersion are forgotten. */
  private compactedThrough = 0
  private readonly watchers = new Map<string, Set<Watcher>>()
  private nextId = 1

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity)
  }

  get oldestResumable(): number {
    return this.compactedThrough
  }

  get openWatches(): number {
    let n = 0
    for (const set of this.watchers.values()) n += set.size
    return n
  }

  record(event: StoredEvent): void {
    this.events.push(event)
    if (this.events.length - this.start > this.capacity) {
      const dropped = this.events[this.start]
      if (dropped !== undefined) this.compactedThrough = dropped.resourceVersion
      this.start += 1
      if (this.start > this.capacity) {
        this.events = this.events.slice(this.start)
        this.start = 0
      }
    }
    const watchers = this.watchers.get(event.storage)
    if (watchers !== undefined) for (const watcher of watchers) deliver(watcher, event)
  }

  /** Forget every event up to and including `resourceVersion` (fault injection: force 410 on resume). */
  compact(resourceVersion: number): void {
    while (this.start < this.events.length && (this.events[this.start]?.resourceVersion ?? Infinity) <= resourceVersion) {
      this.start += 1
    }
    this.compactedThrough = Math.max(this.compactedThrough, resourceVersion)
  }

  /**
   * Opens a watch that first replays every retained event after `fromResourceVersion`.
   * Returns undefined when that point is no longer in the history (the caller answers 410 Expired).
   */
  resume(request: WatchRequest, fromResourceVersion: number): Watcher | undefined {
    if (fromResourceVersion < this.compactedThrough) return undefined
    const watcher = this.add(request)
    for (let i = this.start; i < this.events.length; i++) {
      const event = this.events[i]
      if (event !== undefined && event.resourceVersion > fromResourceVersion && event.storage === request.storage) {
        deliver(watcher, event)
      }
    }
    return watcher
  }

  /** Opens a watch with no replay (the caller has already sent the synthetic ADDED events). */
  add(request: WatchRequest): Watcher {
    const watcher: Watcher = { ...request, id: this.nextId++ }
    let set = this.watchers.get(request.storage)
    if (set === undefined) {
      set = new Set()
      this.watchers.set(request.storage, set)
    }
    set.add(watcher)
    return watcher
  }

  remove(watcher: Watcher): void {
    this.watchers.get(watcher.storage)?.delete(watcher)
  }

  all(): ReadonlyArray<Watcher> {
    return [...this.watchers.values()].flatMap((set) => [...set])
  }
}

/** Selector transitions: starting to match is ADDED, ceasing to match is DELETED with the previous content. */
const deliver = (watcher: Watcher, event: StoredEvent): void => {
  const nowMatches = watcher.matches(event.object)
  if (event.type === "ADDED") {
    if (nowMatches) watcher.sink.send("ADDED", watcher.render(event.object))
    return
  }
  if (event.type === "DELETED") {
    if (nowMatches) watcher.sink.send("DELETED", watcher.render(event.object))
    return
  }
  const matchedBefore = event.previous !== undefined && watcher.matches(event.previous)
  if (nowMatches && matchedBefore) watcher.sink.send("MODIFIED", watcher.render(event.object))
  else if (nowMatches) watcher.sink.send("ADDED", watcher.render(event.object))
  else if (matchedBefore && event.previous !== undefined) {
    watcher.sink.send("DELETED", watcher.render(withMetadata(event.previous, { resourceVersion: String(event.resourceVersion) })))
  }
}
