import { Effect } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type AzureEmulator, startAzureEmulator } from "../src/emulators/azure/AzureEmulator.ts"
import { simulateIngressController } from "../src/emulators/kube/IngressControllerSimulator.ts"
import { type KubeEmulator, startKubeEmulator } from "../src/emulators/kube/KubeEmulator.ts"
import { installExposedApiCrd } from "../src/layers/SandboxOperator.ts"

/**
 * The world a benchmark or chaos run drives: both emulators hosted in this process (their in-process doors stay
 * ours, for faults, latency and counting), the ExposedAPI CRD, a simulated ingress controller and a loopback server
 * of small OpenAPI documents. The operator runs elsewhere (a child `run`) and finds all of it through the files and
 * environment `operatorEnvironment` gives, exactly as it finds a cluster and Azure.
 */
export interface BenchWorld {
  readonly kube: KubeEmulator
  readonly azure: AzureEmulator
  /** `GET {documentsUrl}/{anything}.json` answers a small OpenAPI 3 document titled after `anything`. */
  readonly documentsUrl: string
  readonly documentsServed: () => number
  readonly kubeconfigPath: string
  readonly caFile: string
  /** The environment of a child `run` pointed at this world, with `settings` on top. */
  readonly operatorEnvironment: (settings?: Readonly<Record<string, string>>) => Record<string, string>
  readonly close: () => Promise<void>
}

export interface BenchWorldOptions {
  /** ARM throttling at ARM's default budget (default true). */
  readonly throttle?: boolean
  /** Milliseconds before the APIM model answers, by operation name ("api.import", "policy.put", "api.get", …). */
  readonly latencies?: Readonly<Record<string, number>>
  readonly faultSeed?: number
  /** How long the simulated ingress controller takes to give an Ingress its address (default 20 ms). */
  readonly ingressDelayMs?: number
}

/** A small, valid OpenAPI 3 document: three operations, one schema. */
export const smallDocument = (title: string): string =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title, version: "1.0.0" },
    paths: {
      "/items": {
        get: { operationId: "listItems", responses: { "200": { description: "the items" } } },
        post: { operationId: "createItem", responses: { "201": { description: "created" } } }
      },
      "/items/{id}": {
        get: {
          operationId: "getItem",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "one item", content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } } }
        }
      }
    },
    components: { schemas: { Item: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } } } }
  })

const serveDocuments = async (): Promise<{ readonly server: Server; readonly url: string; readonly served: () => number }> => {
  let served = 0
  const server = createServer((request, response) => {
    const name = /^\/([A-Za-z0-9._-]+)\.json$/.exec(request.url ?? "")?.[1]
    if (name === undefined) {
      response.writeHead(404).end()
      return
    }
    served += 1
    response.writeHead(200, { "Content-Type": "application/json" }).end(smallDocument(name))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}`, served: () => served }
}

/** The operator settings every scenario shares: find the world, and answer in time for a benchmark. */
const baseSettings = (world: { readonly kubeconfigPath: string; readonly caFile: string; readonly azure: AzureEmulator }) => ({
  KUBECONFIG: world.kubeconfigPath,
  AZURE_TENANT_ID: world.azure.tenantId,
  AZURE_CLIENT_ID: world.azure.clientId,
  AZURE_CLIENT_SECRET: world.azure.clientSecret,
  AZURE_AUTHORITY_HOST: world.azure.authorityHost,
  AZURE_DISABLE_INSTANCE_DISCOVERY: "true",
  AZURE_CA_FILE: world.caFile,
  KEY_VAULT_URL: world.azure.keyVaultUrl,
  ARM_ENDPOINT: world.azure.armEndpoint,
  OIDC_METADATA_URL: `${world.azure.authorityHost}/${world.azure.tenantId}/v2.0/.well-known/openid-configuration`,
  SPEC_ALLOW_LOOPBACK: "true",
  // one replica: nothing to elect (the chaos run turns it on)
  LEADER_ELECTION: "false",
  // probes and metrics on a free loopback port, so runs side by side never collide on 8080
  PROBE_PORT: "0",
  PROBE_BIND_ADDRESS: "127.0.0.1",
  LOG_LEVEL: "info"
})

/** Variables of the parent that would point the child somewhere else (a real cluster, a real Azure identity). */
const inherited = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith("AZURE_") || key.startsWith("KUBERNETES_") || key.startsWith("IDENTITY_")) continue
    if (key === "MSI_ENDPOINT" || key === "MSI_SECRET" || key === "KUBECONFIG") continue
    env[key] = value
  }
  return env
}

export const startBenchWorld = async (options: BenchWorldOptions = {}): Promise<BenchWorld> => {
  const dir = mkdtempSync(join(tmpdir(), "oda-bench-world-"))
  const kube = await startKubeEmulator()
  const azure = await startAzureEmulator({
    throttle: { enabled: options.throttle ?? true, latencies: options.latencies ?? {} },
    ...(options.faultSeed === undefined ? {} : { faultSeed: options.faultSeed })
  })
  Effect.runSync(installExposedApiCrd(kube))
  const stopIngressController = simulateIngressController(kube, { className: "istio", delayMs: options.ingressDelayMs ?? 20 })
  const documents = await serveDocuments()
  const kubeconfigPath = join(dir, "kubeconfig")
  const caFile = join(dir, "ca.pem")
  writeFileSync(kubeconfigPath, kube.kubeconfig())
  writeFileSync(caFile, azure.caPem)
  const paths = { kubeconfigPath, caFile, azure }
  return {
    kube,
    azure,
    documentsUrl: documents.url,
    documentsServed: documents.served,
    kubeconfigPath,
    caFile,
    operatorEnvironment: (settings = {}) => ({ ...inherited(), ...baseSettings(paths), ...settings }),
    close: async () => {
      stopIngressController()
      documents.server.closeAllConnections()
      await new Promise<void>((resolve) => documents.server.close(() => resolve()))
      await kube.close()
      await azure.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
