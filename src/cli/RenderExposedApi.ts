import { Either, ParseResult, Schema } from "effect"
import { apiDefinitionFor, type ImportDocument } from "../domain/ApiDefinition.ts"
import type { ApiIntent } from "../domain/ApiIntent.ts"
import { apiKeySecretName, type ProductPlan, productFor, type SubscriptionPlan, subscriptionFor } from "../domain/ApiKeys.ts"
import { type ApiTag, desiredTags } from "../domain/ApiTags.ts"
import { type Capability, capabilitiesOf } from "../domain/Capabilities.ts"
import { EXPOSED_API, ExposedApi, GROUP, toApiIntent } from "../domain/ExposedApi.ts"
import { backendUrl, type IngressAddress, ingressFor, type IngressManifest } from "../domain/Ingress.ts"
import { type ImplementationTarget, networkPolicyFor, type NetworkPolicyManifest } from "../domain/NetworkPolicy.ts"
import type { OpenApiImport } from "../domain/OpenApiDocument.ts"
import { compilePolicy, renderPolicyXml } from "../domain/Policy.ts"
import { describeValue } from "../domain/SpecProblems.ts"
import { isJsonObject, type JsonObject } from "../emulators/Json.ts"
import { capabilityContext, intentSettings, policySettings, publishedToApim } from "../programs/ReconcileExposedApi.ts"
import { toParameters } from "../services/Apim.ts"
import type { OperatorSettings } from "../services/OperatorConfig.ts"
import type { Manifest } from "./ManifestReader.ts"

/**
 * What the operator would make of one ExposedAPI manifest, without a cluster or Azure: the Ingress, the APIM API
 * (ARM contract properties) and its policy XML, and the per-field report; or every problem that stops it. It goes
 * through the operator's own functions (toApiIntent, ingressFor, apiDefinitionFor, compilePolicy, renderPolicyXml)
 * with the settings reconcile uses, so what it prints is what `run` would write.
 */

/** The versions the ExposedAPI CRD serves (a test keeps this equal to k8s/exposedapi-crd.yaml). */
export const SERVED_VERSIONS: ReadonlyArray<string> = ["v1", "v1beta4", "v1beta3"]

/** Stands in for what the API server assigns; it reaches the Ingress's owner reference and its hash. */
export const UID_PLACEHOLDER = "<uid of the ExposedAPI>"
export const INGRESS_ADDRESS_PLACEHOLDER = "<ingress-address>"

export interface RenderProblem {
  readonly field: string
  readonly message: string
}

export interface RenderContext {
  readonly settings: OperatorSettings
  /** For manifests without `metadata.namespace`, as kubectl's current namespace would be. */
  readonly namespace: string
  /** The address the ingress controller would give the Ingress; a placeholder when unknown. */
  readonly ingressAddress: IngressAddress | undefined
}

/** The specification document, when render was asked to fetch it. */
export type FetchedDocument =
  | { readonly _tag: "Fetched"; readonly url: string; readonly bytes: number; readonly analysed: OpenApiImport }
  | { readonly _tag: "Failed"; readonly message: string }

export interface ImportRendering {
  readonly source: string
  readonly mode: "inline"
  readonly format: string
  readonly title?: string
  readonly version?: string
  readonly operations?: number
}

/** apiKeyVerification: the APIM product the API joins, the subscription holding its keys, the Secret they go to. */
export interface ApiKeysRendering {
  readonly product: ProductPlan
  readonly subscription: SubscriptionPlan
  readonly secretName: string
}

export type ApimRendering =
  | {
    readonly apiId: string
    readonly published: true
    readonly properties: Readonly<Record<string, unknown>>
    readonly import?: ImportRendering
    readonly tags: ReadonlyArray<ApiTag>
    readonly apiKeys?: ApiKeysRendering
  }
  | { readonly apiId: string; readonly published: false; readonly reason: string }

export interface ValidRendering {
  readonly exposedApi: string
  readonly source: string
  readonly valid: true
  readonly ingress: IngressManifest
  /** With GATEWAY_ONLY_TRAFFIC; the implementation's pod selector and target port are read from its Service at run time. */
  readonly networkPolicy?: NetworkPolicyManifest
  readonly apim: ApimRendering
  readonly policy?: string
  readonly capabilities: ReadonlyArray<Capability>
}

