import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose"
import type { JsonObject } from "../Json.ts"
import { aadErrors } from "./EntraErrors.ts"
import type { EmulatorRequest, EmulatorResponse, Handler } from "./Http.ts"
import { makeTokenSigner, peekClaims, resourceOfScope, type BearerVerification, type IssuedToken } from "./EntraTokens.ts"
import { makeManagedIdentities, type ManagedIdentities } from "./ManagedIdentity.ts"

/**
 * The Entra ID (AAD v2) token service: discovery document, JWKS, the client-credentials token endpoint, and the
 * managed-identity endpoints (ManagedIdentity.ts), all served by one handler. Tenant, app registrations and their
 * federated credentials are model state, changed through the in-process methods as an admin would in the portal.
 *
 * Workload identity: a `client_assertion` is accepted when it is a JWT whose `iss` and `sub` equal those of a
 * federated credential of the client, whose `aud` contains one of the credential's audiences (default
 * `api://AzureADTokenExchange`) and which has not expired. Its signature is checked only when the federated
 * credential carries the issuer's JWKS; without one the emulator trusts the issuer, as tests need no cluster.
 */
export interface FederatedCredential {
  readonly issuer: string
  readonly subject: string
  readonly audiences?: ReadonlyArray<string>
  /** The issuer's signing keys; when present the assertion's signature must verify. */
  readonly jwks?: JSONWebKeySet
}

export interface AppRegistration {
  readonly clientId: string
  readonly objectId: string
  readonly clientSecret: string | undefined
  readonly federatedCredentials: ReadonlyArray<FederatedCredential>
}

export interface EntraOptions {
  readonly tenantId?: string
  /** Access token lifetime; Entra's default for app tokens is about an hour. */
  readonly tokenLifetimeSeconds?: number
  /** The App Service managed-identity secret (`IDENTITY_HEADER`); random by default. */
  readonly identityHeader?: string
  readonly clock?: () => number
}

export interface Entra {
  readonly handler: Handler
  readonly tenantId: () => string
  readonly setTenantId: (tenantId: string) => void
  readonly registerClient: (registration?: {
    readonly clientId?: string
    readonly clientSecret?: string
    readonly objectId?: string
  }) => AppRegistration
  readonly client: (clientId: string) => AppRegistration | undefined
  readonly removeClient: (clientId: string) => void
  /** Replaces the client's secret (rotation): the old one stops working at once. */
  readonly setClientSecret: (clientId: string, secret: string | undefined) => void
  readonly addFederatedCredential: (clientId: string, credential: FederatedCredential) => void
  readonly managedIdentities: ManagedIdentities
  /** Issues a token without HTTP, for callers that need a valid bearer (e.g. a fixed TokenCredential). */
  readonly issueToken: (clientId: string, scopeOrResource: string) => Promise<IssuedToken>
  readonly verifyBearer: (authorization: string | undefined, acceptedAudiences: ReadonlyArray<string>) => Promise<BearerVerification>
  readonly jwks: () => JSONWebKeySet
}

const workloadAudience = "api://AzureADTokenExchange"
const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
const oidcScopes = new Set(["openid", "profile", "offline_access", "email"])
const randomSecret = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(30))).toString("base64url")

const openIdConfiguration = (base: string, tenant: string): JsonObject => ({
  token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
  token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
  jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
  response_modes_supported: ["query", "fragment", "form_post"],
  subject_types_supported: ["pairwise"],
  id_token_signing_alg_values_supported: ["RS256"],
  response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
  scopes_supported: ["openid", "profile", "email", "offline_access"],
  issuer: `${base}/${tenant}/v2.0`,
  request_uri_parameter_supported: false,
  userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
  authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
  device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
  http_logout_supported: true,
  frontchannel_logout_supported: true,
  end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
  claims_supported: [
    ..."sub iss cloud_instance_name cloud_instance_host_name cloud_graph_host_name msgraph_host aud exp iat".split(" "),
    ..."auth_time acr nonce preferred_username name tid ver at_hash c_hash email".split(" ")
  ],
  kerberos_endpoint: `${base}/${tenant}/kerberos`,
  tenant_region_scope: "EU",
  cloud_instance_name: "microsoftonline.com",
  cloud_graph_host_name: "graph.windows.net",
  msgraph_host: "graph.microsoft.com",
  rbac_url: "https://pas.windows.net"
})

const basicCredentials = (header: string | undefined): { id: string; secret: string } | undefined => {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "")
  if (match?.[1] === undefined) return undefined
  const decoded = Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon === -1
    ? undefined
    : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
}

