import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import type { LroMode } from "../../../../src/emulators/azure/apim/LongRunning.ts"
import { fastPolling, rg, startApimContract, svc, type ApimContract } from "./ApimClientFixture.ts"

/** What the SDK sent after the initial request: "location" polls (asyncId), "status" polls, or resource GETs. */
const pollsAfter = (contract: ApimContract, since: number): ReadonlyArray<string> =>
  contract.front.log
    .entries()
    .slice(since + 1)
    .map((entry) =>
      entry.query.has("asyncId") ? `location:${entry.status}` : entry.path.includes("/tenant/operationResults/") ? `status:${entry.status}` : `get:${entry.status}`
    )

describe("APIM emulator: long-running operations through begin…AndWait", () => {
  let contract: ApimContract

  beforeAll(async () => {
    contract = await startApimContract()
  })
  afterAll(() => contract.close())
  beforeEach(() => {
    contract.model.lro.reset()
    contract.front.log.clear()
  })

  const expectedPolls: Readonly<Record<LroMode, { readonly put: ReadonlyArray<string>; readonly delete: ReadonlyArray<string> }>> = {
    sync: { put: [], delete: [] },
    location: { put: ["location:202", "location:201"], delete: ["location:202", "location:200"] },
    async: { put: ["status:200", "status:200", "get:200"], delete: ["status:200", "status:200"] }
  }

  it.each<LroMode>(["sync", "location", "async"])("API PUT and DELETE in %s mode", async (mode) => {
    contract.model.lro.setMode(mode)
    const api = await contract.client.api.beginCreateOrUpdateAndWait(
      rg,
      svc,
      `lro-${mode}`,
      { displayName: `LRO ${mode}`, path: `lro-${mode}`, protocols: ["https"] },
      fastPolling
    )
    expect(api.displayName).toBe(`LRO ${mode}`)
    expect(pollsAfter(contract, 0)).toEqual(expectedPolls[mode].put)
    expect(contract.model.getApi(`lro-${mode}`)).toBeDefined()

    contract.front.log.clear()
    await contract.client.api.beginDeleteAndWait(rg, svc, `lro-${mode}`, "*", fastPolling)
    expect(pollsAfter(contract, 0)).toEqual(expectedPolls[mode].delete)
    expect(contract.model.getApi(`lro-${mode}`)).toBeUndefined()
  })

  it.each<LroMode>(["sync", "location", "async"])("named value PUT in %s mode", async (mode) => {
    contract.model.lro.setMode(mode)
    const namedValue = await contract.client.namedValue.beginCreateOrUpdateAndWait(
      rg,
      svc,
      `nv-${mode}`,
      { displayName: `nv-${mode}`, value: "v", secret: true },
      fastPolling
    )
    expect(namedValue.displayName).toBe(`nv-${mode}`)
    expect(namedValue.value).toBeUndefined()
    expect(pollsAfter(contract, 0)).toEqual(expectedPolls[mode].put)
    expect((await contract.client.namedValue.listValue(rg, svc, `nv-${mode}`)).value).toBe("v")
  })

  it("polls as many times as configured, and only the next queued requests follow a queued mode", async () => {
    contract.model.lro.setInProgressPolls(3)
    contract.model.lro.enqueue("location", 1)
    const body = { displayName: "Q", path: "queued", protocols: ["https" as const] }
    await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "queued", body, fastPolling)
    expect(pollsAfter(contract, 0)).toEqual(["location:202", "location:202", "location:202", "location:201"])
    contract.front.log.clear()
    await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "queued", body, fastPolling)
    expect(pollsAfter(contract, 0)).toEqual([])
  })

  it("fails the operation as the SDK sees a Failed status, without applying the write", async () => {
    contract.model.lro.enqueue({ mode: "async", failure: { status: 400, code: "ValidationError", message: "Import failed." } })
    const failed = contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "doomed", { displayName: "D", path: "doomed", protocols: ["https"] }, fastPolling)
    await expect(failed).rejects.toThrow(/ValidationError\. Import failed\./)
    expect(contract.model.getApi("doomed")).toBeUndefined()
  })

  it("tolerates extra query parameters on poll URLs", async () => {
    contract.model.lro.setMode("location")
    await contract.client.api.beginCreateOrUpdateAndWait(rg, svc, "extra", { displayName: "X", path: "extra", protocols: ["https"] }, fastPolling)
    contract.front.log.clear()
    await contract.client.api.beginDeleteAndWait(rg, svc, "extra", "*", { ...fastPolling, deleteRevisions: true })
    const polls = contract.front.log.entries().filter((entry) => entry.query.has("asyncId"))
    expect(polls.map((entry) => [entry.status, entry.query.get("deleteRevisions")])).toEqual([
      [202, "true"],
      [200, "true"]
    ])
  })
})
