import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Data, Effect } from "effect"
import { join } from "node:path"
import { text } from "node:stream/consumers"
import { LineCounter, parseAllDocuments } from "yaml"
import { isJsonObject } from "../emulators/Json.ts"

/**
 * Kubernetes manifests as `kubectl apply -f` takes them: files, directories (their .yaml, .yml and .json files) or `-`
 * for stdin, of YAML, multi-document YAML or JSON; lists (`kind: List`, `kubectl get -o yaml`) unrolled. Every
 * failure names the file, and for unreadable YAML the line and column.
 */

/** One object of a manifest file, and where it came from (for messages). */
export interface Manifest {
  /** `api.yaml, document 2 (line 14)`; `<stdin>` for `-f -`. */
  readonly origin: string
  /** The -f argument it was found under (`-` for stdin). */
  readonly file: string
  readonly value: unknown
}

export class ManifestError extends Data.TaggedError("ManifestError")<{ readonly message: string }> {}

export const STDIN = "-"

/** One file's text, and the -f argument it was found under. */
interface Source {
  readonly argument: string
  readonly path: string
  readonly text: string
}

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"]

/** How a failure names its file: `-f a.yaml`, or `-f dir: dir/a.yaml` for a file found in a directory. */
const blame = (argument: string, path: string): string => (argument === path ? `-f ${argument}` : `-f ${argument}: ${path}`)

const fileError = (argument: string, path: string) => (error: PlatformError): ManifestError =>
  new ManifestError({
    message: error._tag === "SystemError" && error.reason === "NotFound"
      ? `${blame(argument, path)}: no such file or directory`
      : error._tag === "SystemError" && error.reason === "PermissionDenied"
      ? `${blame(argument, path)}: permission denied`
      : `${blame(argument, path)}: cannot be read: ${error.message}`
  })

/** `-` (stdin), a file, or a directory's .yaml, .yml and .json files (not its subdirectories), as kubectl reads them. */
const readArgument = (argument: string): Effect.Effect<ReadonlyArray<Source>, ManifestError, FileSystem.FileSystem> =>
  argument === STDIN
    ? Effect.tryPromise({
      try: () => text(process.stdin),
      catch: (cause) => new ManifestError({ message: `-f -: cannot read standard input: ${String(cause)}` })
    }).pipe(Effect.map((stdin) => [{ argument, path: "<stdin>", text: stdin }]))
    : Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const info = yield* fs.stat(argument).pipe(Effect.mapError(fileError(argument, argument)))
      const read = (path: string) => fs.readFileString(path).pipe(Effect.mapError(fileError(argument, path)), Effect.map((text) => ({ argument, path, text })))
      if (info.type !== "Directory") return [yield* read(argument)]
      const entries = yield* fs.readDirectory(argument).pipe(Effect.mapError(fileError(argument, argument)))
      const files = entries.filter((entry) => MANIFEST_EXTENSIONS.some((extension) => entry.endsWith(extension))).sort()
      return yield* Effect.forEach(files, (entry) => read(join(argument, entry)))
    })

const firstLine = (message: string): string => (message.split("\n")[0] ?? message).replace(/:\s*$/, "")

/** The objects of one file's text: every YAML document, and the items of a `List`. */
export const parseManifests = ({ argument, path, text: source }: Source): Effect.Effect<ReadonlyArray<Manifest>, ManifestError> =>
  Effect.gen(function*() {
    const lines = new LineCounter()
    const documents = parseAllDocuments(source, { lineCounter: lines, uniqueKeys: true })
    // parseAllDocuments gives an EmptyStream (not an array) for a stream without any document
    const list = Array.isArray(documents) ? documents : []
    const manifests: Array<Manifest> = []
    for (const [index, document] of list.entries()) {
      const [error] = document.errors
      if (error !== undefined) return yield* new ManifestError({ message: `${blame(argument, argument === STDIN ? STDIN : path)}: not valid YAML or JSON: ${firstLine(error.message)}` })
      if (document.contents === null) continue
      const line = lines.linePos(document.contents.range[0]).line
      const origin = list.length === 1 ? `${path} (line ${line})` : `${path}, document ${index + 1} (line ${line})`
      const value = yield* Effect.try({
        try: (): unknown => document.toJS({ maxAliasCount: 100 }),
        catch: (cause) => new ManifestError({ message: `${origin}: not usable YAML: ${firstLine(cause instanceof Error ? cause.message : String(cause))}` })
      })
      if (value === null || value === undefined) continue // "---" alone, or only comments
      if (isJsonObject(value) && typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"])) {
        value["items"].forEach((item: unknown, itemIndex) => manifests.push({ origin: `${origin}, items[${itemIndex}]`, file: argument, value: item }))
      } else {
        manifests.push({ origin, file: argument, value })
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
    for (const file of files) for (const source of yield* readArgument(file)) all.push(...(yield* parseManifests(source)))
    return all
  })
