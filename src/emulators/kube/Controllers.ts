import { CrdController } from "./CrdController.ts"
import { GarbageCollector } from "./GarbageCollector.ts"
import { NamespaceController } from "./NamespaceController.ts"
import type { Store } from "./Store.ts"

/**
 * The emulator's kube-controller-manager: garbage collection, namespace and CRD finalization. Like the real
 * controllers they act asynchronously, after the write that triggered them; tests can pause them or run them to
 * quiescence.
 */
export class Controllers {
  private readonly garbageCollector: GarbageCollector
  private readonly namespaces: NamespaceController
  private readonly crds: CrdController
  private paused = false
  private scheduled = false
  private readonly unsubscribe: () => void

  constructor(store: Store) {
    this.garbageCollector = new GarbageCollector(store)
    this.namespaces = new NamespaceController(store)
    this.crds = new CrdController(store)
    this.unsubscribe = store.onEvent((event) => {
      this.crds.observe(event) // synchronous: a CRD is served as soon as it is stored
      this.garbageCollector.observe(event)
      this.namespaces.observe(event)
      this.schedule()
    })
  }

  get hasWork(): boolean {
    return this.garbageCollector.hasWork || this.namespaces.hasWork || this.crds.hasWork
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.schedule()
  }

  /** Runs every controller until nothing is left to do (bounded, in case objects keep changing). */
  settle(maxRounds = 100): void {
    for (let round = 0; round < maxRounds && this.hasWork; round++) {
      this.garbageCollector.run()
      this.namespaces.run()
      this.crds.run()
    }
  }

  close(): void {
    this.unsubscribe()
  }

  private schedule(): void {
    if (this.paused || this.scheduled || !this.hasWork) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (!this.paused) this.settle()
    })
  }
}