export interface InvalidRendering {
  readonly exposedApi: string
  readonly source: string
  readonly valid: false
  readonly errors: ReadonlyArray<RenderProblem>
}

export type Rendering = ValidRendering | InvalidRendering

export interface Interpreted {
  readonly key: string
  readonly api: ExposedApi
  readonly intent: ApiIntent
}

const keyOf = (value: JsonObject, namespace: string): string => {
  const metadata = isJsonObject(value["metadata"]) ? value["metadata"] : {}
  const name = typeof metadata["name"] === "string" ? metadata["name"] : "<no name>"
  return `${typeof metadata["namespace"] === "string" ? metadata["namespace"] : namespace}/${name}`
}

const invalid = (manifest: Manifest, exposedApi: string, errors: ReadonlyArray<RenderProblem>): InvalidRendering => ({
  exposedApi,
  source: manifest.origin,
  valid: false,
  errors
})

/** The shape problems the API server would refuse before the operator ever saw the object. */
const envelopeProblems = (value: JsonObject): ReadonlyArray<RenderProblem> => {
  const apiVersion = value["apiVersion"]
  const [group, version] = typeof apiVersion === "string" ? apiVersion.split("/") : []
  const problems: Array<RenderProblem> = []
  if (group !== GROUP || version === undefined || !SERVED_VERSIONS.includes(version))
    problems.push({
      field: "apiVersion",
      message: `must be one of ${SERVED_VERSIONS.map((v) => `${GROUP}/${v}`).join(", ")}, got ${describeValue(apiVersion)}`
    })
  if (!isJsonObject(value["metadata"])) problems.push({ field: "metadata", message: `must be an object with a name, got ${describeValue(value["metadata"])}` })
  if (value["spec"] !== undefined && value["spec"] !== null && !isJsonObject(value["spec"]))
    problems.push({ field: "spec", message: `must be an object, got ${describeValue(value["spec"])}` })
  return problems
}

/** An ExposedAPI manifest read as the operator reads one from the API server, or every problem in it. */
export const interpret = (manifest: Manifest, context: RenderContext): Either.Either<Interpreted, InvalidRendering> => {
  const value = isJsonObject(manifest.value) ? manifest.value : {}
  const key = keyOf(value, context.namespace)
  const envelope = envelopeProblems(value)
  if (envelope.some((problem) => problem.field !== "apiVersion")) return Either.left(invalid(manifest, key, envelope))
  const metadata = isJsonObject(value["metadata"]) ? value["metadata"] : {}
  const asServed = {
    ...value,
    metadata: { uid: UID_PLACEHOLDER, resourceVersion: "", ...metadata, namespace: metadata["namespace"] ?? context.namespace },
    spec: value["spec"] ?? {}
  }
  const decoded = Schema.decodeUnknownEither(ExposedApi)(asServed)
  if (Either.isLeft(decoded)) {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    const problems = issues.map((issue) => ({ field: issue.path.map(String).join("."), message: issue.message }))
    return Either.left(invalid(manifest, key, [...envelope, ...problems]))
  }
  const api = decoded.right
  const intent = toApiIntent(api, intentSettings(context.settings))
  const problems = [...envelope, ...(Either.isLeft(intent) ? intent.left.problems : [])]
  if (problems.length > 0 || Either.isLeft(intent)) return Either.left(invalid(manifest, key, problems))
  return Either.right({ key, api, intent: intent.right })
}

const FORMAT_RULE = "decided when the document is fetched: openapi+json (OpenAPI 3 in JSON), openapi (OpenAPI 3 in YAML), " +
  "swagger-json (Swagger 2.0, YAML converted to JSON); render --fetch says which"

const importOf = (intent: ApiIntent, document: FetchedDocument | undefined): ImportRendering | undefined => {
  if (intent.specification === undefined || intent.apiType !== "openapi") return undefined
  const source = intent.specification.url
  if (document?._tag !== "Fetched") return { source, mode: "inline", format: FORMAT_RULE }
  const { analysed } = document
  return {
    source,
    mode: "inline",
    format: analysed.format,
    ...(analysed.title === undefined ? {} : { title: analysed.title }),
    ...(analysed.version === undefined ? {} : { version: analysed.version }),
    operations: analysed.operationCount
  }
}

