import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, type Scope } from "effect"
import {
  type AzureConnectionFacts,
  type AzureEmulator,
  type AzureEmulatorStartError,
  makeAzureEmulator
} from "../emulators/azure/AzureEmulator.ts"
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
  /** The Azure emulators' connection facts, with the CA as a file instead of PEM text. */
  readonly azure: Omit<AzureConnectionFacts, "caPem"> & { readonly caFile: string }
}

export interface Sandbox {
  readonly kube: KubeEmulator
  readonly azure: AzureEmulator
  readonly stateDir: string
  readonly kubeconfigPath: string
  readonly contractPath: string
  readonly contract: SandboxContract
}

/** The embedded emulators on loopback, and the files that tell clients where they are. Released with the scope. */
export const startSandbox = (
  options: SandboxOptions
): Effect.Effect<Sandbox, PlatformError | AzureEmulatorStartError, Scope.Scope | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const stateDir = path.resolve(options.stateDir)
    yield* fs.makeDirectory(stateDir, { recursive: true })
    const kube = yield* kubeEmulator(options.kubePort === undefined ? {} : { port: options.kubePort })
    const azure = yield* makeAzureEmulator()
    const kubeconfigPath = path.join(stateDir, "kubeconfig")
    const contractPath = path.join(stateDir, "sandbox.json")
    const caFile = path.join(stateDir, "ca.pem")
    const { caPem: _ca, ...facts } = azure.connection
    const contract: SandboxContract = {
      kubeconfig: kubeconfigPath,
      kubernetes: { server: kube.url },
      azure: { caFile, ...facts }
    }
    yield* fs.writeFileString(kubeconfigPath, kube.kubeconfig())
    yield* fs.writeFileString(caFile, azure.caPem)
    yield* fs.writeFileString(contractPath, `${JSON.stringify(contract, null, 2)}\n`)
    yield* Effect.logInfo("sandbox started").pipe(
      Effect.annotateLogs({ kubernetes: kube.url, arm: azure.armEndpoint, keyVault: azure.keyVaultUrl, stateDir })
    )
    return { kube, azure, stateDir, kubeconfigPath, contractPath, contract }
  })
