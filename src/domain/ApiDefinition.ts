import { apimPath, type ApiIntent } from "./ApiIntent.ts"
import type { ImportFormat } from "./OpenApiDocument.ts"
import { subscriptionKeySettings } from "./Policy.ts"

/** An API in API Management, in the operator's vocabulary (the Apim service maps it to and from ARM). */

export interface ImportDocument {
  readonly format: ImportFormat | "openapi-link" | "openapi+json-link" | "swagger-link-json"
  readonly value: string
}

/** What we want an API to be. */
export interface ApiDefinition {
  readonly displayName: string
  /** The API's path on the gateway, without a leading slash. */
  readonly path: string
  readonly serviceUrl: string
  readonly protocols: ReadonlyArray<"https" | "http">
  readonly subscriptionRequired: boolean
  readonly subscriptionKeyParameterNames?: { readonly header: string; readonly query: string } | undefined
  /** The OpenID Connect provider whose tokens the developer portal's test console sends. */
  readonly openIdProviderId?: string | undefined
  readonly description?: string | undefined
  /** An OpenAPI document to import (operations, schemas); absent for a pass-through API. */
  readonly document?: ImportDocument | undefined
}

/** What APIM holds for an API, as far as the operator manages it. */
export interface ApiState {
  readonly etag: string
  readonly displayName: string
  readonly path: string
  readonly serviceUrl: string | undefined
  readonly protocols: ReadonlyArray<string>
  readonly subscriptionRequired: boolean
  readonly subscriptionKeyParameterNames: { readonly header: string; readonly query: string } | undefined
  readonly openIdProviderId: string | undefined
  readonly description: string | undefined
}

/** The API definition an intent asks for, behind `serviceUrl` (the Ingress address plus the path). */
export const apiDefinitionFor = (
  intent: ApiIntent,
  serviceUrl: string,
  settings: { readonly openIdProviderId: string | undefined }
): ApiDefinition => {
  const keys = subscriptionKeySettings(intent.policies)
  return {
    displayName: intent.displayName,
    path: apimPath(intent),
    serviceUrl,
    protocols: ["https"],
    subscriptionRequired: keys.subscriptionRequired,
    ...(keys.subscriptionRequired ? { subscriptionKeyParameterNames: keys.subscriptionKeyParameterNames } : {}),
    ...(settings.openIdProviderId === undefined ? {} : { openIdProviderId: settings.openIdProviderId }),
    description: `Published by oda-apim-operator from ExposedAPI ${intent.namespace}/${intent.name}`
  }
}

/** The managed fields where APIM differs from the definition (empty: nothing to write). */
export const apiDrift = (desired: ApiDefinition, observed: ApiState): ReadonlyArray<string> => {
  const differs: Array<string> = []
  if (desired.displayName !== observed.displayName) differs.push("displayName")
  if (desired.path !== observed.path) differs.push("path")
  if (desired.serviceUrl !== observed.serviceUrl) differs.push("serviceUrl")
  if ([...desired.protocols].sort().join(",") !== [...observed.protocols].sort().join(",")) differs.push("protocols")
  if (desired.subscriptionRequired !== observed.subscriptionRequired) differs.push("subscriptionRequired")
  const keys = desired.subscriptionKeyParameterNames
  if (keys !== undefined && (keys.header !== observed.subscriptionKeyParameterNames?.header || keys.query !== observed.subscriptionKeyParameterNames?.query)) {
    differs.push("subscriptionKeyParameterNames")
  }
  if (desired.openIdProviderId !== observed.openIdProviderId) differs.push("authenticationSettings")
  if (desired.description !== undefined && desired.description !== observed.description) differs.push("description")
  return differs
}
