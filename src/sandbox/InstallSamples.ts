import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Data, Effect } from "effect"
import { stringify as toYaml } from "yaml"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../emulators/Json.ts"
import type { KubeEmulator } from "../emulators/kube/KubeEmulator.ts"
import type { SampleComponent } from "./SandboxSamples.ts"

export class SampleRejected extends Data.TaggedError("SampleRejected")<{ readonly message: string }> {}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

const metadataOf = (manifest: JsonObject): JsonObject => (isJsonObject(manifest["metadata"]) ? manifest["metadata"] : {})
const field = (object: JsonObject, name: string): string => {
  const value = object[name]
  return typeof value === "string" ? value : ""
}

/** JSON as Go's encoder writes a map: keys sorted, so kubectl finds its own annotation unchanged. */
const goJson = (value: Json): string => {
  if (isJsonArray(value)) return `[${value.map(goJson).join(",")}]`
  if (isJsonObject(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${goJson(value[key] ?? null)}`).join(",")}}`
  return JSON.stringify(value)
}

/** What `kubectl apply` would have stored, so that a later `kubectl apply -f` of the sample file merges cleanly. */
const asApplied = (manifest: JsonObject): JsonObject => {
  const metadata = metadataOf(manifest)
  const annotations = isJsonObject(metadata["annotations"]) ? metadata["annotations"] : {}
  // kubectl records the manifest with an annotations map, empty when the manifest has none
  const recorded = goJson({ ...manifest, metadata: { ...metadata, annotations } })
  return { ...manifest, metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: `${recorded}\n` } } }
}

/**
 * Creates each manifest that is not there yet, through the emulator's in-process door; what exists is left as
 * it is (a user's edit wins).
 */
export const applyManifests = (kube: KubeEmulator, manifests: ReadonlyArray<JsonObject>): Effect.Effect<void, SampleRejected> =>
  Effect.forEach(manifests, (manifest) =>
    Effect.try({
      try: () => {
        const metadata = metadataOf(manifest)
        const existing = kube.objects.get(field(manifest, "apiVersion"), field(manifest, "kind"), field(metadata, "namespace"), field(metadata, "name"))
        if (existing === undefined) kube.objects.create(asApplied(manifest))
      },
      catch: (error) =>
        new SampleRejected({
          message: `sample ${field(manifest, "kind")} ${field(metadataOf(manifest), "name")} was rejected: ${error instanceof Error ? error.message : String(error)}`
        })
    }), { discard: true })

const fileOf = (sample: SampleComponent): string => `${sample.component}.yaml`

/** One multi-document YAML file per sample Component under `directory`, ready for `kubectl apply -f`. */
export const writeSampleFiles = (
  directory: string,
  samples: ReadonlyArray<SampleComponent>
): Effect.Effect<ReadonlyArray<string>, PlatformError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.makeDirectory(directory, { recursive: true })
    return yield* Effect.forEach(samples, (sample) => {
      const file = path.join(directory, fileOf(sample))
      const header = sample.appliedAtStart
        ? `# ODA Component ${sample.component}: applied when the sandbox started.`
        : `# ODA Component ${sample.component}: not applied at start; kubectl --kubeconfig KUBECONFIG apply -f ${fileOf(sample)}`
      const body = sample.manifests.map((manifest) => toYaml(manifest)).join("---\n")
      return fs.writeFileString(file, `${header}\n${body}`).pipe(Effect.as(file))
    })
  })
