import * as k8s from "@kubernetes/client-node"
import { type Duration, Effect, type Fiber, type Scope } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { makeAzureEmulator, type AzureEmulator } from "../../src/emulators/azure/AzureEmulator.ts"
import { kubeEmulator, type KubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { ingressController, installExposedApiCrd, sandboxOperatorLayer } from "../../src/layers/SandboxOperator.ts"
import { exposedApiController } from "../../src/programs/ExposedApiController.ts"
import { readReference } from "../fixtures/Reference.ts"

/** Everything an end-to-end test needs: both emulators, real clients, a document server, the running operator. */
export interface World {
  readonly kube: KubeEmulator
  readonly azure: AzureEmulator
  readonly kc: k8s.KubeConfig
  readonly custom: k8s.CustomObjectsApi
  readonly core: k8s.CoreV1Api
  readonly discovery: k8s.DiscoveryV1Api
  /** Base URL of a loopback server answering `/<name>` with the documents set in `documents`. */
  readonly documentsUrl: string
  readonly documents: Map<string, string>
  readonly startOperator: (options?: { readonly resyncInterval?: Duration.DurationInput }) => Effect.Effect<Fiber.RuntimeFiber<void, unknown>, never, Scope.Scope>
}

const serveDocuments = (documents: Map<string, string>) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly close: () => void }>((resume) => {
      const server = createServer((request, response) => {
        const body = documents.get((request.url ?? "/").slice(1))
        if (body === undefined) {
          response.writeHead(404).end()
          return
        }
        response.writeHead(200, { "Content-Type": body.trimStart().startsWith("{") ? "application/json" : "application/yaml" }).end(body)
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          close: () => {
            server.closeAllConnections()
            server.close()
          }
        })))
    }),
    (server) => Effect.sync(server.close)
  )

export const makeWorld = Effect.gen(function*() {
  const kube = yield* kubeEmulator()
  const azure = yield* makeAzureEmulator()
  yield* installExposedApiCrd(kube)
  yield* ingressController(kube)
  const documents = new Map<string, string>([
    ["tmf620.json", readReference("openapi/TMF620-ProductCatalog-v4.0.0.swagger.json")],
    ["tmf620.yaml", readReference("openapi/TMF620-Product_Catalog_Management-v5.0.0.oas.yaml")]
  ])
  const server = yield* serveDocuments(documents)
  const kc = new k8s.KubeConfig()
  kc.loadFromString(kube.kubeconfig())
  const world: World = {
    kube,
    azure,
    kc,
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    core: kc.makeApiClient(k8s.CoreV1Api),
    discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
    documentsUrl: server.url,
    documents,
    startOperator: (options = {}) =>
      exposedApiController().pipe(
        Effect.provide(sandboxOperatorLayer(kube, azure, { resyncInterval: options.resyncInterval ?? "1 hour" })),
        Effect.forkScoped
      )
  }
  return world
})

