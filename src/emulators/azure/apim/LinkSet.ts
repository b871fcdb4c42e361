/**
 * A many-to-many link between two kinds of entity (product ↔ API, API ↔ tag), ids compared
 * case-insensitively, each side keeping the spelling it was first linked with.
 */
export class LinkSet {
  readonly #links = new Map<string, { readonly left: string; readonly right: string }>()

  static #key(left: string, right: string): string {
    return `${left.toLowerCase()}\u0000${right.toLowerCase()}`
  }

  has(left: string, right: string): boolean {
    return this.#links.has(LinkSet.#key(left, right))
  }

  /** true when the link is new. */
  add(left: string, right: string): boolean {
    const key = LinkSet.#key(left, right)
    if (this.#links.has(key)) return false
    this.#links.set(key, { left, right })
    return true
  }

  delete(left: string, right: string): boolean {
    return this.#links.delete(LinkSet.#key(left, right))
  }

  rightsOf(left: string): ReadonlyArray<string> {
    return [...this.#links.values()].filter((link) => link.left.toLowerCase() === left.toLowerCase()).map((link) => link.right)
  }

  leftsOf(right: string): ReadonlyArray<string> {
    return [...this.#links.values()].filter((link) => link.right.toLowerCase() === right.toLowerCase()).map((link) => link.left)
  }

  deleteLeft(left: string): void {
    for (const right of this.rightsOf(left)) this.delete(left, right)
  }

  deleteRight(right: string): void {
    for (const left of this.leftsOf(right)) this.delete(left, right)
  }

  get size(): number {
    return this.#links.size
  }

  clear(): void {
    this.#links.clear()
  }
}
