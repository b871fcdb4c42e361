import { Effect, Either, Metric, Option } from "effect"
import { apiDefinitionFor, type ApiState, type ImportDocument } from "../domain/ApiDefinition.ts"
import { apimPath, type ApiIntent } from "../domain/ApiIntent.ts"
import { API_PUBLISHED, findCondition, IN_SYNC, POLICIES_APPLIED } from "../domain/Conditions.ts"
import { type DriftMode, isDrift, type WriteReason, writesIn } from "../domain/DriftMode.ts"
import type { ApiKeyRecord } from "../domain/ApiKeys.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { analyseOpenApiDocument } from "../domain/OpenApiDocument.ts"
import { passThroughDocument } from "../domain/PassThroughDocument.ts"
import { type ApiAction, type AppliedHashes, definitionHash, desiredPolicy, documentHash, planApi, planPolicy } from "../domain/Plan.ts"
import { compilePolicy, type PolicySettings, renderPolicyXml } from "../domain/Policy.ts"
import { driftCorrected, driftFound } from "../Metrics.ts"
import { Apim } from "../services/Apim.ts"
import { type EventRecord, Recorder } from "../services/Recorder.ts"
import type { Kubernetes } from "../services/Kubernetes.ts"
import { SpecSource } from "../services/SpecSource.ts"
import { OperatorEnvironment } from "./Bootstrap.ts"
import { templateAvailable } from "./CheckTemplate.ts"
import { asFailure, type ConditionBook, type ReconcileFailure, subjectOf } from "./ExposedApiStatus.ts"
import { publishApiKeys } from "./PublishApiKeys.ts"
import type { PieceDrift } from "./PieceDrift.ts"
import { publishTags } from "./PublishTags.ts"

/** What was applied to APIM, recorded in status so the next reconcile can tell "unchanged" (and drift) without a write. */
export interface Publication {
  readonly apiId: string
  readonly documentHash: string | undefined
  /** The API's managed fields as last applied: APIM differing from an unchanged definition is drift. */
  readonly definitionHash: string
  readonly policyHash: string
  /** The product and subscription set up for apiKeyVerification. */
  readonly apiKey?: ApiKeyRecord
  /** The operator's tags applied to the API. */
  readonly tags: ReadonlyArray<string>
}

/** A publication that cannot go ahead until the spec, the document or the configuration changes. */
export interface Blocked {
  readonly _tag: "Blocked"
}
const blocked: Blocked = { _tag: "Blocked" }

type Piece = "api" | "policy" | PieceDrift["piece"]

/** Something changed in APIM behind the operator's back and left as it is (drift mode report-only). */
interface Drift {
  readonly piece: Piece
  readonly description: string
}

const countDrift = (piece: Piece, mode: DriftMode, corrected: boolean) =>
  Metric.increment(Metric.tagged(Metric.tagged(corrected ? driftCorrected : driftFound, "piece", piece), "mode", mode))

const IN_SYNC_NOTE: Readonly<Record<DriftMode, string>> = {
  correct: "API Management matches what was applied (drift mode correct: changes made outside the operator are re-applied)",
  "report-only": "API Management matches what was applied (drift mode report-only: changes made outside the operator are reported, not corrected)",
  paused: "drift control is paused"
}

/**
 * InSync from the drift left as it is: a Warning Event (and the drift metric) only when the report is new, so
 * drift that stays costs no write at every resync.
 */
const reportDrift = (api: ExposedApi, book: ConditionBook, mode: DriftMode, drift: ReadonlyArray<Drift>) =>
  Effect.gen(function*() {
    if (drift.length === 0) return book.set(IN_SYNC, "True", "InSync", IN_SYNC_NOTE[mode])
    const message = `API Management was changed outside the operator and is left as it is (drift mode ${mode}): ${drift.map((d) => d.description).join("; ")}`
    const previous = Option.getOrUndefined(findCondition(book.conditions, IN_SYNC))
    book.set(IN_SYNC, "False", "DriftDetected", message)
    if (previous?.reason === "DriftDetected" && previous.message === message) return
    for (const d of drift) yield* countDrift(d.piece, mode, false)
    yield* (yield* Recorder).record(subjectOf(api), { type: "Warning", reason: "DriftDetected", action: "CompareWithApim", note: message })
  })

