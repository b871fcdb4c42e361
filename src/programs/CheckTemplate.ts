import { Effect, Option } from "effect"
import type { ApiIntent } from "../domain/ApiIntent.ts"
import { conditionsOf, findCondition, POLICIES_APPLIED } from "../domain/Conditions.ts"
import type { ExposedApi } from "../domain/ExposedApi.ts"
import { Apim } from "../services/Apim.ts"
import { Recorder } from "../services/Recorder.ts"
import { asFailure, type ConditionBook, subjectOf } from "./ExposedApiStatus.ts"

export const TEMPLATE_NOT_FOUND = "TemplateNotFound"

/** The policy hash status records as applied (`publication.policyHash`). */
const appliedPolicyHash = (api: ExposedApi): unknown => {
  const publication = api.status?.["publication"]
  return typeof publication === "object" && publication !== null ? Reflect.get(publication, "policyHash") : undefined
}

/**
 * `spec.template` names a policy fragment, and APIM refuses a policy that includes a missing one. The fragment
 * is looked up (one read) before anything of the API is written: an API published without its template's
 * policy would be open without the checks the template carries. Looking it up, rather than reading APIM's
 * refusal of the policy, names the cause for sure (a 400 has many causes, in wording APIM may change) and
 * comes before the API exists. At rest there is no read: once a policy including the fragment is applied (status
 * records its hash), APIM refuses to delete the fragment. A missing fragment is not retried: the condition says
 * what to do, and the next resync looks again.
 */
export const templateAvailable = (api: ExposedApi, intent: ApiIntent, policyHash: string, book: ConditionBook) =>
  Effect.gen(function*() {
    const fragmentId = intent.policies.template
    if (fragmentId === undefined) return true
    if (appliedPolicyHash(api) === policyHash) return true
    const found = yield* (yield* Apim).getPolicyFragment(fragmentId).pipe(
      Effect.tapError((error) => Effect.sync(() => book.set(POLICIES_APPLIED, "False", error._tag, error.message))),
      Effect.mapError(asFailure)
    )
    if (Option.isSome(found)) return true
    const message =
      `spec.template names the policy fragment "${fragmentId}", which does not exist in API Management: create it ` +
      `(Azure portal: APIs > Policy fragments > Create, id "${fragmentId}"; or an ARM PUT of .../policyFragments/${fragmentId}) or correct ` +
      `spec.template. Nothing of this API is published until then; it is looked for again at every resync`
    const already = findCondition(conditionsOf(api.status), POLICIES_APPLIED).pipe(Option.exists((c) => c.reason === TEMPLATE_NOT_FOUND && c.message === message))
    book.set(POLICIES_APPLIED, "False", TEMPLATE_NOT_FOUND, message)
    if (!already) yield* (yield* Recorder).record(subjectOf(api), { type: "Warning", reason: TEMPLATE_NOT_FOUND, action: "ApplyPolicy", note: message })
    return false
  })
