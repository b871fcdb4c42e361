import * as k8s from "@kubernetes/client-node"
import { Effect, Layer } from "effect"
import * as AzureIdentity from "../services/AzureIdentity.ts"
import * as Kubernetes from "../services/Kubernetes.ts"
import { operatorLayer } from "./Operator.ts"

/** The Kubernetes client of `run`: in-cluster service account, or KUBECONFIG / ~/.kube/config outside a cluster. */
export const kubernetesFromEnvironment: Layer.Layer<Kubernetes.Kubernetes> = Layer.unwrapEffect(
  Effect.sync(() => {
    const kc = new k8s.KubeConfig()
    kc.loadFromDefault()
    return Kubernetes.layer(kc)
  })
)

/** The operator against a real cluster and Azure: DefaultAzureCredential (workload identity on AKS). */
export const LiveLayer = operatorLayer(kubernetesFromEnvironment, AzureIdentity.layer)
