import type { Json, JsonObject } from "../Json.ts"
import { isJsonObject } from "../Json.ts"
import { armError } from "./ErrorBodies.ts"
import type { EmulatorRequest, EmulatorResponse, Handler } from "./Http.ts"
import type { BearerVerification } from "./EntraTokens.ts"
import {
  makeKeyVaultSecrets,
  recoverableDays,
  type DeletedSecret,
  type KeyVaultSecrets,
  type SecretChanges,
  type SecretVersion
} from "./KeyVaultSecrets.ts"

/**
 * The Key Vault secrets data plane over HTTP, as @azure/keyvault-secrets 4.12 drives it (azure-emulators.md §2):
 * the bearer challenge, get (latest at `/secrets/{name}/`, or a version), set, list with `nextLink` paging,
 * list versions, update attributes, soft delete, recover and purge. Error bodies and codes are Key Vault's:
 * 404 `SecretNotFound`; 403 `Forbidden` with innererror `SecretDisabled` for a disabled secret ("Operation get
 * is not allowed on a disabled secret.", seen in Azure/azure-sdk-for-js#24756); 401 `Unauthorized` + challenge.
 */
export const vaultAudience = "https://vault.azure.net"

export interface KeyVaultAuthorization {
  readonly verifyBearer: (authorization: string | undefined, acceptedAudiences: ReadonlyArray<string>) => Promise<BearerVerification>
  /** Where the challenge sends clients for a token, e.g. the Entra emulator's URL. */
  readonly authorityHost: () => string
  readonly tenantId: () => string
}

export interface KeyVaultOptions {
  /** Without it the vault answers without asking for a token (model-only tests). */
  readonly authorization?: KeyVaultAuthorization
  /** Items per list page when the client sends no `maxresults` (Key Vault's default is 25). */
  readonly pageSize?: number
  readonly clock?: () => number
}

export interface KeyVault {
  readonly handler: Handler
  readonly secrets: KeyVaultSecrets
}

const notFoundMessage = (nameOrId: string): string =>
  `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`

const secretNotFound = (nameOrId: string): EmulatorResponse => ({
  status: 404,
  body: armError("SecretNotFound", notFoundMessage(nameOrId))
})

const validName = /^[0-9a-zA-Z-]{1,127}$/

const attributesOf = (secret: SecretVersion): JsonObject => ({
  enabled: secret.enabled,
  ...(secret.notBefore === undefined ? {} : { nbf: secret.notBefore }),
  ...(secret.expires === undefined ? {} : { exp: secret.expires }),
  created: secret.created,
  updated: secret.updated,
  recoveryLevel: "Recoverable+Purgeable",
  recoverableDays
})

const optional = (secret: SecretVersion): JsonObject => ({
  ...(secret.contentType === undefined ? {} : { contentType: secret.contentType }),
  ...(secret.tags === undefined ? {} : { tags: secret.tags })
})

const bundle = (base: string, secret: SecretVersion, withValue: boolean): JsonObject => ({
  ...(withValue ? { value: secret.value } : {}),
  id: `${base}/secrets/${secret.name}/${secret.version}`,
  attributes: attributesOf(secret),
  ...optional(secret)
})

const item = (id: string, secret: SecretVersion): JsonObject => ({ id, attributes: attributesOf(secret), ...optional(secret) })

const deletedFields = (base: string, deleted: DeletedSecret): JsonObject => ({
  recoveryId: `${base}/deletedsecrets/${deleted.latest.name}`,
  deletedDate: deleted.deletedDate,
  scheduledPurgeDate: deleted.scheduledPurgeDate
})

const stringRecord = (value: Json | undefined): Record<string, string> | undefined =>
  isJsonObject(value)
    ? Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])))
    : undefined

const changesOf = (body: JsonObject): SecretChanges => {
  const attributes = isJsonObject(body["attributes"]) ? body["attributes"] : {}
  const enabled = attributes["enabled"]
  const nbf = attributes["nbf"]
  const exp = attributes["exp"]
  const contentType = body["contentType"]
  return {
    enabled: typeof enabled === "boolean" ? enabled : undefined,
    notBefore: typeof nbf === "number" ? nbf : undefined,
    expires: typeof exp === "number" ? exp : undefined,
    contentType: typeof contentType === "string" ? contentType : undefined,
    tags: stringRecord(body["tags"])
  }
}

