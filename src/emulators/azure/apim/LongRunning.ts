import { isJsonObject, type JsonObject } from "../../Json.ts"
import type { EmulatorRequest, EmulatorResponse } from "../Http.ts"
import { failureBody, type ArmFailure } from "./ArmFailure.ts"

/**
 * How the long-running APIM writes (API PUT and DELETE, named value PUT, policy fragment PUT) answer:
 * - `sync` (default): the final 200/201 at once, no LRO headers;
 * - `location`: 202 + `Location: <resource URL>?asyncId=…&asyncCode=…` + `Retry-After: 0`; polls of that URL
 *   answer 202 a configurable number of times, then the final answer;
 * - `async`: the final status with `provisioningState: "InProgress"` (202 for DELETE) +
 *   `Azure-AsyncOperation: <P>/tenant/operationResults/{id}` (and `Location`); the status endpoint answers
 *   `{status: "InProgress"}`, then `Succeeded` (or `Failed` with the planned error).
 * These are the shapes of APIM's 2024-05-01 examples and the modes core-lro 2.7 follows (azure-emulators.md §1.6).
 * A mode is set for all requests or queued for the next N; a queued plan may also make the operation fail,
 * in which case the write is not applied.
 */
export type LroMode = "sync" | "location" | "async"

export interface LroPlan {
  readonly mode: LroMode
  readonly failure?: ArmFailure
}

export interface LroContext {
  readonly request: EmulatorRequest
  /** The service's resource id, `/subscriptions/…/service/{name}`. */
  readonly serviceId: string
  readonly kind: "put" | "delete"
}

interface Operation {
  remaining: number
  readonly location: string
  readonly final: EmulatorResponse
  readonly failure: ArmFailure | undefined
  readonly startTime: string
}

const apiVersionOf = (request: EmulatorRequest): string => request.query.get("api-version") ?? "2024-05-01"

const withProvisioningState = (body: EmulatorResponse["body"], state: string): EmulatorResponse["body"] => {
  if (!isJsonObject(body) || !isJsonObject(body["properties"])) return body
  return { ...body, properties: { ...body["properties"], provisioningState: state } }
}

export class LongRunningOperations {
  #mode: LroMode = "sync"
  #queue: Array<LroPlan> = []
  #inProgressPolls = 1
  #counter = 0
  readonly #operations = new Map<string, Operation>()

  /** The mode of every LRO-capable request with no queued plan. */
  setMode(mode: LroMode): void {
    this.#mode = mode
  }

  mode(): LroMode {
    return this.#mode
  }

  /** The next `count` LRO-capable requests follow `plan` (then the global mode again). */
  enqueue(plan: LroPlan | LroMode, count = 1): void {
    for (let index = 0; index < count; index++) this.#queue.push(typeof plan === "string" ? { mode: plan } : plan)
  }

  /** How many polls answer "still running" before the final answer (default 1). */
  setInProgressPolls(count: number): void {
    this.#inProgressPolls = Math.max(0, count)
  }

  reset(): void {
    this.#mode = "sync"
    this.#queue = []
    this.#inProgressPolls = 1
    this.#operations.clear()
  }

  /** The plan the next LRO-capable request follows; `begin` consumes it. */
  peek(): LroPlan {
    return this.#queue[0] ?? { mode: this.#mode }
  }

  /** Answers an accepted write whose synchronous answer would be `final`. */
  begin(final: EmulatorResponse, context: LroContext): EmulatorResponse {
    const plan = this.#queue.shift() ?? { mode: this.#mode }
    if (plan.mode === "sync") return plan.failure === undefined ? final : { status: plan.failure.status, body: failureBody(plan.failure) }
    const id = `${Date.now().toString(16)}${(++this.#counter).toString(16).padStart(8, "0")}`
    const { request } = context
    const apiVersion = apiVersionOf(request)
    const location = `${request.baseUrl}${request.rawPath}?api-version=${apiVersion}&asyncId=${id}&asyncCode=${final.status}`
    const failedFinal = plan.failure === undefined ? final : { status: plan.failure.status, body: failureBody(plan.failure) }
    const startTime = new Date().toISOString()
    this.#operations.set(id, { remaining: this.#inProgressPolls, location, final: failedFinal, failure: plan.failure, startTime })
    const retry = { Location: location, "Retry-After": "0" }
    if (plan.mode === "location") return { status: 202, headers: retry }
    const servicePath = context.serviceId.split("/").map(encodeURIComponent).join("/")
    const asyncOperation = `${request.baseUrl}${servicePath}/tenant/operationResults/${id}?api-version=${apiVersion}`
    const headers = { ...final.headers, ...retry, "Azure-AsyncOperation": asyncOperation }
    if (context.kind === "delete") return { status: 202, headers }
    return { status: final.status, headers, body: withProvisioningState(final.body, "InProgress") }
  }

  /** A GET of the `Location` URL; undefined when `asyncId` names no operation. */
  pollLocation(asyncId: string): EmulatorResponse | undefined {
    const operation = this.#operations.get(asyncId)
    if (operation === undefined) return undefined
    if (operation.remaining > 0) {
      operation.remaining -= 1
      return { status: 202, headers: { Location: operation.location, "Retry-After": "0" } }
    }
    return operation.final
  }

  /** A GET of `<P>/tenant/operationResults/{id}`. */
  pollStatus(operationId: string): EmulatorResponse | undefined {
    const operation = this.#operations.get(operationId)
    if (operation === undefined) return undefined
    const base: JsonObject = { id: operationId, name: operationId, startTime: operation.startTime }
    if (operation.remaining > 0) {
      operation.remaining -= 1
      return { status: 200, headers: { "Retry-After": "0" }, body: { ...base, status: "InProgress" } }
    }
    const endTime = new Date().toISOString()
    if (operation.failure === undefined) return { status: 200, body: { ...base, status: "Succeeded", endTime } }
    return {
      status: 200,
      body: { ...base, status: "Failed", endTime, error: { code: operation.failure.code, message: operation.failure.message } }
    }
  }
}
