import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startAzureEmulator, type AzureEmulator } from "../../../src/emulators/azure/AzureEmulator.ts"
import { makeThrottle, makeTokenBucket } from "../../../src/emulators/azure/Throttle.ts"
import { fakeRequest } from "./FakeRequest.ts"
import { rawRequest } from "./HttpsClient.ts"
import { armClient, inProcessCredential } from "./SdkClients.ts"
import { makeTrivialArm } from "./TrivialArm.ts"

const request = (method: string) => fakeRequest(method, "/subscriptions/sub-1/resourceGroups/rg/x")

describe("token bucket (fake clock)", () => {
  it("spends tokens, refuses when empty and refills at the configured rate", () => {
    let now = 0
    const bucket = makeTokenBucket({ capacity: 2, refillPerSecond: 1 }, () => now)
    expect(bucket.take()).toEqual({ ok: true, remaining: 1 })
    expect(bucket.take()).toEqual({ ok: true, remaining: 0 })
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 1000 })
    now = 500
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 500 })
    now = 1000
    expect(bucket.take()).toEqual({ ok: true, remaining: 0 })
    now = 60_000
    expect(bucket.remaining()).toBe(2) // never above capacity
  })
})

describe("ARM throttle (fake clock)", () => {
  const ok = () => ({ status: 200, body: {} })

  it("keeps separate read and write budgets and reports the remaining count of the request's kind", async () => {
    let now = 0
    const throttle = makeThrottle({ reads: { capacity: 3, refillPerSecond: 1 }, writes: { capacity: 1, refillPerSecond: 0.5 }, clock: () => now })
    const handler = throttle.wrap(ok)
    const write = await handler(request("PUT"))
    expect(write.headers).toMatchObject({ "x-ms-ratelimit-remaining-subscription-writes": "0" })
    const throttled = await handler(request("DELETE"))
    expect(throttled.status).toBe(429)
    expect(throttled.headers).toMatchObject({ "Retry-After": "2", "x-ms-ratelimit-remaining-subscription-writes": "0" })
    expect(throttled.body).toMatchObject({ error: { code: "SubscriptionRequestsThrottled", message: expect.stringContaining("'sub-1'") } })
    const read = await handler(request("GET"))
    expect(read.status).toBe(200)
    expect(read.headers).toMatchObject({ "x-ms-ratelimit-remaining-subscription-reads": "2" })
    expect(read.headers?.["x-ms-ratelimit-remaining-subscription-writes"]).toBeUndefined()
    now = 1_500
    expect((await handler(request("PATCH"))).headers).toMatchObject({ "Retry-After": "1" }) // 0.75 token: rounds up
    now = 2_000
    expect((await handler(request("POST"))).status).toBe(200)
    expect(throttle.remaining()).toEqual({ reads: 3, writes: 0 })
  })

  it("can be switched off, still reporting the budget, and reconfigured", async () => {
    const throttle = makeThrottle({ enabled: false, writes: { capacity: 1, refillPerSecond: 1 }, clock: () => 0 })
    const handler = throttle.wrap(ok)
    const statuses = await Promise.all([1, 2, 3].map(() => Promise.resolve(handler(request("PUT"))).then((r) => r.status)))
    expect(statuses).toEqual([200, 200, 200])
    expect((await handler(request("PUT"))).headers).toMatchObject({ "x-ms-ratelimit-remaining-subscription-writes": "1" })
    throttle.setEnabled(true)
    throttle.configure({ writes: { capacity: 5, refillPerSecond: 1 } })
    expect((await handler(request("PUT"))).headers).toMatchObject({ "x-ms-ratelimit-remaining-subscription-writes": "4" })
  })

  it("adds the configured latency per ARM operation", async () => {
    const slept: Array<number> = []
    const throttle = makeThrottle({
      enabled: false,
      operationOf: (r) => ({ name: r.method === "PUT" ? "api.put" : "api.get", write: r.method === "PUT" }),
      latencies: { "api.put": 250 },
      sleep: async (ms) => {
        slept.push(ms)
      }
    })
    const handler = throttle.wrap(ok)
    await handler(request("PUT"))
    await handler(request("GET"))
    throttle.setLatency("api.get", 40)
    await handler(request("GET"))
    expect(slept).toEqual([250, 40])
  })
})

