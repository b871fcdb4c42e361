import type { JsonObject } from "../../Json.ts"

/** One stored APIM entity: its id as first written, its ARM `properties`, and its current ETag. */
export interface StoredEntity {
  readonly name: string
  readonly properties: JsonObject
  readonly etag: string
}

/** A write's result: the stored entity, and whether the write created it (201) or replaced it (200). */
export interface Written<A> {
  readonly value: A
  readonly created: boolean
}

/** A delete's result: whether there was anything to delete (200) or not (204, or 404 when so configured). */
export interface Deleted {
  readonly existed: boolean
}

/** Entities keyed by id, compared case-insensitively as ARM does, listed in creation order. */
export class EntityStore<E extends { readonly name: string } = StoredEntity> {
  readonly #entries = new Map<string, E>()

  get(id: string): E | undefined {
    return this.#entries.get(id.toLowerCase())
  }

  has(id: string): boolean {
    return this.#entries.has(id.toLowerCase())
  }

  /** Replacing keeps the first spelling of the id, as ARM does. */
  set(entity: E): E {
    const key = entity.name.toLowerCase()
    const existing = this.#entries.get(key)
    const stored = existing === undefined ? entity : { ...entity, name: existing.name }
    this.#entries.set(key, stored)
    return stored
  }

  delete(id: string): boolean {
    return this.#entries.delete(id.toLowerCase())
  }

  list(): ReadonlyArray<E> {
    return [...this.#entries.values()]
  }

  get size(): number {
    return this.#entries.size
  }

  clear(): void {
    this.#entries.clear()
  }
}
