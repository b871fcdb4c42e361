import * as k8s from "@kubernetes/client-node"
import { parse as parseYaml } from "yaml"
import { startKubeEmulator, type KubeEmulator, type KubeEmulatorOptions } from "../../../src/emulators/kube/KubeEmulator.ts"
import { readReference } from "../../fixtures/Reference.ts"

/** A running emulator and real client-node clients configured from its kubeconfig. */
export interface Harness {
  readonly emulator: KubeEmulator
  readonly kc: k8s.KubeConfig
  readonly core: k8s.CoreV1Api
  readonly custom: k8s.CustomObjectsApi
  readonly extensions: k8s.ApiextensionsV1Api
  readonly networking: k8s.NetworkingV1Api
  readonly discovery: k8s.DiscoveryV1Api
  readonly coordination: k8s.CoordinationV1Api
  readonly events: k8s.EventsV1Api
  readonly objects: k8s.KubernetesObjectApi
}

export const startHarness = async (options: KubeEmulatorOptions = {}): Promise<Harness> => {
  const emulator = await startKubeEmulator(options)
  const kc = new k8s.KubeConfig()
  kc.loadFromString(emulator.kubeconfig())
  return {
    emulator,
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    extensions: kc.makeApiClient(k8s.ApiextensionsV1Api),
    networking: kc.makeApiClient(k8s.NetworkingV1Api),
    discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    events: kc.makeApiClient(k8s.EventsV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc)
  }
}

/**
 * The ODA Canvas's ExposedAPI CRD, deserialised the client-node way (`loadYaml`): its serializer knows the
 * schema's extension keys only by their model names, and silently drops `x-kubernetes-*` keys of plain YAML.
 */
export const odaCrd = (): k8s.V1CustomResourceDefinition =>
  k8s.loadYaml<k8s.V1CustomResourceDefinition>(readReference("oda/exposedapi-crd.yaml"))

export const odaExample = (): Record<string, unknown> =>
  parseYaml(readReference("oda/exposedapi-example.yaml"))

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** The ApiException a client call rejected with: HTTP status and the parsed Status body. */
export const failureOf = async (call: Promise<unknown>): Promise<{ readonly code: number; readonly body: Record<string, unknown> }> => {
  try {
    await call
  } catch (error) {
    if (error instanceof k8s.ApiException) {
      const body: unknown = typeof error.body === "string" && error.body !== "" ? JSON.parse(error.body) : {}
      return { code: error.code, body: isRecord(body) ? body : {} }
    }
    throw error
  }
  throw new Error("expected the call to fail")
}

export const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch)
export const strategicPatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch)
export const applyPatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply)

/** Waits until `check` passes (polling the in-process door; no fixed sleeps). */
export const eventually = async <A>(check: () => A | undefined | Promise<A | undefined>, timeoutMs = 5000): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error("condition not met in time")
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
