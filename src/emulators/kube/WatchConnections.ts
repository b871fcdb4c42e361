import type { ServerResponse } from "node:http"
import type { JsonObject } from "../Json.ts"
import { expired } from "./Status.ts"
import type { Store } from "./Store.ts"
import type { Scope } from "./StoreTypes.ts"
import type { Watcher, WatchEventType, WatchSink } from "./WatchHub.ts"

/** One open watch on the HTTP door: its response stream, and the knobs fault injection turns. */
class WatchConnection {
  watcher: Watcher | undefined
  private pending: Array<string> | undefined = []
  private stalledUntil = 0
  private stallTimer: NodeJS.Timeout | undefined
  private readonly timers: Array<NodeJS.Timeout> = []
  private closed = false
  readonly response: ServerResponse
  readonly scope: Scope
  readonly bookmarks: boolean
  private readonly onClose: () => void
  private readonly transform: ((object: JsonObject) => JsonObject) | undefined
  private readonly contentType: string

  constructor(
    response: ServerResponse,
    scope: Scope,
    bookmarks: boolean,
    onClose: () => void,
    representation: { readonly transform?: ((object: JsonObject) => JsonObject) | undefined; readonly contentType?: string | undefined } = {}
  ) {
    this.response = response
    this.scope = scope
    this.bookmarks = bookmarks
    this.onClose = onClose
    this.transform = representation.transform
    this.contentType = representation.contentType ?? "application/json"
  }

  readonly sink: WatchSink = {
    send: (type: WatchEventType | "BOOKMARK" | "ERROR", object: JsonObject) => {
      // Table or metadata-only watches transform the objects of change events; bookmarks and errors stay as they are
      const shown = this.transform !== undefined && type !== "BOOKMARK" && type !== "ERROR" ? this.transform(object) : object
      this.write(`${JSON.stringify({ type, object: shown })}\n`)
    }
  }

  /** Headers go out at once (client-node's 30 s inactivity timer covers the wait for them). */
  open(): void {
    this.response.writeHead(200, {
      "Content-Type": this.contentType,
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked"
    })
    this.response.flushHeaders()
    const buffered = this.pending ?? []
    this.pending = undefined
    for (const line of buffered) this.write(line)
  }

  every(ms: number, action: () => void): void {
    this.timers.push(setInterval(action, ms))
  }

  after(ms: number, action: () => void): void {
    this.timers.push(setTimeout(action, ms))
  }

  write(line: string): void {
    if (this.closed) return
    if (this.pending !== undefined) {
      this.pending.push(line)
      return
    }
    if (Date.now() < this.stalledUntil) {
      this.pending = [line]
      return
    }
    this.response.write(line)
  }

  /** Holds every event back for `ms` (longer than 30 s makes client-node time out and reconnect). */
  stall(ms: number): void {
    this.stalledUntil = Date.now() + ms
    this.pending = this.pending ?? []
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer)
    this.stallTimer = setTimeout(() => {
      this.stalledUntil = 0
      const buffered = this.pending ?? []
      this.pending = undefined
      for (const line of buffered) this.write(line)
    }, ms)
  }

  end(mode: "clean" | "reset"): void {
    if (this.closed) return
    this.closed = true
    this.release()
    if (mode === "reset") this.response.socket?.destroy()
    else this.response.end()
  }

  release(): void {
    for (const timer of this.timers) clearTimeout(timer)
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer)
    this.onClose()
  }
}

/** The set of open watches on the HTTP door, and the watch-level faults tests inject into them. */
export class WatchConnections {
  private readonly open = new Set<WatchConnection>()
  private readonly store: Store

  constructor(store: Store) {
    this.store = store
  }

  get count(): number {
    return this.open.size
  }

  /**
   * Serves one watch request: synthetic or replayed events, then live ones, until `timeoutSeconds`, the client
   * goes away, or a fault ends it. Selector errors throw before any header is written.
   */
  serve(
    response: ServerResponse,
    scope: Scope,
    options: {
      readonly resourceVersion: string | undefined
      readonly labelSelector: string | undefined
      readonly fieldSelector: string | undefined
      readonly timeoutSeconds: number | undefined
      readonly allowBookmarks: boolean
      readonly bookmarkIntervalMs: number
      /** Another representation than the object (a Table for `kubectl get -w`), and its content type. */
      readonly transform?: ((object: JsonObject) => JsonObject) | undefined
      readonly contentType?: string | undefined
    }
  ): void {
    const connection = new WatchConnection(
      response,
      scope,
      options.allowBookmarks,
      () => {
        if (connection.watcher !== undefined) this.store.hub.remove(connection.watcher)
        this.open.delete(connection)
      },
      options
    )
    const result = this.store.watch(scope, options, connection.sink)
    connection.open()
    if (result === "expired") {
      connection.sink.send("ERROR", this.expiredStatus(options.resourceVersion ?? ""))
      connection.end("clean")
      return
    }
    connection.watcher = result
    this.open.add(connection)
    response.on("close", () => connection.release())
    if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0) {
      connection.after(options.timeoutSeconds * 1000, () => connection.end("clean"))
    }
    if (options.allowBookmarks) {
      connection.every(options.bookmarkIntervalMs, () => {
        if (connection.watcher !== undefined) this.store.bookmark(connection.watcher, scope)
      })
    }
  }

  /** Ends every open watch: cleanly (chunked end) or by destroying the socket. */
  closeAll(mode: "clean" | "reset"): number {
    const all = [...this.open]
    for (const c of all) c.end(mode)
    return all.length
  }

  /** Sends `ERROR` with a 410 Expired Status on every open watch, then closes it, as the cacher does. */
  expireAll(): number {
    const all = [...this.open]
    for (const c of all) {
      c.sink.send("ERROR", this.expiredStatus(String(this.store.resourceVersion)))
      c.end("clean")
    }
    return all.length
  }

  bookmarkAll(): number {
    const all = [...this.open].filter((c) => c.bookmarks)
    for (const c of all) if (c.watcher !== undefined) this.store.bookmark(c.watcher, c.scope)
    return all.length
  }

  stallAll(ms: number): number {
    for (const c of this.open) c.stall(ms)
    return this.open.size
  }

  private expiredStatus(from: string): JsonObject {
    const { status } = expired(`too old resource version: ${from} (${this.store.hub.oldestResumable + 1})`)
    return { ...status, metadata: {} }
  }
}
