import { FileSystem } from "@effect/platform"
import { Data, Effect } from "effect"
import { text } from "node:stream/consumers"
import { LineCounter, parseAllDocuments } from "yaml"

/**
 * Kubernetes manifests as `kubectl apply -f` takes them: files (or `-` for stdin) of YAML, multi-document YAML or
 * JSON, lists (`kind: List`, `kubectl get -o yaml`) unrolled. Every failure names the file, and for unreadable YAML
 * the line and column.
 */

/** One object of a manifest file, and where it came from (for messages). */
export interface Manifest {
  /** `api.yaml, document 2 (line 14)`; `<stdin>` for `-f -`. */
  readonly origin: string
  /** The file as given to -f (`-` for stdin). */
  readonly file: string
  readonly value: unknown
}

export class ManifestError extends Data.TaggedError("ManifestError")<{ readonly message: string }> {}

export const STDIN = "-"

const nameOf = (file: string): string => (file === STDIN ? "<stdin>" : file)

const readText = (file: string): Effect.Effect<string, ManifestError, FileSystem.FileSystem> =>
  file === STDIN
    ? Effect.tryPromise({
      try: () => text(process.stdin),
      catch: (cause) => new ManifestError({ message: `-f -: cannot read standard input: ${String(cause)}` })
    })
    : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file)).pipe(
      Effect.mapError((error) =>
        new ManifestError({
          message: error._tag === "SystemError" && error.reason === "NotFound"
            ? `-f ${file}: no such file`
            : error._tag === "SystemError" && error.reason === "PermissionDenied"
            ? `-f ${file}: permission denied`
            : `-f ${file}: cannot be read: ${error.message}`
        })
      )
    )

const firstLine = (message: string): string => (message.split("\n")[0] ?? message).replace(/:\s*$/, "")

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The objects of one file's text: every YAML document, and the items of a `List`. */
export const parseManifests = (file: string, source: string): Effect.Effect<ReadonlyArray<Manifest>, ManifestError> =>
  Effect.gen(function*() {
    const name = nameOf(file)
    const lines = new LineCounter()
    const documents = parseAllDocuments(source, { lineCounter: lines, uniqueKeys: true })
    // parseAllDocuments gives an EmptyStream (not an array) for a stream without any document
    const list = Array.isArray(documents) ? documents : []
    const manifests: Array<Manifest> = []
    for (const [index, document] of list.entries()) {
      const [error] = document.errors
      if (error !== undefined) return yield* new ManifestError({ message: `-f ${file}: not valid YAML or JSON: ${firstLine(error.message)}` })
      if (document.contents === null) continue
      const line = lines.linePos(document.contents.range[0]).line
      const origin = list.length === 1 ? `${name} (line ${line})` : `${name}, document ${index + 1} (line ${line})`
      const value = yield* Effect.try({
        try: (): unknown => document.toJS({ maxAliasCount: 100 }),
        catch: (cause) => new ManifestError({ message: `${origin}: not usable YAML: ${firstLine(cause instanceof Error ? cause.message : String(cause))}` })
      })
      if (value === null || value === undefined) continue // "---" alone, or only comments
      if (isObject(value) && typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"])) {
        value["items"].forEach((item: unknown, itemIndex) => manifests.push({ origin: `${origin}, items[${itemIndex}]`, file, value: item }))
      } else {
        manifests.push({ origin, file, value })
      }
    }
    return manifests
  })

/** Every object of every file, in order; stdin may be named once. */
export const readManifests = (files: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Manifest>, ManifestError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    if (files.filter((file) => file === STDIN).length > 1)
      return yield* new ManifestError({ message: "-f -: standard input can be read only once" })
    const all: Array<Manifest> = []
    for (const file of files) all.push(...(yield* parseManifests(file, yield* readText(file))))
    return all
  })
