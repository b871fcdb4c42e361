import { Effect, type Scope } from "effect"
import { stringify as toYaml } from "yaml"
import { Controllers } from "./Controllers.ts"
import type { FaultMatch } from "./Faults.ts"
import { HttpFront, type HttpFrontOptions } from "./HttpFront.ts"
import { InProcessDoor } from "./InProcessDoor.ts"
import type { RequestLog } from "./RequestLog.ts"
import { Store } from "./Store.ts"
import type { StoreOptions } from "./StoreTypes.ts"

export interface KubeEmulatorOptions extends StoreOptions, HttpFrontOptions {
  /** PEM of the CA that signed `tls.cert`, written into the kubeconfig. */
  readonly caPem?: string
}

/** Faults a test can inject; each watch-level fault returns how many open watches it hit. */
export interface KubeFaults {
  readonly failNext: (count: number, status: number, options?: { readonly match?: FaultMatch; readonly message?: string }) => void
  readonly stallNext: (count: number, ms: number, match?: FaultMatch) => void
  readonly closeWatches: (mode?: "clean" | "reset") => number
  readonly expireWatches: () => number
  readonly stallWatches: (ms: number) => number
  readonly bookmarkWatches: () => number
  readonly compactHistory: (throughResourceVersion?: number) => void
  readonly pauseControllers: () => void
  readonly resumeControllers: () => void
  readonly clear: () => void
}

export interface KubeEmulator {
  readonly url: string
  readonly store: Store
  /** The in-process door: same model, no HTTP. */
  readonly objects: InProcessDoor
  readonly controllers: Controllers
  readonly log: RequestLog
  readonly faults: KubeFaults
  readonly openWatches: () => number
  /** A kubeconfig (YAML) for kubectl and client-node pointing at this emulator. */
  readonly kubeconfig: (namespace?: string) => string
  readonly close: () => Promise<void>
}

export const startKubeEmulator = async (options: KubeEmulatorOptions = {}): Promise<KubeEmulator> => {
  const store = new Store(options)
  const controllers = new Controllers(store)
  const front = new HttpFront(store, options)
  const url = await front.listen()
  const faults: KubeFaults = {
    failNext: (count, status, o) => front.faults.failNext(count, status, o),
    stallNext: (count, ms, match) => front.faults.stallNext(count, ms, match),
    closeWatches: (mode = "clean") => front.watches.closeAll(mode),
    expireWatches: () => front.watches.expireAll(),
    stallWatches: (ms) => front.watches.stallAll(ms),
    bookmarkWatches: () => front.watches.bookmarkAll(),
    compactHistory: (rv) => store.compactHistory(rv),
    pauseControllers: () => controllers.pause(),
    resumeControllers: () => controllers.resume(),
    clear: () => front.faults.clear()
  }
  const kubeconfig = (namespace = "default"): string =>
    toYaml({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "oda-emulator",
          cluster: options.tls === undefined
            ? { server: url, "insecure-skip-tls-verify": true }
            : { server: url, "certificate-authority-data": Buffer.from(options.caPem ?? options.tls.cert).toString("base64") }
        }
      ],
      users: [{ name: "oda-emulator", user: { token: "oda-emulator-token" } }],
      contexts: [{ name: "oda-emulator", context: { cluster: "oda-emulator", user: "oda-emulator", namespace } }],
      "current-context": "oda-emulator"
    })
  return {
    url,
    store,
    objects: new InProcessDoor(store),
    controllers,
    log: front.log,
    faults,
    openWatches: () => front.watches.count,
    kubeconfig,
    close: async () => {
      controllers.close()
      await front.close()
    }
  }
}

/** The emulator as a scoped resource: started on acquire, closed when the scope ends. */
export const kubeEmulator = (options: KubeEmulatorOptions = {}): Effect.Effect<KubeEmulator, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => startKubeEmulator(options)),
    (emulator) => Effect.promise(() => emulator.close())
  )
