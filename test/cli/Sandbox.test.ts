import { ApiManagementClient } from "@azure/arm-apimanagement"
import { ClientSecretCredential } from "@azure/identity"
import { SecretClient } from "@azure/keyvault-secrets"
import * as k8s from "@kubernetes/client-node"
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { SandboxContract } from "../../src/layers/Sandbox.ts"

/** `oda-apim-operator sandbox --no-operator`: the emulators as a newcomer or a benchmark starts them. */
type Contract = SandboxContract

let stateDir: string
let child: ChildProcess
let output = ""
let contract: Contract

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "oda-sandbox-test-"))
  child = spawn(process.execPath, ["src/main.ts", "sandbox", "--no-operator", "--state-dir", stateDir], { stdio: ["ignore", "pipe", "pipe"] })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("sandbox contract:")) resolve()
    })
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${output}`)))
  })
  contract = JSON.parse(readFileSync(join(stateDir, "sandbox.json"), "utf8"))
})

afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL")
  rmSync(stateDir, { recursive: true, force: true })
})

describe("sandbox --no-operator", () => {
  it("prints where the kubeconfig and the contract are, and writes the contract with every documented key", () => {
    expect(output).toContain(join(stateDir, "kubeconfig"))
    expect(output).toContain(join(stateDir, "sandbox.json"))
    expect(contract.kubeconfig).toBe(join(stateDir, "kubeconfig"))
    expect(contract.kubernetes.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(Object.keys(contract.azure).sort()).toEqual(
      ["armEndpoint", "authorityHost", "caFile", "clientId", "clientSecret", "keyVaultUrl", "resourceGroup", "serviceName", "subscriptionId", "tenantId"]
    )
    expect(readFileSync(contract.azure.caFile, "utf8")).toContain("BEGIN CERTIFICATE")
  })

  it("serves the Kubernetes API to client-node through the written kubeconfig", async () => {
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(contract.kubeconfig)
    const namespaces = await kc.makeApiClient(k8s.CoreV1Api).listNamespace()
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain("default")
  })

  it("serves APIM, Key Vault and Entra ID to the unmodified Azure SDKs with the CA and credentials of the contract", async () => {
    const ca = readFileSync(contract.azure.caFile, "utf8")
    const credential = new ClientSecretCredential(contract.azure.tenantId, contract.azure.clientId, contract.azure.clientSecret, {
      authorityHost: contract.azure.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca }
    })
    const vault = new SecretClient(contract.azure.keyVaultUrl, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca } })
    expect((await vault.getSecret("apim-service-name")).value).toBe(contract.azure.serviceName)
    expect((await vault.getSecret("aad-client-id")).value).toBe(contract.azure.clientId)
    const apim = new ApiManagementClient(credential, contract.azure.subscriptionId, { endpoint: contract.azure.armEndpoint, tlsOptions: { ca } })
    const service = await apim.apiManagementService.get(contract.azure.resourceGroup, contract.azure.serviceName)
    expect(service.gatewayUrl).toMatch(/^https:\/\//)
  })

  it("exits 0 on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    child.kill("SIGTERM")
    expect(await exited).toBe(0)
  })
})