describe("ARM throttle over HTTPS", () => {
  let azure: AzureEmulator
  let arm: ReturnType<typeof makeTrivialArm> | undefined
  beforeAll(async () => {
    azure = await startAzureEmulator({
      arm: (facts) => (arm = makeTrivialArm(facts)).handler,
      throttle: { writes: { capacity: 3, refillPerSecond: 4 } }
    })
    if (arm === undefined) throw new Error("the ARM model was not built")
  })
  afterAll(() => azure.close())

  const tagUrl = (tag: string) =>
    `${azure.armEndpoint}/subscriptions/${azure.subscriptionId}/resourceGroups/${azure.resourceGroup}/providers/Microsoft.ApiManagement/service/${azure.serviceName}/tags/${tag}?api-version=2024-05-01`

  it("answers a burst of writes beyond the bucket with 429, Retry-After and the remaining count", async () => {
    // A slow refill, so a slow machine cannot earn a token back during the burst.
    azure.throttle.configure({ writes: { capacity: 3, refillPerSecond: 0.1 } })
    const token = await azure.entra.issueToken(azure.clientId, `${azure.armEndpoint}/.default`)
    const burst = []
    for (let i = 0; i < 5; i++) {
      burst.push(
        await rawRequest(tagUrl(`burst-${i}`), {
          method: "PUT",
          headers: { Authorization: `Bearer ${token.accessToken}`, "Content-Type": "application/json" },
          body: '{"properties":{"displayName":"x"}}',
          ca: azure.caPem
        })
      )
    }
    expect(burst.map((r) => r.status)).toEqual([201, 201, 201, 429, 429])
    expect(burst.map((r) => r.headers["x-ms-ratelimit-remaining-subscription-writes"])).toEqual(["2", "1", "0", "0", "0"])
    expect(Number(burst[3]?.headers["retry-after"])).toBeGreaterThanOrEqual(1)
    expect(Number(burst[3]?.headers["retry-after"])).toBeLessThanOrEqual(10)
    expect(JSON.parse(burst[3]?.text ?? "{}")).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } })
    expect(arm?.writes()).toBe(3) // throttled writes never reached the model
  })

  it("lets an SDK client that honours Retry-After complete every write", async () => {
    // Three writes in the bucket and a fast refill: the fourth write waits out one Retry-After (1 s).
    azure.throttle.configure({ writes: { capacity: 3, refillPerSecond: 4 } })
    azure.logs.arm.clear()
    const client = armClient(azure, inProcessCredential(azure), { maxRetries: 3 })
    for (let i = 0; i < 5; i++) {
      const tag = await client.tag.createOrUpdate(azure.resourceGroup, azure.serviceName, `paced-${i}`, { displayName: `paced-${i}` })
      expect(tag.name).toBe(`paced-${i}`)
    }
    const statuses = azure.logs.arm.entries().map((e) => e.status)
    expect(statuses).toContain(429)
    expect(statuses.filter((s) => s === 201)).toHaveLength(5)
  })
})

describe("ARM latency by APIM operation name", () => {
  it("delays the operations named in the latency map, as apim/Operations.ts names them", async () => {
    const slept: Array<number> = []
    const azure = await startAzureEmulator({
      arm: (facts) => makeTrivialArm(facts).handler,
      throttle: { latencies: { "service.get": 30, "tag.put": 70 }, sleep: async (ms) => void slept.push(ms) }
    })
    try {
      const client = armClient(azure, inProcessCredential(azure))
      await client.apiManagementService.get(azure.resourceGroup, azure.serviceName)
      await client.tag.createOrUpdate(azure.resourceGroup, azure.serviceName, "t1", { displayName: "t1" })
      expect(slept).toEqual([30, 70])
    } finally {
      await azure.close()
    }
  })
})