export const makeEntra = async (options: EntraOptions = {}): Promise<Entra> => {
  const clock = options.clock ?? Date.now
  let tenantId = options.tenantId ?? crypto.randomUUID()
  const clients = new Map<string, AppRegistration>()
  const signer = await makeTokenSigner({ tenantId: () => tenantId, lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599, clock })
  const managedIdentities = makeManagedIdentities({
    identityHeader: options.identityHeader ?? randomSecret(),
    tenantId: () => tenantId,
    signer
  })

  const update = (clientId: string, change: (registration: AppRegistration) => AppRegistration): void => {
    const current = clients.get(clientId)
    if (current === undefined) throw new Error(`No app registration with client id ${clientId}`)
    clients.set(clientId, change(current))
  }

  const checkAssertion = async (client: AppRegistration, assertion: string): Promise<EmulatorResponse | undefined> => {
    const claims: JWTPayload | undefined = peekClaims(assertion)
    if (claims === undefined) return aadErrors.malformedAssertion()
    if (claims.exp !== undefined && claims.exp * 1000 <= clock()) return aadErrors.assertionExpired()
    const byIssuer = client.federatedCredentials.filter((credential) => credential.issuer === claims.iss)
    if (byIssuer.length === 0) return aadErrors.noFederatedIssuer(claims.iss ?? "")
    const bySubject = byIssuer.filter((credential) => credential.subject === claims.sub)
    if (bySubject.length === 0) return aadErrors.noFederatedSubject(claims.sub ?? "")
    const presented = claims.aud === undefined ? [] : typeof claims.aud === "string" ? [claims.aud] : claims.aud
    const matching = bySubject.find((credential) => (credential.audiences ?? [workloadAudience]).some((a) => presented.includes(a)))
    if (matching === undefined) return aadErrors.noFederatedAudience(presented.join(", "))
    if (matching.jwks !== undefined) {
      try {
        await jwtVerify(assertion, createLocalJWKSet(matching.jwks), { currentDate: new Date(clock()) })
      } catch {
        return aadErrors.assertionSignature()
      }
    }
    return undefined
  }

  const tokenResponse = (token: IssuedToken): EmulatorResponse => ({
    status: 200,
    headers: { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" },
    body: { token_type: "Bearer", expires_in: token.expiresIn, ext_expires_in: token.expiresIn, access_token: token.accessToken }
  })

  const token = async (request: EmulatorRequest): Promise<EmulatorResponse> => {
    if (request.method !== "POST") return aadErrors.postOnly()
    const form = new URLSearchParams(request.bodyText)
    const grantType = form.get("grant_type")
    if (grantType !== "client_credentials") return aadErrors.unsupportedGrant(grantType ?? "")
    const basic = basicCredentials(request.headers["authorization"])
    const clientId = form.get("client_id") ?? basic?.id
    if (clientId === undefined || clientId === "") return aadErrors.missingClientId()
    const client = clients.get(clientId)
    if (client === undefined) return aadErrors.unknownApplication(clientId, tenantId)
    const secret = form.get("client_secret") ?? basic?.secret
    const assertion = form.get("client_assertion")
    if (secret !== undefined && secret !== null) {
      if (client.clientSecret === undefined || secret !== client.clientSecret) return aadErrors.invalidSecret(clientId)
    } else if (assertion !== null && form.get("client_assertion_type") === assertionType) {
      const rejected = await checkAssertion(client, assertion)
      if (rejected !== undefined) return rejected
    } else {
      return aadErrors.missingCredential()
    }
    const scopes = (form.get("scope") ?? "").split(" ").filter((scope) => scope !== "" && !oidcScopes.has(scope))
    const [scope, ...others] = scopes
    if (scope === undefined || others.length > 0 || !scope.endsWith("/.default")) return aadErrors.invalidScope(scopes.join(" "))
    return tokenResponse(
      await signer.issue({
        tenantId,
        audience: resourceOfScope(scope),
        appId: client.clientId,
        objectId: client.objectId,
        appIdAcr: assertion === null ? "1" : "2"
      })
    )
  }

  const handler: Handler = (request) => {
    const [first, ...rest] = request.segments
    const route = rest.join("/").toLowerCase()
    if (first === undefined) return aadErrors.endpointNotFound(request.rawPath)
    if (first === "msi" || first === "metadata") return managedIdentities.handler(request)
    if (first.toLowerCase() !== tenantId.toLowerCase()) return aadErrors.tenantNotFound(first)
    switch (route) {
      case "v2.0/.well-known/openid-configuration":
        return { status: 200, body: openIdConfiguration(request.baseUrl, first) }
      case "discovery/v2.0/keys":
      case "discovery/keys":
        return { status: 200, body: { keys: signer.jwks().keys.map((key) => ({ ...key, issuer: `${request.baseUrl}/${first}/v2.0` })) } }
      case "oauth2/v2.0/token":
        return token(request)
      default:
        return aadErrors.endpointNotFound(request.rawPath)
    }
  }

  return {
    handler,
    tenantId: () => tenantId,
    setTenantId: (value) => {
      tenantId = value
    },
    registerClient: (registration = {}) => {
      const created: AppRegistration = {
        clientId: registration.clientId ?? crypto.randomUUID(),
        objectId: registration.objectId ?? crypto.randomUUID(),
        clientSecret: registration.clientSecret ?? randomSecret(),
        federatedCredentials: []
      }
      clients.set(created.clientId, created)
      return created
    },
    client: (clientId) => clients.get(clientId),
    removeClient: (clientId) => {
      clients.delete(clientId)
    },
    setClientSecret: (clientId, clientSecret) => update(clientId, (current) => ({ ...current, clientSecret })),
    addFederatedCredential: (clientId, credential) =>
      update(clientId, (current) => ({ ...current, federatedCredentials: [...current.federatedCredentials, credential] })),
    managedIdentities,
    issueToken: (clientId, scopeOrResource) => {
      const client = clients.get(clientId)
      if (client === undefined) return Promise.reject(new Error(`No app registration with client id ${clientId}`))
      const audience = resourceOfScope(scopeOrResource)
      return signer.issue({ tenantId, audience, appId: clientId, objectId: client.objectId, appIdAcr: "1" })
    },
    verifyBearer: signer.verifyBearer,
    jwks: signer.jwks
  }
}
