import { ClientSecretCredential } from "@azure/identity"
import * as k8s from "@kubernetes/client-node"
import { ConfigProvider, Duration, Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { parse as parseYaml } from "yaml"
import type { AzureEmulator } from "../emulators/azure/AzureEmulator.ts"
import { isJsonObject, type JsonObject } from "../emulators/Json.ts"
import { simulateIngressController } from "../emulators/kube/IngressControllerSimulator.ts"
import type { KubeEmulator } from "../emulators/kube/KubeEmulator.ts"
import { shippedFile } from "../PackageRoot.ts"
import * as AzureIdentity from "../services/AzureIdentity.ts"
import * as Kubernetes from "../services/Kubernetes.ts"
import { operatorLayer } from "./Operator.ts"

/** The shipped ExposedAPI CRD, installed through the emulator's in-process door. */
export const installExposedApiCrd = (kube: KubeEmulator, adapt: (crd: JsonObject) => JsonObject = (crd) => crd): Effect.Effect<void> =>
  Effect.try(() => parseYaml(readFileSync(shippedFile("k8s/exposedapi-crd.yaml"), "utf8"))).pipe(
    Effect.filterOrFail(isJsonObject, () => new Error("k8s/exposedapi-crd.yaml is not a YAML object")),
    Effect.map((crd) => kube.objects.create(adapt(crd))),
    Effect.orDie // the shipped CRD is part of the package: unreadable means a broken installation
  )

/** The sandbox's ingress controller, running for as long as the scope does. */
export const ingressController = (kube: KubeEmulator, className = "istio") =>
  Effect.acquireRelease(Effect.sync(() => simulateIngressController(kube, { className })), (stop) => Effect.sync(stop))

export interface SandboxOperatorOptions {
  readonly resyncInterval?: Duration.DurationInput | undefined
  /** More settings, as environment variables would give them (tests shorten retry delays this way). */
  readonly settings?: Readonly<Record<string, string>> | undefined
}

/**
 * The operator wired to the sandbox exactly as it is wired to a cluster and Azure, with the sandbox's facts in
 * place of the environment: a client-node client from the emulator's kubeconfig, a client-secret credential
 * from the Entra emulator, the target facts read from the Key Vault emulator, the emulators' CA trusted.
 */
export const sandboxOperatorLayer = (kube: KubeEmulator, azure: AzureEmulator, options: SandboxOperatorOptions = {}) => {
  const kc = new k8s.KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  const credential = new ClientSecretCredential(azure.tenantId, azure.clientId, azure.clientSecret, {
    authorityHost: azure.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: azure.caPem }
  })
  const settings = new Map<string, string>([
    ["KEY_VAULT_URL", azure.keyVaultUrl],
    ["ARM_ENDPOINT", azure.armEndpoint],
    ["OIDC_METADATA_URL", `${azure.authorityHost}/${azure.tenantId}/v2.0/.well-known/openid-configuration`],
    ["SPEC_ALLOW_LOOPBACK", "true"],
    ["RESYNC_INTERVAL", `${Duration.toMillis(Duration.decode(options.resyncInterval ?? "2 minutes"))} millis`],
    ...Object.entries(options.settings ?? {})
  ])
  return operatorLayer(Kubernetes.layer(kc), AzureIdentity.fromCredential(credential, azure.caPem)).pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(settings).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))))
  )
}
