import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Logger, LogLevel, Option } from "effect"
import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import type { KubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { sandboxOperatorLayer } from "../../src/layers/SandboxOperator.ts"
import { runOperator } from "../../src/programs/Operator.ts"
import { operatorPermissions, ruleResource } from "../../src/services/KubePermissions.ts"
import { eventually, GROUP, makeWorldWith, withStatusSubresource, type World } from "../e2e/World.ts"
import { K8S_DIR, k8sPath, readYamlObject, renderKustomization } from "./Kustomize.ts"
import { type Access, accessOf, allows, grantsOf, OPERATOR } from "./Rbac.ts"

/**
 * The operator, run against the emulator as `run` runs it (leader election in its own namespace, watching one
 * namespace, gateway-only traffic on), through everything it does to Kubernetes: publish with API keys and a parent
 * Component, repair drifted objects, write status with and without /status subresources, unpublish, hand the
 * Lease over. Every request it made must be allowed by the RBAC in k8s/, in both modes; and every permission the
 * RBAC grants must have been used, so nothing is granted that the code does not need.
 */

const WATCHED = "components"
const API = `${GROUP}/v1`
/** Granted for admission only: setting blockOwnerDeletion on an owner reference; no request uses it. */
const ADMISSION_ONLY = new Set([`${GROUP}|exposedapis/finalizers|update`])

const crdOf = (plural: string, kind: string, statusSubresource: boolean): JsonObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `${plural}.${GROUP}` },
  spec: {
    group: GROUP,
    scope: "Namespaced",
    names: { plural, singular: kind.toLowerCase(), kind },
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      ...(statusSubresource ? { subresources: { status: {} } } : {})
    }]
  }
})

/** Replaces a CRD (conditioned on its resourceVersion, as kubectl apply would). */
const replaceCrd = (kube: KubeEmulator, crd: JsonObject) => {
  const name = String(isJsonObject(crd["metadata"]) ? crd["metadata"]["name"] : "")
  const current = kube.objects.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", name)
  const resourceVersion = isJsonObject(current?.["metadata"]) ? current["metadata"]["resourceVersion"] : undefined
  kube.objects.replace({ ...crd, metadata: { name, ...(typeof resourceVersion === "string" ? { resourceVersion } : {}) } })
}

const get = (world: World, apiVersion: string, kind: string, name: string) => Effect.sync(() => world.kube.objects.get(apiVersion, kind, WATCHED, name))
const field = (object: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((current, key) => (isJsonObject(current) ? current[key] : undefined), object)
const readyCondition = (object: JsonObject | undefined): unknown => {
  const conditions = field(object, "status", "conditions")
  return Array.isArray(conditions) ? conditions.find((c) => isJsonObject(c) && c["type"] === "Ready") : undefined
}
const coreEntry = (component: JsonObject | undefined): unknown => {
  const list = field(component, "status", "coreAPIs")
  return Array.isArray(list) ? list[0] : undefined
}

const startOperator = (world: World) =>
  runOperator(
    sandboxOperatorLayer(world.kube, world.azure, {
      resyncInterval: "1 hour",
      settings: { WATCH_NAMESPACES: WATCHED, GATEWAY_ONLY_TRAFFIC: "true", ARM_SDK_RETRY_DELAY: "20 millis" }
    }),
    {
      leaderElection: Option.some({
        namespace: OPERATOR.namespace,
        name: "oda-apim-operator",
        identity: `access-test-${Math.random().toString(36).slice(2)}`,
        leaseDuration: Duration.millis(1500),
        renewDeadline: Duration.seconds(1),
        retryPeriod: Duration.millis(250),
        releaseOnCancel: true
      }),
      shutdownGracePeriod: "2 seconds"
    }
  ).pipe(Logger.withMinimumLogLevel(LogLevel.Error), Effect.forkDaemon)

/** The objects an ODA Component would own: its Service, a ready endpoint, the ExposedAPI; the Component itself. */
const setUp = (world: World) =>
  Effect.sync(() => {
    const { objects } = world.kube
    for (const name of [WATCHED, OPERATOR.namespace]) objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } })
    objects.create(crdOf("components", "Component", false))
    const component = objects.create({
      apiVersion: API,
      kind: "Component",
      metadata: { name: "r1", namespace: WATCHED },
      spec: {},
      status: { coreAPIs: [{ name: "catalog", ready: false }] }
    })
    objects.create({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "catalog-svc", namespace: WATCHED },
      spec: { selector: { app: "catalog" }, ports: [{ name: "http", port: 8080, targetPort: 8080 }] }
    })
    objects.create({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "catalog-svc-abc", namespace: WATCHED, labels: { "kubernetes.io/service-name": "catalog-svc" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready: true } }],
      ports: [{ name: "http", port: 8080 }]
    })
    objects.create({
      apiVersion: API,
      kind: "ExposedAPI",
      metadata: {
        name: "catalog",
        namespace: WATCHED,
        labels: { "oda.tmforum.org/componentName": "r1" },
        ownerReferences: [{ apiVersion: API, kind: "Component", name: "r1", uid: String(field(component, "metadata", "uid")), controller: true }]
      },
      spec: {
        name: "productcatalogmanagement",
        specification: { url: `${world.documentsUrl}/tmf620.json`, version: "v4.0.0" },
        apiType: "openapi",
        implementation: "catalog-svc",
        path: "/catalog/v4",
        port: 8080,
        apiKeyVerification: { enabled: true, location: "header" }
      }
    })
  })

