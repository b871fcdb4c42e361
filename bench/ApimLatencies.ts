/** How long APIM takes to answer, by kind of call (configurable from the command line). */
export interface ApimLatencies {
  readonly importMs: number
  readonly policyPutMs: number
  readonly getMs: number
  /** Other writes: API updates without a document, deletes, the OpenID Connect provider. */
  readonly writeMs: number
}

/** Realistic defaults, as APIM answers in a mid-size region: an import takes seconds, reads under 100 ms. */
export const realisticLatencies: ApimLatencies = { importMs: 1500, policyPutMs: 300, getMs: 80, writeMs: 300 }

export const zeroLatencies: ApimLatencies = { importMs: 0, policyPutMs: 0, getMs: 0, writeMs: 0 }

/** The emulator's per-operation latency table (operation names from src/emulators/azure/apim/Operations.ts). */
export const latencyTable = (latencies: ApimLatencies): Readonly<Record<string, number>> => ({
  "api.import": latencies.importMs,
  "policy.put": latencies.policyPutMs,
  "api.get": latencies.getMs,
  "api.head": latencies.getMs,
  "api.list": latencies.getMs,
  "policy.get": latencies.getMs,
  "service.get": latencies.getMs,
  "openidConnectProvider.get": latencies.getMs,
  "api.put": latencies.writeMs,
  "api.update": latencies.writeMs,
  "api.delete": latencies.writeMs,
  "policy.delete": latencies.writeMs,
  "openidConnectProvider.put": latencies.writeMs
})

/**
 * The least time one new API spends in APIM calls, one after the other: read the API (absent), import it, read its
 * policy (absent), put the policy, read its tags and attach its two (segment and Component).
 */
export const publishChainMs = (latencies: ApimLatencies): number =>
  latencies.getMs + latencies.importMs + latencies.getMs + latencies.policyPutMs + latencies.getMs + 2 * latencies.writeMs
