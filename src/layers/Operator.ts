import { Layer } from "effect"
import * as Bootstrap from "../programs/Bootstrap.ts"
import * as Apim from "../services/Apim.ts"
import type { AzureIdentity } from "../services/AzureIdentity.ts"
import type { Kubernetes } from "../services/Kubernetes.ts"
import * as OperatorConfig from "../services/OperatorConfig.ts"
import * as Recorder from "../services/Recorder.ts"
import * as SpecSource from "../services/SpecSource.ts"

/**
 * Every service the operator's programs use, over a Kubernetes client and an Azure identity: configuration
 * (environment, then Key Vault), APIM, specification documents, Events, and the start-up checks.
 */
export const operatorLayer = <E1, E2>(kubernetes: Layer.Layer<Kubernetes, E1>, identity: Layer.Layer<AzureIdentity, E2>) =>
  Bootstrap.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(Apim.layerFromConfig, SpecSource.layer, Recorder.layer)),
    Layer.provideMerge(OperatorConfig.layer),
    Layer.provideMerge(Layer.merge(kubernetes, identity))
  )
