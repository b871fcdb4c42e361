import { armError } from "./ErrorBodies.ts"
import type { EmulatorResponse, Handler } from "./Http.ts"
import type { BearerFailure, BearerVerification } from "./EntraTokens.ts"

/**
 * Azure Resource Manager's front door check: every request needs a bearer token from the tenant for one of
 * ARM's audiences. The codes and messages are ARM's (AuthenticationFailed for a missing header,
 * InvalidAuthenticationToken, InvalidAuthenticationTokenAudience, ExpiredAuthenticationToken), with the
 * `WWW-Authenticate` header ARM sends.
 */
export const armPublicAudience = "https://management.azure.com"

export interface ArmGuardOptions {
  readonly verifyBearer: (authorization: string | undefined, acceptedAudiences: ReadonlyArray<string>) => Promise<BearerVerification>
  /** Accepted besides https://management.azure.com (e.g. the emulator's own URL, the SDK's default scope). */
  readonly audiences: () => ReadonlyArray<string>
}

const rejections: Readonly<Record<BearerFailure, { readonly code: string; readonly message: (reason: string) => string }>> = {
  missing: { code: "AuthenticationFailed", message: () => "Authentication failed. The 'Authorization' header is missing." },
  invalid: { code: "InvalidAuthenticationToken", message: () => "The access token is invalid." },
  expired: { code: "ExpiredAuthenticationToken", message: () => "The access token expiry UTC time is earlier than current UTC time." },
  audience: {
    code: "InvalidAuthenticationTokenAudience",
    message: (reason) => `The access token has been obtained for wrong audience or resource: ${reason}.`
  }
}

const unauthorized = (failure: BearerFailure, reason: string): EmulatorResponse => {
  const rejection = rejections[failure]
  const message = rejection.message(reason)
  const description = message.replaceAll('"', "'")
  return {
    status: 401,
    headers: {
      "WWW-Authenticate": `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"`
    },
    body: armError(rejection.code, message)
  }
}

export const armGuard = (options: ArmGuardOptions, handler: Handler): Handler => async (request) => {
  const verified = await options.verifyBearer(request.headers["authorization"], [armPublicAudience, ...options.audiences()])
  return verified.ok ? handler(request) : unauthorized(verified.failure, verified.reason)
}
