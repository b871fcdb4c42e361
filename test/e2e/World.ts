import * as k8s from "@kubernetes/client-node"
import { type Duration, Effect, type Fiber, Schedule, type Scope } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { makeAzureEmulator, type AzureEmulator } from "../../src/emulators/azure/AzureEmulator.ts"
import { isJsonArray, isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
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
  readonly startOperator: (options?: OperatorOptions) => Effect.Effect<Fiber.RuntimeFiber<void, unknown>, never, Scope.Scope>
}

/** How a test runs the operator: its resync interval, and settings on top of the ones every test gets. */
export interface OperatorOptions {
  readonly resyncInterval?: Duration.DurationInput
  readonly settings?: Readonly<Record<string, string>>
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

/** The ODA CRD as a cluster might install it with a status subresource on every version. */
export const withStatusSubresource = (crd: JsonObject): JsonObject => {
  const spec = isJsonObject(crd["spec"]) ? crd["spec"] : {}
  const versions = isJsonArray(spec["versions"]) ? spec["versions"].filter(isJsonObject) : []
  return { ...crd, spec: { ...spec, versions: versions.map((v) => ({ ...v, subresources: { status: {} } })) } }
}

export const makeWorldWith = (options: { readonly crd?: (crd: JsonObject) => JsonObject } = {}) => Effect.gen(function*() {
  const kube = yield* kubeEmulator()
  const azure = yield* makeAzureEmulator()
  yield* installExposedApiCrd(kube, options.crd)
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
        Effect.provide(sandboxOperatorLayer(kube, azure, {
          resyncInterval: options.resyncInterval ?? "1 hour",
          // tests need not wait out production-sized SDK retry delays
          settings: { ARM_SDK_RETRY_DELAY: "20 millis", ...options.settings }
        })),
        Effect.forkScoped
      )
  }
  return world
})

export const makeWorld = makeWorldWith()

/** A test's body: what it does in a world, with the world's scope to fork into. */
export type WorldBody<A, E> = (world: World) => Effect.Effect<A, E, Scope.Scope>

/**
 * The usual start of a test: a fresh world with the operator already running (with `options` if given), handed to
 * `body`; the world and the operator go when the body ends.
 */
export const withOperator = <A, E>(...args: readonly [body: WorldBody<A, E>] | readonly [options: OperatorOptions, body: WorldBody<A, E>]) => {
  const [options, body]: readonly [OperatorOptions, WorldBody<A, E>] = args.length === 1 ? [{}, args[0]] : args
  return Effect.scoped(
    Effect.gen(function*() {
      const world = yield* makeWorld
      yield* world.startOperator(options)
      return yield* body(world)
    })
  )
}

export const GROUP = "oda.tmforum.org"

export interface ExposedApiObject {
  readonly metadata: { readonly name: string; readonly generation: number; readonly resourceVersion: string; readonly finalizers?: ReadonlyArray<string>; readonly deletionTimestamp?: string }
  readonly spec: Record<string, unknown>
  readonly status?: {
    readonly apiStatus?: { readonly url?: string; readonly path?: string }
    readonly implementation?: { readonly ready?: boolean }
    readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string; readonly reason: string; readonly message: string; readonly observedGeneration: number }>
    readonly publication?: { readonly apiId?: string }
  }
}

/** The ODA example's spec, pointed at the test's document server and Service. */
export const sampleSpec = (world: World, name: string, path: string): Record<string, unknown> => ({
  name: "productcatalogmanagement",
  specification: { url: `${world.documentsUrl}/tmf620.json`, version: "v4.0.0" },
  apiType: "openapi",
  implementation: `${name}-svc`,
  path,
  port: 8080,
  rateLimit: { enabled: true, identifier: "IP", limit: "100", interval: "pm" },
  CORS: { enabled: true, allowOrigins: "https://allowed-origin.com" }
})

/** The implementation: a Service (with a pod selector unless told otherwise) and one ready endpoint. */
export const createImplementation = (
  world: World,
  namespace: string,
  service: string,
  spec: { readonly selector?: Readonly<Record<string, string>>; readonly ports: ReadonlyArray<{ readonly name?: string; readonly port: number; readonly targetPort?: number | string }> }
) =>
  Effect.promise(async () => {
    await world.core.createNamespacedService({
      namespace,
      body: { metadata: { name: service }, spec: { ...(spec.selector === undefined ? {} : { selector: { ...spec.selector } }), ports: spec.ports.map((p) => ({ ...p })) } }
    })
    await world.discovery.createNamespacedEndpointSlice({
      namespace,
      body: {
        metadata: { name: `${service}-abc`, labels: { "kubernetes.io/service-name": service } },
        addressType: "IPv4",
        endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready: true } }],
        ports: [{ port: spec.ports[0]?.port ?? 8080 }]
      }
    })
  })

/** An ExposedAPI through client-node, with the metadata a test needs (annotations, owner references). */
export const createExposedApiWith = (
  world: World,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: { readonly annotations?: Record<string, string>; readonly ownerReferences?: ReadonlyArray<Record<string, unknown>> } = {}
) =>
  Effect.promise(() =>
    world.custom.createNamespacedCustomObject({
      group: GROUP,
      version: "v1",
      namespace,
      plural: "exposedapis",
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: "ExposedAPI",
        metadata: { name, labels: { "oda.tmforum.org/componentName": "r1-productcatalogmanagement" }, ...metadata },
        spec
      }
    })
  )

/** A Service without selector, an EndpointSlice with one ready endpoint, and an ExposedAPI, through client-node. */
export const createSample = (world: World, namespace: string, name: string, spec: Record<string, unknown>) =>
  Effect.gen(function*() {
    if (namespace !== "default" && world.kube.objects.get("v1", "Namespace", "", namespace) === undefined) {
      yield* Effect.promise(() => world.core.createNamespace({ body: { metadata: { name: namespace } } }))
    }
    const service = typeof spec["implementation"] === "string" ? spec["implementation"] : `${name}-svc`
    yield* createImplementation(world, namespace, service, { ports: [{ port: 8080 }] })
    yield* createExposedApiWith(world, namespace, name, spec)
  })

export const getExposedApi = (world: World, namespace: string, name: string): Effect.Effect<ExposedApiObject> =>
  Effect.promise(() => world.custom.getNamespacedCustomObject({ group: GROUP, version: "v1", namespace, plural: "exposedapis", name }))

export const conditionOf = (object: ExposedApiObject, type: string) => object.status?.conditions?.find((c) => c.type === type)

/** Polls (real time: the operator runs on the live clock) until the predicate holds; fails after the timeout. */
export const eventually = <A>(effect: Effect.Effect<A>, predicate: (a: A) => boolean, timeout: Duration.DurationInput = "20 seconds") =>
  effect.pipe(
    Effect.filterOrFail(predicate, () => new Error("condition not met yet")),
    Effect.retry(Schedule.spaced("50 millis")),
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error("condition not met in time") }),
    Effect.orDie
  )

export const untilReady = (world: World, namespace: string, name: string) =>
  eventually(getExposedApi(world, namespace, name), (o) => conditionOf(o, "Ready")?.status === "True")

/** The sample ExposedAPI at `path`, created and then awaited until Ready: the common first step of a test. */
export const readySample = (world: World, namespace: string, name: string, path: string) =>
  createSample(world, namespace, name, sampleSpec(world, name, path)).pipe(Effect.zipRight(untilReady(world, namespace, name)))
