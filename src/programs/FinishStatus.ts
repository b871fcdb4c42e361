import { Clock, Effect, Metric, Option } from "effect"
import { apimPath, type ApiIntent, publishedToApim } from "../domain/ApiIntent.ts"
import type { Capability } from "../domain/Capabilities.ts"
import { conditionsOf, findCondition, READY, readyFrom } from "../domain/Conditions.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { timeToReady } from "../Metrics.ts"
import { Recorder } from "../services/Recorder.ts"
import { OperatorEnvironment } from "./Bootstrap.ts"
import { asFailure, type ConditionBook, subjectOf, writeStatus } from "./ExposedApiStatus.ts"
import { reportToParentComponent } from "./ParentComponent.ts"
import type { Publication } from "./PublishApi.ts"

const field = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined)

const stringField = (value: unknown, key: string): string | undefined => {
  const found = field(value, key)
  return typeof found === "string" ? found : undefined
}

/** The Ready Event's text: where the API is published, or that it is reachable through its Ingress only. */
const readyNote = (apiStatus: unknown): string => {
  const url = stringField(apiStatus, "url")
  return url !== undefined && url !== "" ? `published at ${url}` : "ready behind its Ingress (not published to the gateway by design)"
}

export interface StatusInputs {
  readonly api: ExposedApi
  /** Undefined when the spec could not be read: apiStatus stays as it was. */
  readonly intent: ApiIntent | undefined
  readonly book: ConditionBook
  /** Undefined when not looked at in this reconcile: status.implementation stays as it was. */
  readonly ready: boolean | undefined
  /** Undefined when nothing was published in this reconcile: status.publication stays as it was. */
  readonly publication: Publication | undefined
  /** Undefined when the spec could not be read: status.capabilities stays as it was. */
  readonly capabilities?: ReadonlyArray<Capability> | undefined
  /** Whether the parent ODA Component hears about it (not while the operator keeps its hands off). */
  readonly reportToComponent?: boolean
}

/**
 * status.apiStatus, status.implementation, conditions (Ready derived from its gates), what was applied and the
 * capabilities; written only when they changed. Then the parent ODA Component's entry for the API, if it has one.
 */
export const finishStatus = ({ api, book, intent, publication, ready, capabilities, reportToComponent = true }: StatusInputs) =>
  Effect.gen(function*() {
    const environment = yield* OperatorEnvironment
    const wasReady = Option.exists(findCondition(conditionsOf(api.status), READY), (c) => c.status === "True")
    book.apply(readyFrom(book.conditions, book.generation))
    const nowReady = Option.exists(findCondition(book.conditions, READY), (c) => c.status === "True")
    const previousStatus = api.status ?? {}
    const apiStatus = intent === undefined
      ? previousStatus["apiStatus"]
      : yield* environment.service.pipe(
        Effect.map((service) => ({
          name: intent.apiName,
          url: publishedToApim(intent) ? `${service.gatewayUrl}/${apimPath(intent)}` : "",
          path: intent.path,
          port: intent.implementation.port,
          implementation: intent.implementation.service,
          ...(intent.developerUI === undefined ? {} : { developerUI: `${service.gatewayUrl}${intent.developerUI}` })
        })),
        Effect.mapError(asFailure)
      )
    const implementation = ready === undefined ? previousStatus["implementation"] : { ready }
    const wrote = yield* writeStatus(api, {
      apiStatus,
      implementation,
      conditions: book.conditions,
      publication: publication === undefined
        ? previousStatus["publication"]
        : { ...publication, observedGeneration: book.generation },
      capabilities: capabilities ?? previousStatus["capabilities"]
    }).pipe(Effect.mapError(asFailure))
    if (nowReady && !wasReady) {
      const now = yield* Clock.currentTimeMillis
      const created = Date.parse(api.metadata.creationTimestamp ?? "")
      if (Number.isFinite(created)) yield* Metric.update(timeToReady, Math.max(0, (now - created) / 1000))
      yield* (yield* Recorder).record(subjectOf(api), {
        type: "Normal",
        reason: "Ready",
        action: "Publish",
        note: readyNote(apiStatus)
      })
    }
    if (reportToComponent) {
      yield* reportToParentComponent(api, {
        url: stringField(apiStatus, "url"),
        developerUI: stringField(apiStatus, "developerUI"),
        ready: nowReady && field(implementation, "ready") === true
      })
    }
    return wrote
  })