const serviceUrlOf = (intent: ApiIntent, address: IngressAddress | undefined): string =>
  address === undefined
    ? `http://${INGRESS_ADDRESS_PLACEHOLDER}${intent.path === "/" ? "" : intent.path}`
    : backendUrl(address, intent.path)

/** The ARM properties `putApi` sends; the inline document is named rather than printed. */
const armProperties = (intent: ApiIntent, context: RenderContext, document: FetchedDocument | undefined): Readonly<Record<string, unknown>> => {
  const fetched = document?._tag === "Fetched" ? document : undefined
  const importDocument: ImportDocument | undefined = fetched === undefined ? undefined : { format: fetched.analysed.format, value: fetched.analysed.value }
  const definition = {
    ...apiDefinitionFor(intent, serviceUrlOf(intent, context.ingressAddress), { openIdProviderId: context.settings.openIdProviderId }),
    document: importDocument
  }
  const properties: Record<string, unknown> = { ...toParameters(definition) }
  if (fetched !== undefined) properties["value"] = `<the document from ${fetched.url}, ${fetched.bytes} bytes, imported inline>`
  return properties
}

/** Everything the operator would write for an interpreted ExposedAPI, or the problems publication would stop at. */
export const render = (
  manifest: Manifest,
  { api, intent, key }: Interpreted,
  context: RenderContext,
  document: FetchedDocument | undefined
): Rendering => {
  const ingress = ingressFor(api, intent, { ingressClassName: context.settings.ingressClassName })
  const capabilities = capabilitiesOf(api.spec, intent, capabilityContext(context.settings))
  const base = { exposedApi: key, source: manifest.origin, valid: true as const, ingress }
  if (!publishedToApim(intent)) {
    const reason = `${intent.apiType} APIs are not published to the public gateway; they are reachable through the Ingress only`
    return { ...base, apim: { apiId: intent.apiId, published: false, reason }, capabilities }
  }
  if (document?._tag === "Failed") return invalid(manifest, key, [{ field: "spec.specification", message: document.message }])
  const compiled = compilePolicy(intent.policies, policySettings(context.settings))
  if (Either.isLeft(compiled)) {
    return invalid(
      manifest,
      key,
      compiled.left.issues.map((issue) => ({ field: issue.source === "spec" ? issue.field : `operator setting ${issue.field}`, message: issue.reason }))
    )
  }
  const imported = importOf(intent, document)
  const gatewayOnly = context.settings.gatewayOnlyTraffic
  return {
    ...base,
    ...(gatewayOnly.enabled ? { networkPolicy: networkPolicyFor(api, intent, targetPlaceholder(intent), gatewayOnly.gateway) } : {}),
    apim: {
      apiId: intent.apiId,
      published: true,
      properties: armProperties(intent, context, document),
      ...(imported === undefined ? {} : { import: imported }),
      tags: desiredTags(intent),
      ...(intent.policies.apiKey === undefined ? {} : { apiKeys: apiKeysOf(intent) })
    },
    policy: renderPolicyXml(compiled.right),
    capabilities
  }
}

/** What the NetworkPolicy selects comes from the implementation's Service, which only the cluster has. */
const targetPlaceholder = (intent: ApiIntent): ImplementationTarget => ({
  podSelector: { [`<the pod selector of Service ${intent.implementation.service}>`]: "<read from the cluster>" },
  port: `<the target port of Service port ${intent.implementation.port}>`,
  protocol: "TCP"
})

const apiKeysOf = (intent: ApiIntent): ApiKeysRendering => {
  const product = productFor(intent)
  return { product, subscription: subscriptionFor(intent, product.id), secretName: apiKeySecretName(intent.name) }
}

/** Whether a manifest is an ExposedAPI at all (any other kind is skipped). */
export const isExposedApiManifest = (manifest: Manifest): boolean => isJsonObject(manifest.value) && manifest.value["kind"] === EXPOSED_API.kind
