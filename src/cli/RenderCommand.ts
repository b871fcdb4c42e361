import { Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Console, Data, Effect, Either, Option } from "effect"
import { stringify } from "yaml"
import { type IngressAddress, ingressAddress } from "../domain/Ingress.ts"
import { analyseOpenApiDocument } from "../domain/OpenApiDocument.ts"
import { isJsonObject } from "../emulators/Json.ts"
import { make as makeSpecSource, type SpecSourceApi } from "../services/SpecSource.ts"
import { type Manifest, ManifestError, readManifests } from "./ManifestReader.ts"
import {
  type FetchedDocument,
  type Interpreted,
  type InvalidRendering,
  interpret,
  isExposedApiManifest,
  render,
  type RenderContext,
  type Rendering
} from "./RenderExposedApi.ts"
import { renderSettings } from "./RenderSettings.ts"

/** `render -f FILE`: what the operator would produce for ExposedAPI manifests, with no cluster and no Azure. */

export class RenderFailed extends Data.TaggedError("RenderFailed")<{ readonly message: string }> {}

const invalidFlag = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

const OUTPUTS = ["yaml", "json"] as const
type Output = (typeof OUTPUTS)[number]

const output = Options.text("output").pipe(
  Options.withAlias("o"),
  Options.withPseudoName("yaml|json"),
  Options.withDefault("yaml"),
  Options.mapEffect((value) => {
    const match = OUTPUTS.find((candidate) => candidate === value)
    return match === undefined ? invalidFlag(`--output: "${value}" is not one of ${OUTPUTS.join(", ")}`) : Effect.succeed<Output>(match)
  }),
  Options.withDescription("yaml (default): one YAML document per ExposedAPI; json: {\"exposedApis\": [...]} for machines")
)

const ingressAddressFlag = Options.text("ingress-address").pipe(
  Options.withPseudoName("HOST"),
  Options.optional,
  Options.mapEffect((value) =>
    Option.match(value, {
      onNone: () => Effect.succeed(Option.none<IngressAddress>()),
      onSome: (host) =>
        Option.match(ingressAddress({ status: { loadBalancer: { ingress: [{ hostname: host }] } } }), {
          onNone: () => invalidFlag(`--ingress-address: "${host}" is not a host name or an IP address`),
          onSome: (address) => Effect.succeed(Option.some(address))
        })
    })
  ),
  Options.withDescription("The address the ingress controller would give the Ingress (default: a placeholder in serviceUrl)")
)

const optionalText = (name: string, pseudoName: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(pseudoName), Options.optional, Options.withDescription(description))

/** Skipped kinds and missing ExposedAPIs: each file given must hold at least one ExposedAPI. */
const selectExposedApis = (files: ReadonlyArray<string>, manifests: ReadonlyArray<Manifest>) =>
  Effect.gen(function*() {
    const notObject = manifests.find((manifest) => !isJsonObject(manifest.value))
    if (notObject !== undefined)
      return yield* new ManifestError({ message: `${notObject.origin}: not a Kubernetes object (an object with apiVersion and kind)` })
    for (const file of files) {
      const inFile = manifests.filter((manifest) => manifest.file === file)
      if (inFile.some(isExposedApiManifest)) continue
      const kinds = [...new Set(inFile.map((manifest) => kindOf(manifest.value)))]
      return yield* new ManifestError({
        message: kinds.length === 0
          ? `-f ${file}: no ExposedAPI in it (it holds no object)`
          : `-f ${file}: no ExposedAPI in it (found ${kinds.join(", ")}); render reads kind ExposedAPI (oda.tmforum.org)`
      })
    }
    return { exposedApis: manifests.filter(isExposedApiManifest), skipped: manifests.filter((manifest) => !isExposedApiManifest(manifest)) }
  })

const kindOf = (value: unknown): string => {
  const kind = isJsonObject(value) ? value["kind"] : undefined
  return typeof kind === "string" ? `kind ${kind}` : "an object without kind"
}

/** The specification document through the operator's guarded fetcher, analysed as publication would. */
const fetchDocument = (source: SpecSourceApi, { intent }: Interpreted): Effect.Effect<FetchedDocument | undefined> => {
  if (intent.specification === undefined || intent.apiType !== "openapi") return Effect.succeed(undefined)
  const url = intent.specification.url
  return source.get(url).pipe(
    Effect.map((fetched): FetchedDocument => {
      const analysed = analyseOpenApiDocument(fetched.text)
      return Either.isRight(analysed)
        ? { _tag: "Fetched", url, bytes: fetched.bytes, analysed: analysed.right }
        : { _tag: "Failed", message: `${url} cannot be imported: ${analysed.left.message}` }
    }),
    Effect.catchAll((error) => Effect.succeed<FetchedDocument>({ _tag: "Failed", message: `cannot be fetched: ${error.message}` }))
  )
}