/** The OpenAPI document to import inline, fetched through the guarded SpecSource and analysed. */
const documentFor = (api: ExposedApi, intent: ApiIntent, book: ConditionBook) =>
  Effect.gen(function*() {
    if (intent.apiType === "mcp") return Either.right<ImportDocument | undefined>(passThroughDocument(intent.displayName))
    if (intent.specification === undefined || intent.apiType !== "openapi") return Either.right<ImportDocument | undefined>(undefined)
    const fetched = yield* (yield* SpecSource).get(intent.specification.url).pipe(
      Effect.tapError((error) =>
        Effect.sync(() => book.set(API_PUBLISHED, "False", "SpecificationUnavailable", error.message))
      )
    )
    const analysed = analyseOpenApiDocument(fetched.text)
    if (Either.isLeft(analysed)) {
      book.set(API_PUBLISHED, "False", "InvalidSpecification", `${intent.specification.url}: ${analysed.left.message}`)
      yield* (yield* Recorder).record(subjectOf(api), {
        type: "Warning",
        reason: "InvalidSpecification",
        action: "Publish",
        note: `the specification document cannot be imported: ${analysed.left.message}`
      })
      return Either.left(blocked)
    }
    return Either.right<ImportDocument | undefined>({ format: analysed.right.format, value: analysed.right.value })
  })

/**
 * The API and its policy in APIM: read what is there, plan, write only what differs, and only what the drift mode
 * allows (`correct` writes every difference, `report-only` only changes of the desired state). Conditions
 * ApiPublished, PoliciesApplied and InSync say how it went.
 */
export const publishApi = (
  api: ExposedApi,
  intent: ApiIntent,
  serviceUrl: string,
  applied: AppliedHashes,
  policySettings: PolicySettings,
  book: ConditionBook,
  driftMode: DriftMode
): Effect.Effect<Either.Either<Publication, Blocked>, ReconcileFailure, Apim | SpecSource | Recorder | OperatorEnvironment | Kubernetes> =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const recorder = yield* Recorder
    const { openIdProviderId } = yield* OperatorEnvironment
    const subject = subjectOf(api)
    const drift: Array<Drift> = []

    const document = yield* documentFor(api, intent, book).pipe(Effect.mapError(asFailure))
    if (Either.isLeft(document)) return Either.left(blocked)

    const compiled = compilePolicy(intent.policies, policySettings)
    if (Either.isLeft(compiled)) {
      const reason = compiled.left.settingsOnly ? "OperatorMisconfigured" : "InvalidPolicy"
      book.set(POLICIES_APPLIED, "False", reason, compiled.left.message)
      yield* recorder.record(subject, { type: "Warning", reason, action: "ApplyPolicy", note: compiled.left.message })
      return Either.left(blocked)
    }
    const policy = desiredPolicy(renderPolicyXml(compiled.right))
    if (!(yield* templateAvailable(api, intent, policy.hash, book))) return Either.left(blocked)

    const definition = apiDefinitionFor(intent, serviceUrl, { openIdProviderId })
    const action = yield* planAgainstApim(intent.apiId, (observed) => planApi(definition, document.right, observed, applied))
    if (action._tag === "Put" && !writesIn(driftMode, action.reason)) {
      if (action.reason === "missing") {
        const message = `API ${intent.apiId} was deleted from API Management and is not re-created (drift mode ${driftMode})`
        book.set(API_PUBLISHED, "False", "ApiMissing", message)
        yield* reportDrift(api, book, driftMode, [{ piece: "api", description: `API ${intent.apiId} is missing` }])
        return Either.left(blocked)
      }
      drift.push({ piece: "api", description: `API ${intent.apiId} differs in ${action.drifted.join(", ")}` })
    } else if (action._tag === "Put") {
      if (isDrift(action.reason)) yield* countDrift("api", driftMode, false)
      const written = yield* apim.putApi(intent.apiId, action.definition, action.ifMatch).pipe(
        Effect.catchTag("ApimInvalid", (error) =>
          Effect.sync(() => book.set(API_PUBLISHED, "False", "ApimRejected", error.message)).pipe(
            Effect.zipRight(recorder.record(subject, { type: "Warning", reason: "ApimRejected", action: "Publish", note: error.message })),
            Effect.as(undefined)
          )
        ),
        Effect.tapError((error) => Effect.sync(() => book.set(API_PUBLISHED, "False", error._tag, error.message))),
        Effect.mapError(asFailure)
      )
      if (written === undefined) return Either.left(blocked)
      if (isDrift(action.reason)) yield* countDrift("api", driftMode, true)
      yield* recorder.record(subject, apiEvent(intent, action.reason, action.documentChanged, action.drifted))
    }
    book.set(API_PUBLISHED, "True", "Published", `API ${intent.apiId} is published at path /${apimPath(intent)} with backend ${serviceUrl}`)

    const observedPolicy = yield* apim.getPolicy(intent.apiId).pipe(Effect.mapError(asFailure))
    const policyAction = planPolicy(policy, observedPolicy, applied.policyHash)
    if (policyAction._tag === "Put" && !writesIn(driftMode, policyAction.reason)) {
      drift.push({ piece: "policy", description: policyAction.reason === "missing" ? "its policy is missing" : "its policy differs from the one applied" })
    } else if (policyAction._tag === "Put") {
      if (isDrift(policyAction.reason)) yield* countDrift("policy", driftMode, false)
      yield* apim.putPolicy(intent.apiId, policyAction.xml, policyAction.ifMatch).pipe(
        Effect.tapError((error) => Effect.sync(() => book.set(POLICIES_APPLIED, "False", error._tag, error.message))),
        Effect.mapError(asFailure)
      )
      if (isDrift(policyAction.reason)) yield* countDrift("policy", driftMode, true)
      yield* recorder.record(subject, policyEvent(intent, policyAction.reason))
    }
    book.set(POLICIES_APPLIED, "True", "Applied", "the gateway policy matches the spec")

    const tags = yield* publishTags(api, intent, book, driftMode)
    const apiKey = yield* publishApiKeys(api, intent, book, driftMode)
    for (const found of [...tags.drift, ...apiKey.drift]) {
      if (!found.corrected) drift.push(found)
      else yield* Effect.zipRight(countDrift(found.piece, driftMode, false), countDrift(found.piece, driftMode, true))
    }
    yield* reportDrift(api, book, driftMode, drift)

    return Either.right({
      ...(apiKey.record === undefined ? {} : { apiKey: apiKey.record }),
      tags: tags.applied,
      apiId: intent.apiId,
      documentHash: document.right === undefined ? undefined : documentHash(document.right),
      definitionHash: definitionHash(definition),
      policyHash: policy.hash
    })
  })

