/**
 * Asks ManagedIdentityCredential for one token and prints it as JSON. MSAL picks the managed-identity source once
 * per process, from the environment, so each source is tried in a process of its own: the tests run this file
 * with `node` and the environment of the source under test.
 * Arguments: <scope> <ca.pem path> [user-assigned client id]
 */
import { ManagedIdentityCredential } from "@azure/identity"
import { readFileSync } from "node:fs"

const [scope = "", caFile = "", clientId] = process.argv.slice(2)
const credential = new ManagedIdentityCredential({
  ...(clientId === undefined ? {} : { clientId }),
  tlsOptions: { ca: readFileSync(caFile, "utf8") }
})
credential.getToken(scope).then(
  (token) => process.stdout.write(JSON.stringify({ token: token.token })),
  (error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  }
)