const parseBody = (text: string): JsonObject | undefined => {
  try {
    const parsed: Json = JSON.parse(text === "" ? "{}" : text)
    return isJsonObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

const badParameter = (message: string): EmulatorResponse => ({ status: 400, body: armError("BadParameter", message) })

/** One page of a list, with a `nextLink` that carries the offset in `$skiptoken` as Key Vault's does. */
const page = (request: EmulatorRequest, path: string, items: ReadonlyArray<JsonObject>, pageSize: number): EmulatorResponse => {
  const requested = Number(request.query.get("maxresults") ?? pageSize)
  const size = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 25) : pageSize
  const offset = Number(request.query.get("$skiptoken") ?? 0) || 0
  const next = offset + size
  const query = new URLSearchParams({
    "api-version": request.query.get("api-version") ?? "7.6",
    $skiptoken: String(next),
    maxresults: String(size)
  })
  return {
    status: 200,
    body: { value: items.slice(offset, next), nextLink: next < items.length ? `${request.baseUrl}${path}?${query.toString()}` : null }
  }
}

export const makeKeyVault = (options: KeyVaultOptions = {}): KeyVault => {
  const secrets = makeKeyVaultSecrets(options.clock)
  const pageSize = options.pageSize ?? 25

  const challenge = (code: string, message: string): EmulatorResponse => {
    const auth = options.authorization
    const authority = auth === undefined ? "" : `authorization="${auth.authorityHost().replace(/\/+$/, "")}/${auth.tenantId()}", `
    return {
      status: 401,
      headers: { "WWW-Authenticate": `Bearer ${authority}resource="${vaultAudience}"` },
      body: armError(code, message)
    }
  }

  const getSecret = (request: EmulatorRequest, name: string, version: string | undefined): EmulatorResponse => {
    const secret = secrets.get(name, version)
    if (secret === undefined) return secretNotFound(version === undefined ? name : `${name}/${version}`)
    if (!secret.enabled) {
      return {
        status: 403,
        body: {
          error: {
            code: "Forbidden",
            message: "Operation get is not allowed on a disabled secret.",
            innererror: { code: "SecretDisabled" }
          }
        }
      }
    }
    return { status: 200, body: bundle(request.baseUrl, secret, true) }
  }

  const setSecret = (request: EmulatorRequest, name: string): EmulatorResponse => {
    const body = parseBody(request.bodyText)
    const value = body?.["value"]
    if (body === undefined || typeof value !== "string") return badParameter("The parameter 'value' is required and must be a string.")
    const outcome = secrets.set(name, value, changesOf(body))
    if (!outcome.ok) {
      return {
        status: 409,
        body: armError(
          "Conflict",
          `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; ` +
            "in this state, the secret can only be recovered or purged."
        )
      }
    }
    return { status: 200, body: bundle(request.baseUrl, outcome.secret, true) }
  }

  const secretRoutes = (request: EmulatorRequest, name: string, rest: ReadonlyArray<string>): EmulatorResponse => {
    const base = request.baseUrl
    const [third] = rest
    if (third === undefined) {
      if (request.method === "GET") return getSecret(request, name, undefined)
      if (request.method === "PUT") return setSecret(request, name)
      if (request.method === "DELETE") {
        const deleted = secrets.remove(name)
        if (deleted === undefined) return secretNotFound(name)
        return { status: 200, body: { ...deletedFields(base, deleted), ...bundle(base, deleted.latest, false) } }
      }
    } else if (third === "versions" && request.method === "GET") {
      const versions = secrets.versions(name)
      if (versions.length === 0) return secretNotFound(name)
      return page(request, `/secrets/${name}/versions`, versions.map((v) => item(`${base}/secrets/${v.name}/${v.version}`, v)), pageSize)
    } else if (request.method === "GET") {
      return getSecret(request, name, third)
    } else if (request.method === "PATCH") {
      const body = parseBody(request.bodyText)
      if (body === undefined) return badParameter("The request body is not valid JSON.")
      const updated = secrets.update(name, third, changesOf(body))
      return updated === undefined ? secretNotFound(`${name}/${third}`) : { status: 200, body: bundle(base, updated, false) }
    }
    return { status: 405, body: armError("MethodNotAllowed", `${request.method} is not allowed on ${request.rawPath}.`) }
  }

  const deletedRoutes = (request: EmulatorRequest, name: string | undefined, action: string | undefined): EmulatorResponse => {
    const base = request.baseUrl
    if (name === undefined) {
      const items = secrets.listDeleted().map((d) => ({ ...deletedFields(base, d), ...item(`${base}/secrets/${d.latest.name}`, d.latest) }))
      return page(request, "/deletedsecrets", items, pageSize)
    }
    const deleted = secrets.deleted(name)
    if (deleted === undefined) return { status: 404, body: armError("SecretNotFound", `Deleted Secret not found: ${name}`) }
    if (action === "recover" && request.method === "POST") {
      const recovered = secrets.recover(name)
      return recovered === undefined ? secretNotFound(name) : { status: 200, body: bundle(base, recovered, false) }
    }
    if (request.method === "DELETE") {
      secrets.purge(name)
      return { status: 204 }
    }
    return { status: 200, body: { ...deletedFields(base, deleted), ...bundle(base, deleted.latest, false) } }
  }

  const route = (request: EmulatorRequest): EmulatorResponse => {
    const [collection, name, ...rest] = request.segments
    if (name !== undefined && !validName.test(name)) return badParameter(`The request URI contains an invalid name: ${name}`)
    switch (collection?.toLowerCase()) {
      case "secrets":
        return name === undefined
          ? page(request, "/secrets", secrets.list().map((s) => item(`${request.baseUrl}/secrets/${s.name}`, s)), pageSize)
          : secretRoutes(request, name, rest)
      case "deletedsecrets":
        return deletedRoutes(request, name, rest[0])
      default:
        return { status: 404, body: armError("NotFound", `No Key Vault operation at ${request.rawPath}.`) }
    }
  }

  const handler: Handler = async (request) => {
    const auth = options.authorization
    if (auth !== undefined) {
      const header = request.headers["authorization"]
      if (header === undefined) return challenge("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.")
      const verified = await auth.verifyBearer(header, [vaultAudience])
      if (!verified.ok) return challenge("Unauthorized", `AKV10022: Invalid token: ${verified.reason}.`)
    }
    return route(request)
  }

  return { handler, secrets }
}
