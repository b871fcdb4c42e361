import { entraError } from "./ErrorBodies.ts"
import type { EmulatorRequest, EmulatorResponse, Handler } from "./Http.ts"
import { resourceOfScope, type TokenSigner } from "./EntraTokens.ts"

/**
 * The managed-identity token endpoints, served by the Entra listener:
 * - App Service style, `GET /msi/token?api-version=2019-08-01&resource=…` with `X-IDENTITY-HEADER` (the
 *   `IDENTITY_ENDPOINT`/`IDENTITY_HEADER` source);
 * - IMDS style, `GET /metadata/identity/oauth2/token[/]?api-version=2018-02-01&resource=…` with `Metadata: true`
 *   (the `AZURE_POD_IDENTITY_AUTHORITY_HOST` source).
 * Every failure is a 400: the SDK retries 404 and 410 from these paths for about 22 s (imdsRetryPolicy),
 * so these paths never answer 404.
 */
export interface ManagedIdentity {
  readonly clientId: string
  readonly objectId: string
  /** ARM id of a user-assigned identity; undefined for the system-assigned one. */
  readonly resourceId: string | undefined
}

export interface ManagedIdentities {
  readonly handler: Handler
  /** The App Service secret a caller must echo in `X-IDENTITY-HEADER`. */
  readonly identityHeader: () => string
  readonly systemAssigned: () => ManagedIdentity
  readonly addUserAssigned: (identity?: {
    readonly clientId?: string
    readonly objectId?: string
    readonly resourceId?: string
  }) => ManagedIdentity
  readonly userAssigned: () => ReadonlyArray<ManagedIdentity>
}

export interface ManagedIdentitiesOptions {
  readonly identityHeader: string
  readonly tenantId: () => string
  readonly signer: TokenSigner
}

const badRequest = (error: string, description: string): EmulatorResponse => ({
  status: 400,
  body: entraError(error, description)
})

export const makeManagedIdentities = (options: ManagedIdentitiesOptions): ManagedIdentities => {
  const systemAssigned: ManagedIdentity = { clientId: crypto.randomUUID(), objectId: crypto.randomUUID(), resourceId: undefined }
  const userAssigned: Array<ManagedIdentity> = []

  /** Selected by whichever id the caller sends; App Service and IMDS name the parameters differently. */
  const select = (query: URLSearchParams): ManagedIdentity | undefined => {
    const clientId = query.get("client_id")
    const objectId = query.get("object_id") ?? query.get("principal_id")
    const resourceId = query.get("mi_res_id") ?? query.get("msi_res_id")
    if (clientId === null && objectId === null && resourceId === null) return systemAssigned
    return userAssigned.find(
      (identity) =>
        (clientId !== null && identity.clientId === clientId) ||
        (objectId !== null && identity.objectId === objectId) ||
        (resourceId !== null && identity.resourceId?.toLowerCase() === resourceId.toLowerCase())
    )
  }

  const issue = async (request: EmulatorRequest, style: "appService" | "imds"): Promise<EmulatorResponse> => {
    const resource = request.query.get("resource")
    if (resource === null || resource === "") {
      return badRequest("invalid_request", "Required audience parameter not specified")
    }
    const identity = select(request.query)
    if (identity === undefined) return badRequest("invalid_request", "Identity not found")
    const audience = resourceOfScope(resource)
    const token = await options.signer.issue({
      tenantId: options.tenantId(),
      audience,
      appId: identity.clientId,
      objectId: identity.objectId,
      appIdAcr: "2"
    })
    const common = {
      access_token: token.accessToken,
      expires_on: String(token.expiresOn),
      resource: audience,
      token_type: "Bearer",
      client_id: identity.clientId
    }
    return {
      status: 200,
      body:
        style === "appService"
          ? common
          : {
            ...common,
            refresh_token: "",
            expires_in: String(token.expiresIn),
            ext_expires_in: String(token.expiresIn),
            not_before: String(token.expiresOn - token.expiresIn)
          }
    }
  }

  const handler: Handler = (request) => {
    if (request.method !== "GET") return badRequest("invalid_request", `Method ${request.method} is not allowed.`)
    const path = request.segments.join("/").toLowerCase()
    if (path === "msi/token") {
      if (request.headers["x-identity-header"] !== options.identityHeader) {
        return badRequest("invalid_request", "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.")
      }
      return issue(request, "appService")
    }
    if (path === "metadata/identity/oauth2/token") {
      if (request.headers["metadata"]?.toLowerCase() !== "true") {
        return badRequest("invalid_request", "Required metadata header not specified")
      }
      return issue(request, "imds")
    }
    return badRequest("invalid_request", `Unknown managed identity endpoint '${request.rawPath}'.`)
  }

  return {
    handler,
    identityHeader: () => options.identityHeader,
    systemAssigned: () => systemAssigned,
    addUserAssigned: (identity = {}) => {
      const created: ManagedIdentity = {
        clientId: identity.clientId ?? crypto.randomUUID(),
        objectId: identity.objectId ?? crypto.randomUUID(),
        resourceId: identity.resourceId
      }
      userAssigned.push(created)
      return created
    },
    userAssigned: () => [...userAssigned]
  }
}