/**
 * Plans from what the resync's listing found when that needs no write, at no read of its own; otherwise from a
 * fresh read, which also brings the ETag a write is conditional on.
 */
const planAgainstApim = (apiId: string, plan: (observed: Option.Option<ApiState>) => ApiAction) =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const listed = yield* apim.listedApi(apiId)
    if (Option.isSome(listed)) {
      const action = plan(listed)
      if (action._tag === "Keep") return action
    }
    return plan(yield* apim.getApi(apiId).pipe(Effect.mapError(asFailure)))
  })

const apiEvent = (intent: ApiIntent, reason: WriteReason, documentChanged: boolean, drifted: ReadonlyArray<string>): EventRecord => {
  const api = `API ${intent.apiId}`
  switch (reason) {
    case "absent":
      return { type: "Normal", reason: "ApiCreated", action: "Publish", note: `${api} created at path /${apimPath(intent)}` }
    case "changed":
      return {
        type: "Normal",
        reason: "ApiUpdated",
        action: "Publish",
        note: documentChanged ? `${api} re-imported: its OpenAPI document changed` : `${api} updated at path /${apimPath(intent)}`
      }
    case "drift":
      return { type: "Normal", reason: "ApiDriftCorrected", action: "Publish", note: `${api} differed from the spec in ${drifted.join(", ")}; re-applied` }
    case "missing":
      return { type: "Normal", reason: "ApiDriftCorrected", action: "Publish", note: `${api} had been deleted from API Management; re-created` }
  }
}

const policyEvent = (intent: ApiIntent, reason: WriteReason): EventRecord => {
  const policy = `policy of API ${intent.apiId}`
  switch (reason) {
    case "absent":
      return { type: "Normal", reason: "PolicyApplied", action: "ApplyPolicy", note: `${policy} applied` }
    case "changed":
      return { type: "Normal", reason: "PolicyApplied", action: "ApplyPolicy", note: `${policy} re-applied (the spec changed)` }
    case "drift":
      return { type: "Normal", reason: "PolicyDriftCorrected", action: "ApplyPolicy", note: `${policy} differed from the spec; re-applied` }
    case "missing":
      return { type: "Normal", reason: "PolicyDriftCorrected", action: "ApplyPolicy", note: `${policy} had been deleted; re-applied` }
  }
}
