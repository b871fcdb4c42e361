import { type FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Console, Effect, type Scope } from "effect"
import type { Sandbox } from "../layers/Sandbox.ts"
import { serveDocuments } from "./DocumentServer.ts"
import { exposedApiView } from "./ExposedApiView.ts"
import { applyManifests, type SampleRejected, writeSampleFiles } from "./InstallSamples.ts"
import type { ReadySummary } from "./ReadySummary.ts"
import { sampleDocuments } from "./SampleDocuments.ts"
import { SAMPLE_NAMESPACE, type SampleComponent, sampleComponents } from "./SandboxSamples.ts"

export interface SandboxTourOptions {
  /** Apply the sample Components at start (`--no-samples` turns it off). */
  readonly samples: boolean
  /** Colour the view (stdout is a terminal). */
  readonly colors: boolean
}

/** Quoted for a POSIX shell when it needs to be, so printed commands can be pasted. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`)

const nextSteps = (
  kubectl: string,
  applied: ReadonlyArray<SampleComponent>,
  left: ReadonlyArray<string>,
  summaries: ReadonlyMap<string, ReadySummary>
): ReadonlyArray<string> => {
  const apis = applied.flatMap((sample) => sample.exposedApis)
  const notReady = apis.filter((api) => summaries.get(`${SAMPLE_NAMESPACE}/${api.name}`)?.state !== "Ready=True")
  const lines = [
    "",
    `The ${apis.length} sample ExposedAPIs have settled: ${apis.length - notReady.length} Ready, ${notReady.length} not${notReady.length > 0 && notReady.every((api) => api.brokenOnPurpose !== undefined) ? " (on purpose)" : ""}.`,
    "Next steps (the view keeps printing a line for every change):"
  ]
  for (const api of notReady) {
    lines.push(`  # why ${SAMPLE_NAMESPACE}/${api.name} is not Ready${api.brokenOnPurpose === undefined ? "" : ", and a fix to watch it turn Ready"}`)
    lines.push(`  ${kubectl} describe exposedapi -n ${SAMPLE_NAMESPACE} ${api.name}`)
    if (api.brokenOnPurpose !== undefined)
      lines.push(`  ${kubectl} patch exposedapi -n ${SAMPLE_NAMESPACE} ${api.name} --type merge -p ${shellWord(JSON.stringify(api.brokenOnPurpose.fix))}`)
  }
  if (left.length > 0) lines.push("  # one more Component: watch its ExposedAPI go to Ready")
  for (const file of left) lines.push(`  ${kubectl} apply -f ${shellWord(file)}`)
  lines.push(
    "  # the ExposedAPIs with their URLs, and the Events the operator recorded",
    `  ${kubectl} get exposedapis -A`,
    `  ${kubectl} get events -n ${SAMPLE_NAMESPACE}`,
    "Stop the sandbox with Ctrl-C.",
    ""
  )
  return lines
}

/**
 * What makes `npm start` show the mission: a loopback server for the sample OpenAPI documents, the sample
 * Components written to `DIR/samples/` and (unless turned off) applied, and the live view on stdout. Everything
 * lives as long as the scope; the operator is started by the caller.
 */
export const startSandboxTour = (
  sandbox: Sandbox,
  options: SandboxTourOptions
): Effect.Effect<void, PlatformError | SampleRejected, Scope.Scope | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const path = yield* Path.Path
    const documents = yield* serveDocuments(sampleDocuments)
    const samples = sampleComponents(documents)
    const directory = path.join(sandbox.stateDir, "samples")
    const files = yield* writeSampleFiles(directory, samples)
    const applied = options.samples ? samples.filter((sample) => sample.appliedAtStart) : []
    const left = files.filter((_, index) => !applied.some((sample) => sample === samples[index]))
    const kubectl = `kubectl --kubeconfig ${shellWord(sandbox.kubeconfigPath)}`
    yield* Console.log(`Sample documents:        ${documents.url}/`)
    yield* Console.log(
      options.samples
        ? `Sample Components:       ${directory} (${left.map((file) => path.basename(file)).join(", ")} left for you to apply)`
        : `Sample Components:       ${directory} (none applied: ${kubectl} apply -f ${shellWord(directory)})`
    )
    yield* Console.log("")
    yield* Console.log("ExposedAPIs, a line whenever one changes:")
    yield* exposedApiView(sandbox.kube, {
      colors: options.colors,
      samples: applied.flatMap((sample) => sample.exposedApis.map((api) => `${SAMPLE_NAMESPACE}/${api.name}`)),
      settled: (summaries) => nextSteps(kubectl, applied, left, summaries)
    })
    yield* applyManifests(sandbox.kube, applied.flatMap((sample) => sample.manifests))
  })
