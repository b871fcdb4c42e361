import { entraError } from "./ErrorBodies.ts"
import type { EmulatorResponse } from "./Http.ts"

/**
 * The AADSTS errors the token endpoint answers with, worded as Entra words them (codes from the Entra
 * error reference and from reports such as Azure/azure-workload-identity#340 and #1200). MSAL surfaces
 * `error_description`, so tests and operators see the familiar AADSTS code in the exception message.
 */
const aadError = (status: number, error: string, code: number, description: string): EmulatorResponse => ({
  status,
  body: entraError(error, `AADSTS${code}: ${description}`, [code])
})

const federatedMismatch = (code: number, claim: "issuer" | "subject" | "audience", value: string): EmulatorResponse =>
  aadError(
    401,
    "invalid_client",
    code,
    `No matching federated identity record found for presented assertion ${claim} '${value}'. ` +
      "Check your federated identity credential Subject, Audience and Issuer against the presented assertion."
  )

export const aadErrors = {
  tenantNotFound: (tenant: string) =>
    aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  endpointNotFound: (path: string) => aadError(404, "invalid_request", 900561, `The endpoint '${path}' does not exist.`),
  postOnly: () => aadError(405, "invalid_request", 900561, "The endpoint only accepts POST requests."),
  unsupportedGrant: (grantType: string) =>
    aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`),
  missingClientId: () =>
    aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."),
  unknownApplication: (clientId: string, tenant: string) =>
    aadError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. ` +
        "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You may have sent your authentication request to the wrong tenant."
    ),
  invalidSecret: (clientId: string) =>
    aadError(
      401,
      "invalid_client",
      7000215,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, " +
        `not the client secret ID, for a secret added to app '${clientId}'.`
    ),
  missingCredential: () =>
    aadError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidScope: (scopes: string) =>
    aadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scopes} is not valid. ` +
        "Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
    ),
  malformedAssertion: () => aadError(400, "invalid_request", 50027, "JWT token is invalid or malformed."),
  assertionExpired: () => aadError(401, "invalid_client", 700024, "Client assertion is not within its valid time range."),
  assertionSignature: () => aadError(401, "invalid_client", 700027, "Client assertion failed signature validation."),
  noFederatedIssuer: (issuer: string) => federatedMismatch(700211, "issuer", issuer),
  noFederatedSubject: (subject: string) => federatedMismatch(700213, "subject", subject),
  noFederatedAudience: (audience: string) => federatedMismatch(700212, "audience", audience)
} as const
