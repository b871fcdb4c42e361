import type { ApiManagementClient } from "@azure/arm-apimanagement"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { makeFaults } from "../../../src/emulators/azure/Faults.ts"
import { connectionReset } from "../../../src/emulators/azure/HttpsFront.ts"
import { fakeRequest as request } from "./FakeRequest.ts"
import { armClient, inProcessCredential, secretClient } from "./SdkClients.ts"
import { makeTrivialArm } from "./TrivialArm.ts"

describe("fault rules (in process)", () => {
  it("fires the next N matching requests only, filtered by method and path", async () => {
    const faults = makeFaults({ shape: "arm" })
    const rule = faults.inject({ action: { kind: "status", status: 503 }, times: 2, method: "put", path: /\/apis\// })
    expect(await faults.intercept(request("GET", "/apis/a"))).toBeUndefined()
    expect(await faults.intercept(request("PUT", "/tags/a"))).toBeUndefined()
    expect(await faults.intercept(request("PUT", "/apis/a"))).toMatchObject({ status: 503, body: { error: { code: "ServiceUnavailable" } } })
    expect(await faults.intercept(request("PUT", "/apis/b"))).toMatchObject({ status: 503 })
    expect(await faults.intercept(request("PUT", "/apis/c"))).toBeUndefined()
    expect(rule.fired()).toBe(2)
  })

  it("shapes error bodies per service and carries Retry-After headers", async () => {
    const entra = makeFaults({ shape: "entra" })
    entra.inject({ action: { kind: "status", status: 429, retryAfterSeconds: 0, retryAfterMs: 20 } })
    expect(await entra.intercept(request("POST", "/t/oauth2/v2.0/token"))).toMatchObject({
      status: 429,
      headers: { "Retry-After": "0", "retry-after-ms": "20" },
      body: { error: "temporarily_unavailable" }
    })
    const keyVault = makeFaults({ shape: "keyvault" })
    keyVault.inject({ action: { kind: "status", status: 400, code: "ValidationError", body: { error: { code: "ValidationError", details: [] } } } })
    expect(await keyVault.intercept(request("GET", "/secrets/x"))).toMatchObject({ body: { error: { code: "ValidationError", details: [] } } })
  })

  it("waits on delay rules, then lets later rules or the model answer", async () => {
    const slept: Array<number> = []
    const faults = makeFaults({ shape: "arm", seed: 7, sleep: async (ms) => void slept.push(ms) })
    faults.inject({ action: { kind: "delay", ms: 30 } })
    faults.inject({ action: { kind: "delay", ms: { min: 10, max: 20 } } })
    faults.inject({ action: { kind: "reset" }, times: 1 })
    expect(await faults.intercept(request("GET", "/x"))).toBe(connectionReset)
    expect(await faults.intercept(request("GET", "/x"))).toBeUndefined()
    expect(slept).toHaveLength(4)
    expect(slept[0]).toBe(30)
    expect(slept[1]).toBeGreaterThanOrEqual(10)
    expect(slept[1]).toBeLessThanOrEqual(20)
  })

  it("replays the same probabilistic faults for the same seed", async () => {
    const run = async (seed: number) => {
      const faults = makeFaults({ shape: "arm", seed })
      faults.inject({ action: { kind: "status", status: 500 }, probability: 0.3 })
      const outcomes: Array<boolean> = []
      for (let i = 0; i < 200; i++) outcomes.push((await faults.intercept(request("GET", "/x"))) !== undefined)
      return outcomes
    }
    const first = await run(42)
    expect(await run(42)).toEqual(first)
    expect(await run(43)).not.toEqual(first)
    const fired = first.filter(Boolean).length
    expect(fired).toBeGreaterThan(30)
    expect(fired).toBeLessThan(90)
  })
})

describe("faults over HTTPS with the real SDK clients", () => {
  let azure: AzureEmulator
  let arm: ReturnType<typeof makeTrivialArm> | undefined
  let client: ApiManagementClient

  beforeAll(async () => {
    azure = await startAzureEmulator({ arm: (facts) => (arm = makeTrivialArm(facts)).handler, throttle: { enabled: false } })
    client = armClient(azure, inProcessCredential(azure), { maxRetries: 3 })
  })
  afterAll(() => azure.close())
  beforeEach(() => {
    azure.faults.arm.clear()
    azure.logs.arm.clear()
  })

  const putTag = (tag: string) => client.tag.createOrUpdate(azure.resourceGroup, azure.serviceName, tag, { displayName: tag })
  const statuses = () => azure.logs.arm.entries().map((e) => e.status)

  it("retries through the next N 5xx; faulted writes never reach the model", async () => {
    const before = arm?.writes() ?? 0
    azure.faults.arm.inject({ action: { kind: "status", status: 503 }, times: 2 })
    expect((await putTag("five-hundred")).name).toBe("five-hundred")
    expect(statuses()).toEqual([503, 503, 201])
    expect(arm?.writes()).toBe(before + 1)
  })

  it("gives up with the ARM error when the 5xx outlasts the retries", async () => {
    azure.faults.arm.inject({ action: { kind: "status", status: 500, message: "boom" }, times: 4 })
    await expect(putTag("exhausted")).rejects.toMatchObject({ statusCode: 500, code: "InternalServerError", message: "boom" })
  })

  it("honours Retry-After and retry-after-ms on 429", async () => {
    azure.faults.arm.inject({ action: { kind: "status", status: 429, retryAfterSeconds: 0 }, times: 1 })
    azure.faults.arm.inject({ action: { kind: "status", status: 429, retryAfterMs: 20 }, times: 1 })
    expect((await client.apiManagementService.get(azure.resourceGroup, azure.serviceName)).gatewayUrl).toBe("https://gateway.example")
    expect(statuses()).toEqual([429, 429, 200])
  })

  it("survives a connection reset by retrying", async () => {
    azure.faults.arm.inject({ action: { kind: "reset" }, times: 1 })
    expect((await putTag("after-reset")).name).toBe("after-reset")
    expect(statuses()).toEqual(["reset", 201])
  })

  it("delays a request and still lets the model answer", async () => {
    const rule = azure.faults.arm.inject({ action: { kind: "delay", ms: 50 }, times: 1 })
    expect((await putTag("delayed")).name).toBe("delayed")
    expect(rule.fired()).toBe(1)
    expect(statuses()).toEqual([201])
  })

  it("injects faults into Key Vault with its error shape", async () => {
    const secrets = secretClient(azure)
    azure.faults.keyVault.inject({ action: { kind: "status", status: 503, message: "vault down" }, path: /^\/secrets\/resource-group/ })
    await expect(secrets.getSecret("resource-group")).rejects.toMatchObject({ statusCode: 503, code: "ServiceUnavailable" })
    azure.faults.keyVault.clear()
    expect((await secrets.getSecret("resource-group")).value).toBe(azure.resourceGroup)
  })
})