const tamper = (world: World, apiVersion: string, kind: string, name: string) =>
  Effect.sync(() =>
    world.kube.objects.patch(apiVersion, kind, WATCHED, name, "merge", { metadata: { annotations: { [`${GROUP}/spec-hash`]: "tampered" } } })
  )

const scenario = Effect.gen(function*() {
  const world = yield* makeWorldWith({ crd: (crd) => crd })
  yield* setUp(world)
  const first = yield* startOperator(world)

  // published: Ingress, NetworkPolicy, API-key Secret, status through the object, the Component's entry
  const ready = (o: JsonObject | undefined) => field(readyCondition(o), "status") === "True"
  yield* eventually(get(world, API, "ExposedAPI", "catalog"), ready)
  yield* eventually(get(world, "v1", "Secret", "catalog-api-key"), (s) => s !== undefined)
  yield* eventually(get(world, "networking.k8s.io/v1", "NetworkPolicy", "catalog-gateway-only"), (p) => p !== undefined)
  yield* eventually(get(world, API, "Component", "r1"), (c) => field(coreEntry(c), "ready") === true)

  // drift: each owned object edited behind the operator's back is replaced
  yield* tamper(world, "networking.k8s.io/v1", "NetworkPolicy", "catalog-gateway-only")
  yield* tamper(world, "v1", "Secret", "catalog-api-key")
  yield* tamper(world, "networking.k8s.io/v1", "Ingress", "catalog")
  const repaired = (o: JsonObject | undefined) => field(o, "metadata", "annotations", `${GROUP}/spec-hash`) !== "tampered"
  for (const [apiVersion, kind, name] of [["networking.k8s.io/v1", "Ingress", "catalog"], ["v1", "Secret", "catalog-api-key"], ["networking.k8s.io/v1", "NetworkPolicy", "catalog-gateway-only"]] as const) {
    yield* eventually(get(world, apiVersion, kind, name), repaired)
  }

  // the Lease handed over on shutdown; both CRDs now declare /status; a new leader writes status through it
  yield* Fiber.interrupt(first)
  replaceCrd(world.kube, withStatusSubresource(readYamlObject(k8sPath("exposedapi-crd.yaml"))))
  replaceCrd(world.kube, crdOf("components", "Component", true))
  const second = yield* startOperator(world)
  yield* Effect.sync(() =>
    world.kube.objects.patch("discovery.k8s.io/v1", "EndpointSlice", WATCHED, "catalog-svc-abc", "merge", { endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready: false } }] })
  )
  yield* eventually(get(world, API, "ExposedAPI", "catalog"), (o) => field(o, "status", "implementation", "ready") === false)
  yield* eventually(get(world, API, "Component", "r1"), (c) => field(coreEntry(c), "ready") === false)

  // API keys turned off: the Secret goes; then the ExposedAPI goes, and with it the Ingress and NetworkPolicy
  yield* Effect.sync(() => world.kube.objects.patch(API, "ExposedAPI", WATCHED, "catalog", "merge", { spec: { apiKeyVerification: { enabled: false } } }))
  yield* eventually(get(world, "v1", "Secret", "catalog-api-key"), (s) => s === undefined)
  yield* Effect.sync(() => world.kube.objects.delete(API, "ExposedAPI", WATCHED, "catalog"))
  yield* eventually(get(world, API, "ExposedAPI", "catalog"), (o) => o === undefined)
  yield* Fiber.interrupt(second)
  return world.kube.log.entries().flatMap((entry) => Option.toArray(Option.fromNullable(accessOf(entry))))
})

const key = (access: Access): string => `${access.group}|${access.resource}|${access.verb}`

describe("the operator's requests against the RBAC in k8s/", () => {
  it.live("are all allowed, cluster-wide and namespace-scoped, and use every permission granted", () =>
    Effect.scoped(Effect.gen(function*() {
      const accesses = yield* scenario
      const clusterWide = grantsOf(renderKustomization(K8S_DIR), OPERATOR)
      const namespaceScoped = grantsOf(renderKustomization(k8sPath("overlays/namespace-scoped")), OPERATOR)
      const refused = (grants: ReadonlySet<string>) =>
        [...new Set(accesses.filter((a) => !allows(grants, a)).map((a) => `${a.verb} ${a.group}/${a.resource} in ${a.namespace ?? "all namespaces"}`))]
      expect(refused(clusterWide)).toEqual([])
      expect(refused(namespaceScoped)).toEqual([])
      // only the watched namespace, and the Lease in the operator's own
      expect([...new Set(accesses.map((a) => `${a.namespace ?? "*"} ${a.resource}`))].filter((w) => !w.startsWith(`${WATCHED} `)))
        .toEqual([`${OPERATOR.namespace} leases`])
      const granted = operatorPermissions.flatMap((p) => p.verbs.map((verb) => `${p.resource.group}|${ruleResource(p)}|${verb}`))
      const used = new Set(accesses.map(key))
      expect(granted.filter((g) => !used.has(g) && !ADMISSION_ONLY.has(g))).toEqual([])
    })), { timeout: 60_000 })
})
