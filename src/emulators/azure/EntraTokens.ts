import {
  decodeJwt,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload
} from "jose"

/**
 * The signing half of the Entra emulator: one RS256 key generated at start, access tokens minted with it,
 * and the verifier the other emulators use to check `Authorization: Bearer …`.
 *
 * Tokens are shaped like the v1.0 access tokens Entra issues for Azure Resource Manager and Key Vault (those
 * resources do not opt into v2 tokens): `iss` = `https://sts.windows.net/{tenant}/`, `ver` = "1.0", `appid` +
 * `appidacr`; `azp` is added too so v2-minded readers find the client. `aud` is the requested scope without
 * `/.default`, e.g. `https://vault.azure.net`.
 */
export interface AccessTokenRequest {
  readonly tenantId: string
  readonly audience: string
  /** The application (client) id the token is issued to. */
  readonly appId: string
  /** The service principal's object id. */
  readonly objectId: string
  /** "1" for a client secret, "2" for a certificate or assertion (incl. managed identity). */
  readonly appIdAcr: "1" | "2"
}

export interface IssuedToken {
  readonly accessToken: string
  /** Epoch seconds. */
  readonly expiresOn: number
  readonly expiresIn: number
}

export type BearerFailure = "missing" | "expired" | "audience" | "invalid"

export type BearerVerification =
  | { readonly ok: true; readonly claims: JWTPayload }
  | { readonly ok: false; readonly failure: BearerFailure; readonly reason: string }

export interface TokenSigner {
  readonly keyId: string
  readonly jwks: () => JSONWebKeySet
  readonly issue: (request: AccessTokenRequest) => Promise<IssuedToken>
  /** Checks a header value `Bearer <jwt>`: our signature, our tenant's issuer, not expired, an accepted audience. */
  readonly verifyBearer: (authorization: string | undefined, acceptedAudiences: ReadonlyArray<string>) => Promise<BearerVerification>
}

export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`

/** Audiences compare without case and without a trailing slash (`https://management.azure.com/` = `…com`). */
export const normaliseAudience = (audience: string): string => audience.trim().replace(/\/+$/, "").toLowerCase()

/** The resource a `.default` scope names, e.g. `https://vault.azure.net/.default` → `https://vault.azure.net`. */
export const resourceOfScope = (scope: string): string => scope.replace(/\/\.default$/, "")

const audiencesOf = (claims: JWTPayload): ReadonlyArray<string> =>
  claims.aud === undefined ? [] : typeof claims.aud === "string" ? [claims.aud] : claims.aud

export interface TokenSignerOptions {
  readonly tenantId: () => string
  readonly lifetimeSeconds: number
  readonly clock: () => number
}

export const makeTokenSigner = async (options: TokenSignerOptions): Promise<TokenSigner> => {
  const { publicKey, privateKey }: { publicKey: CryptoKey; privateKey: CryptoKey } = await generateKeyPair("RS256", {
    extractable: true
  })
  const keyId = crypto.randomUUID().replaceAll("-", "").slice(0, 27)
  const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, use: "sig", alg: "RS256", x5t: keyId }

  const issue = async (request: AccessTokenRequest): Promise<IssuedToken> => {
    const now = Math.floor(options.clock() / 1000)
    const expiresOn = now + options.lifetimeSeconds
    const issuer = v1Issuer(request.tenantId)
    const accessToken = await new SignJWT({
      aud: request.audience,
      iss: issuer,
      idp: issuer,
      iat: now,
      nbf: now,
      exp: expiresOn,
      appid: request.appId,
      appidacr: request.appIdAcr,
      azp: request.appId,
      oid: request.objectId,
      sub: request.objectId,
      tid: request.tenantId,
      uti: crypto.randomUUID().replaceAll("-", "").slice(0, 22),
      ver: "1.0"
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keyId, x5t: keyId })
      .sign(privateKey)
    return { accessToken, expiresOn, expiresIn: options.lifetimeSeconds }
  }

  const verifyBearer = async (
    authorization: string | undefined,
    acceptedAudiences: ReadonlyArray<string>
  ): Promise<BearerVerification> => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "")
    const token = match?.[1]
    if (token === undefined) return { ok: false, failure: "missing", reason: "missing bearer token" }
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["RS256"],
        issuer: v1Issuer(options.tenantId()),
        currentDate: new Date(options.clock())
      })
      const accepted = new Set(acceptedAudiences.map(normaliseAudience))
      if (!audiencesOf(payload).some((audience) => accepted.has(normaliseAudience(audience)))) {
        return { ok: false, failure: "audience", reason: `audience '${audiencesOf(payload).join(", ")}' is not accepted` }
      }
      return { ok: true, claims: payload }
    } catch (cause) {
      if (cause instanceof errors.JWTExpired) return { ok: false, failure: "expired", reason: "token expired" }
      return { ok: false, failure: "invalid", reason: cause instanceof Error ? cause.message : String(cause) }
    }
  }

  return { keyId, jwks: () => ({ keys: [publicJwk] }), issue, verifyBearer }
}

/** The claims of a JWT without checking its signature, or undefined if it is not a JWT. */
export const peekClaims = (token: string): JWTPayload | undefined => {
  try {
    return decodeJwt(token)
  } catch {
    return undefined
  }
}
