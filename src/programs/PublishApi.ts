import { Effect, Either, Metric } from "effect"
import { apiDefinitionFor, type ImportDocument } from "../domain/ApiDefinition.ts"
import { apimPath, type ApiIntent } from "../domain/ApiIntent.ts"
import { API_PUBLISHED, POLICIES_APPLIED } from "../domain/Conditions.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { analyseOpenApiDocument } from "../domain/OpenApiDocument.ts"
import { documentHash, planApi, planPolicy } from "../domain/Plan.ts"
import { canonicalPolicy, compilePolicy, type PolicySettings, renderPolicyXml } from "../domain/Policy.ts"
import { contentHash } from "../domain/ContentHash.ts"
import { driftCorrected, driftFound } from "../Metrics.ts"
import { Apim } from "../services/Apim.ts"
import { Recorder } from "../services/Recorder.ts"
import { SpecSource } from "../services/SpecSource.ts"
import { OperatorEnvironment } from "./Bootstrap.ts"
import { asFailure, type ConditionBook, type ReconcileFailure, subjectOf } from "./ExposedApiStatus.ts"

/** What was applied to APIM, recorded in status so the next reconcile can tell "unchanged" without a write. */
export interface Publication {
  readonly apiId: string
  readonly documentHash: string | undefined
  readonly policyHash: string
}

/** A publication that cannot go ahead until the spec, the document or the configuration changes. */
export interface Blocked {
  readonly _tag: "Blocked"
}
const blocked: Blocked = { _tag: "Blocked" }

const countDrift = (piece: "api" | "policy", corrected: boolean) =>
  Metric.increment(Metric.tagged(corrected ? driftCorrected : driftFound, "piece", piece))

/** The OpenAPI document to import inline, fetched through the guarded SpecSource and analysed. */
const documentFor = (api: ExposedApi, intent: ApiIntent, book: ConditionBook) =>
  Effect.gen(function*() {
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
 * The API and its policy in APIM: read what is there, plan, write only what differs. Conditions ApiPublished
 * and PoliciesApplied say how it went.
 */
export const publishApi = (
  api: ExposedApi,
  intent: ApiIntent,
  serviceUrl: string,
  importedDocumentHash: string | undefined,
  policySettings: PolicySettings,
  book: ConditionBook
): Effect.Effect<Either.Either<Publication, Blocked>, ReconcileFailure, Apim | SpecSource | Recorder | OperatorEnvironment> =>
  Effect.gen(function*() {
    const apim = yield* Apim
    const recorder = yield* Recorder
    const { openIdProviderId } = yield* OperatorEnvironment
    const subject = subjectOf(api)

    const document = yield* documentFor(api, intent, book).pipe(Effect.mapError(asFailure))
    if (Either.isLeft(document)) return Either.left(blocked)

    const compiled = compilePolicy(intent.policies, policySettings)
    if (Either.isLeft(compiled)) {
      const reason = compiled.left.settingsOnly ? "OperatorMisconfigured" : "InvalidPolicy"
      book.set(POLICIES_APPLIED, "False", reason, compiled.left.message)
      yield* recorder.record(subject, { type: "Warning", reason, action: "ApplyPolicy", note: compiled.left.message })
      return Either.left(blocked)
    }
    const xml = renderPolicyXml(compiled.right)

    const definition = apiDefinitionFor(intent, serviceUrl, { openIdProviderId })
    const observed = yield* apim.getApi(intent.apiId).pipe(Effect.mapError(asFailure))
    const action = planApi(definition, document.right, observed, importedDocumentHash)
    if (action._tag === "Put") {
      if (action.reason === "drift") yield* countDrift("api", false)
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
      if (action.reason === "drift") yield* countDrift("api", true)
      yield* recorder.record(subject, {
        type: "Normal",
        reason: action.reason === "absent" ? "ApiCreated" : action.reason === "drift" ? "ApiDriftCorrected" : "ApiUpdated",
        action: "Publish",
        note: action.reason === "drift"
          ? `API ${intent.apiId} differed from the spec in ${action.drifted.join(", ")}; re-applied`
          : `API ${intent.apiId} ${action.reason === "absent" ? "created" : "updated"} at path /${apimPath(intent)}`
      })
    }
    book.set(API_PUBLISHED, "True", "Published", `API ${intent.apiId} is published at path /${apimPath(intent)} with backend ${serviceUrl}`)

    const observedPolicy = yield* apim.getPolicy(intent.apiId).pipe(Effect.mapError(asFailure))
    const policyAction = planPolicy(xml, observedPolicy)
    if (policyAction._tag === "Put") {
      if (policyAction.reason === "different") yield* countDrift("policy", false)
      yield* apim.putPolicy(intent.apiId, policyAction.xml, policyAction.ifMatch).pipe(
        Effect.tapError((error) => Effect.sync(() => book.set(POLICIES_APPLIED, "False", error._tag, error.message))),
        Effect.mapError(asFailure)
      )
      if (policyAction.reason === "different") yield* countDrift("policy", true)
      yield* recorder.record(subject, {
        type: "Normal",
        reason: "PolicyApplied",
        action: "ApplyPolicy",
        note: `policy of API ${intent.apiId} ${policyAction.reason === "absent" ? "applied" : "re-applied (it differed from the spec)"}`
      })
    }
    book.set(POLICIES_APPLIED, "True", "Applied", "the gateway policy matches the spec")

    return Either.right({
      apiId: intent.apiId,
      documentHash: document.right === undefined ? undefined : documentHash(document.right),
      policyHash: contentHash(Either.getOrElse(canonicalPolicy(xml), () => xml))
    })
  })

