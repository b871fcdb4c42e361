import { Either, Schema } from "effect"
import { parse } from "yaml"
import type { ApiIntent } from "../../src/domain/ApiIntent.ts"
import { DEFAULT_INTENT_SETTINGS, ExposedApi, type IntentSettings, toApiIntent } from "../../src/domain/ExposedApi.ts"
import type { SpecProblem } from "../../src/domain/SpecProblems.ts"
import { readReference } from "../fixtures/Reference.ts"

/** The ODA Canvas's ExposedAPI example, vendored in test/fixtures/reference/oda. */
export const odaExample = (): Record<string, unknown> => {
  const parsed: unknown = parse(readReference("oda/exposedapi-example.yaml"))
  if (typeof parsed !== "object" || parsed === null) throw new Error("the ODA example is not an object")
  return { ...parsed }
}

export const exampleSpec = (): Record<string, unknown> => {
  const spec = odaExample()["spec"]
  if (typeof spec !== "object" || spec === null) throw new Error("the ODA example has no spec")
  return { ...spec }
}

export const metadata = {
  name: "r1-productcatalogmanagement-productcatalogmanagement",
  namespace: "components",
  uid: "6f1c2a9e-0000-4000-8000-000000000001",
  generation: 3,
  resourceVersion: "4711"
}

/** An ExposedAPI as the API server would return it: the ODA example's spec, with `changes` merged over it. */
export const exposedApi = (
  changes: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
  apiVersion = "oda.tmforum.org/v1"
): ExposedApi =>
  Schema.decodeUnknownSync(ExposedApi)({
    apiVersion,
    kind: "ExposedAPI",
    metadata: { ...metadata, ...meta },
    spec: withChanges(exampleSpec(), changes)
  })

/** Shallow merge; a change to `undefined` removes the field. */
const withChanges = (spec: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> => {
  const merged: Record<string, unknown> = { ...spec, ...changes }
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete merged[key]
  return merged
}

export const intentOf = (api: ExposedApi, settings: IntentSettings = DEFAULT_INTENT_SETTINGS): ApiIntent =>
  Either.getOrThrowWith(toApiIntent(api, settings), (error) => new Error(`expected a valid spec, got: ${error.message}`))

export const problemsOf = (api: ExposedApi, settings: IntentSettings = DEFAULT_INTENT_SETTINGS): ReadonlyArray<SpecProblem> =>
  Either.match(toApiIntent(api, settings), {
    onLeft: (error) => error.problems,
    onRight: () => []
  })

/** The one problem reported for `field`, failing the test when there is none or several. */
export const problemFor = (api: ExposedApi, field: string, settings?: IntentSettings): string => {
  const found = problemsOf(api, settings).filter((problem) => problem.field === field)
  if (found.length !== 1) throw new Error(`expected one problem for ${field}, got ${JSON.stringify(problemsOf(api, settings))}`)
  return found[0]?.message ?? ""
}
