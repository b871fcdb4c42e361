import { execFile } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const probe = new URL("./ManagedIdentityProbe.ts", import.meta.url).pathname

/** Variables that would make MSAL pick another managed-identity source than the one under test. */
const otherSources = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"]

/** Runs ManagedIdentityCredential.getToken in a fresh process with exactly the given managed-identity environment. */
export const tokenFromFreshProcess = (
  environment: Readonly<Record<string, string>>,
  options: { readonly scope: string; readonly caPem: string; readonly clientId?: string }
): Promise<string> => {
  const directory = mkdtempSync(join(tmpdir(), "oda-mi-"))
  const caFile = join(directory, "ca.pem")
  writeFileSync(caFile, options.caPem)
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !otherSources.includes(key)) env[key] = value
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [probe, options.scope, caFile, ...(options.clientId === undefined ? [] : [options.clientId])],
      { env: { ...env, ...environment } },
      (error, stdout, stderr) => {
        rmSync(directory, { recursive: true, force: true })
        if (error !== null) {
          reject(new Error(`probe failed: ${stderr}`))
          return
        }
        const parsed: unknown = JSON.parse(stdout)
        resolve(typeof parsed === "object" && parsed !== null && "token" in parsed && typeof parsed.token === "string" ? parsed.token : "")
      }
    )
  })
}
