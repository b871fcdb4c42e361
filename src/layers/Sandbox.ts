import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, type Scope } from "effect"
import { kubeEmulator, type KubeEmulator } from "../emulators/kube/KubeEmulator.ts"

export interface SandboxOptions {
  /** Where the kubeconfig and sandbox.json are written (created when missing). */
  readonly stateDir: string
  /** The Kubernetes emulator's port; a free one when absent. */
  readonly kubePort?: number | undefined
}

/** `sandbox.json`: the machine-readable contract of the sandbox, stable across releases. */
export interface SandboxContract {
  readonly kubeconfig: string
  readonly kubernetes: { readonly server: string }
}

export interface Sandbox {
  readonly kube: KubeEmulator
  readonly stateDir: string
  readonly kubeconfigPath: string
  readonly contractPath: string
  readonly contract: SandboxContract
}

/** The embedded emulators on loopback, and the files that tell clients where they are. Released with the scope. */
export const startSandbox = (options: SandboxOptions): Effect.Effect<Sandbox, PlatformError, Scope.Scope | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const stateDir = path.resolve(options.stateDir)
    yield* fs.makeDirectory(stateDir, { recursive: true })
    const kube = yield* kubeEmulator(options.kubePort === undefined ? {} : { port: options.kubePort })
    const kubeconfigPath = path.join(stateDir, "kubeconfig")
    const contractPath = path.join(stateDir, "sandbox.json")
    const contract: SandboxContract = { kubeconfig: kubeconfigPath, kubernetes: { server: kube.url } }
    yield* fs.writeFileString(kubeconfigPath, kube.kubeconfig())
    yield* fs.writeFileString(contractPath, `${JSON.stringify(contract, null, 2)}\n`)
    yield* Effect.logInfo("sandbox started").pipe(Effect.annotateLogs({ kubernetes: kube.url, stateDir }))
    return { kube, stateDir, kubeconfigPath, contractPath, contract }
  })