const renderAll = (exposedApis: ReadonlyArray<Manifest>, context: RenderContext, fetch: boolean) =>
  Effect.scoped(
    Effect.gen(function*() {
      const source = fetch ? yield* makeSpecSource(context.settings.specFetch) : undefined
      return yield* Effect.forEach(exposedApis, (manifest) =>
        Either.match(interpret(manifest, context), {
          onLeft: (invalid) => Effect.succeed<Rendering>(invalid),
          onRight: (interpreted) =>
            (source === undefined ? Effect.succeed(undefined) : fetchDocument(source, interpreted)).pipe(
              Effect.map((document) => render(manifest, interpreted, context, document))
            )
        }))
    })
  )

const formatRenderings = (renderings: ReadonlyArray<Rendering>, format: Output): string =>
  format === "json"
    ? JSON.stringify({ exposedApis: renderings }, null, 2)
    : renderings.map((rendering) => stringify(rendering, { lineWidth: 0, blockQuote: "literal" })).join("---\n").trimEnd()

export const renderCommand = Command.make(
  "render",
  {
    files: Options.text("file").pipe(
      Options.withAlias("f"),
      Options.withPseudoName("FILE"),
      Options.atLeast(1),
      Options.withDescription(
        "ExposedAPI manifests: a file, a directory (its .yaml, .yml and .json files) or - for standard input; YAML (several documents allowed), JSON or a List; repeat for more"
      )
    ),
    output,
    namespace: Options.text("namespace").pipe(
      Options.withAlias("n"),
      Options.withPseudoName("NAMESPACE"),
      Options.withDefault("default"),
      Options.withDescription("Namespace of manifests that name none")
    ),
    tenantId: optionalText("tenant-id", "TENANT", "Entra tenant of the JWT issuer (default: AAD_TENANT_ID, else a placeholder)"),
    clientId: optionalText("client-id", "CLIENT", "Entra client id the JWT audiences default to (default: AAD_CLIENT_ID, else a placeholder)"),
    ingressClass: optionalText("ingress-class", "CLASS", "Ingress class of the Ingress (default: INGRESS_CLASS, else istio)"),
    ingressAddress: ingressAddressFlag,
    fetch: Options.boolean("fetch").pipe(
      Options.withDescription("Fetch each specification document (with run's SPEC_* guards) to show its exact import format; no other network access")
    )
  },
  ({ clientId, fetch, files, ingressAddress, ingressClass, namespace, output, tenantId }) =>
    Effect.gen(function*() {
      const { placeholders, settings } = yield* renderSettings({ tenantId, clientId, ingressClass })
      const manifests = yield* readManifests(files)
      const { exposedApis, skipped } = yield* selectExposedApis(files, manifests)
      const context: RenderContext = { settings, namespace, ingressAddress: Option.getOrUndefined(ingressAddress) }
      const renderings = yield* renderAll(exposedApis, context, fetch)
      yield* Console.log(formatRenderings(renderings, output))
      for (const manifest of skipped) yield* Console.error(`render: skipped ${manifest.origin}: ${kindOf(manifest.value)} is not an ExposedAPI`)
      const showsPolicy = renderings.some((rendering) => rendering.valid && rendering.policy !== undefined)
      if (showsPolicy) for (const placeholder of placeholders) yield* Console.error(`render: placeholder ${placeholder}`)
      const invalid = renderings.filter((rendering): rendering is InvalidRendering => !rendering.valid)
      for (const { errors, exposedApi, source } of invalid) {
        for (const error of errors) yield* Console.error(`${source}: ExposedAPI ${exposedApi}: ${error.field} ${error.message}`)
      }
      if (invalid.length > 0)
        return yield* new RenderFailed({ message: `${invalid.length} of ${renderings.length} ExposedAPIs cannot be published as written (see above)` })
    })
).pipe(
  Command.withDescription(
    "Print the Ingress, the APIM API definition, the policy XML and the field report the operator would produce for ExposedAPI manifests, or every validation error (exit code 1); no cluster or Azure needed"
  )
)
