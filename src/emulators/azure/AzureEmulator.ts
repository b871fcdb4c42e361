import { Data, Effect, type Scope } from "effect"
import { makeApimEmulator } from "./apim/ApimHandler.ts"
import type { ApimModel, ApimModelOptions } from "./apim/ApimModel.ts"
import { armOperationOf } from "./apim/Operations.ts"
import { armGuard } from "./ArmGuard.ts"
import { generateCertificates, type Certificates } from "./Certificates.ts"
import { armError, type ErrorShape } from "./ErrorBodies.ts"
import { makeEntra, type Entra } from "./Entra.ts"
import { makeFaults, type Faults } from "./Faults.ts"
import type { Handler } from "./Http.ts"
import { startHttpsFront, type HttpsFront } from "./HttpsFront.ts"
import { makeKeyVault, type KeyVault } from "./KeyVault.ts"
import type { RequestLog } from "./RequestLog.ts"
import { makeThrottle, type Throttle, type ThrottleOptions } from "./Throttle.ts"

/**
 * Starts the Azure side of the sandbox: Entra ID, Key Vault and an Azure Resource Manager listener, each on its
 * own HTTPS port of 127.0.0.1, sharing one generated CA. Behind ARM sits the API Management model; this module
 * wraps it in what ARM itself does in front of every resource provider: fault injection, the bearer check, the
 * per-subscription throttle and per-operation latency.
 */

/** What a client needs to connect; the sandbox writes these names into sandbox.json. */
export interface AzureConnectionFacts {
  readonly caPem: string
  readonly armEndpoint: string
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly serviceName: string
  readonly keyVaultUrl: string
  readonly authorityHost: string
  readonly tenantId: string
  readonly clientId: string
  readonly clientSecret: string
}

export interface AzureEmulatorOptions {
  /** Replaces the APIM model behind ARM (tests of the ARM wrapper itself); built once the facts are known. */
  readonly arm?: (facts: AzureConnectionFacts) => Handler
  /** APIM service settings beyond the connection facts (gateway URL, developer portal URL, link fetcher, ...). */
  readonly apim?: Partial<Omit<ApimModelOptions, "subscriptionId" | "resourceGroup" | "serviceName">>
  readonly ports?: { readonly arm?: number; readonly keyVault?: number; readonly entra?: number }
  /**
   * ARM throttling (default on, with ARM's default budget) and per-operation latency, keyed by default by
   * `armOperationOf` from apim/Operations.ts.
   */
  readonly throttle?: ThrottleOptions
  /** Store the operator's configuration secrets in the vault (default true). */
  readonly seedKeyVault?: boolean
  readonly subscriptionId?: string
  readonly resourceGroup?: string
  readonly serviceName?: string
  readonly tenantId?: string
  readonly clientId?: string
  readonly clientSecret?: string
  /** Seeds the RNG of every emulator's fault injection, for reproducible chaos. */
  readonly faultSeed?: number
}

export interface AzureEmulator extends AzureConnectionFacts {
  /** The connection facts alone, ready to serialise. */
  readonly connection: AzureConnectionFacts
  readonly certificates: Certificates
  readonly entra: Entra
  readonly keyVault: KeyVault
  /** The API Management service's in-process door (what the portal would change). */
  readonly apim: ApimModel
  readonly throttle: Throttle
  readonly faults: { readonly arm: Faults; readonly keyVault: Faults; readonly entra: Faults }
  readonly logs: { readonly arm: RequestLog; readonly keyVault: RequestLog; readonly entra: RequestLog }
  readonly close: () => Promise<void>
}

export class AzureEmulatorStartError extends Data.TaggedError("AzureEmulatorStartError")<{ readonly cause: unknown }> {}

/** The configuration the operator reads from Key Vault, named as the operator's secrets. */
export const operatorSecrets: ReadonlyArray<readonly [secretName: string, fact: keyof AzureConnectionFacts]> = [
  ["apim-service-name", "serviceName"],
  ["resource-group", "resourceGroup"],
  ["subscription-id", "subscriptionId"],
  ["aad-tenant-id", "tenantId"],
  ["aad-client-id", "clientId"]
]

const notStarted: Handler = (request) => ({
  status: 503,
  body: armError("ServiceUnavailable", `The API Management emulator behind '${request.rawPath}' is still starting.`)
})

const seedOperatorSecrets = (keyVault: KeyVault, facts: AzureConnectionFacts): void => {
  for (const [secretName, fact] of operatorSecrets) keyVault.secrets.set(secretName, facts[fact])
}

export const startAzureEmulator = async (options: AzureEmulatorOptions = {}): Promise<AzureEmulator> => {
  const certificates = await generateCertificates()
  const entra = await makeEntra(options.tenantId === undefined ? {} : { tenantId: options.tenantId })
  const app = entra.registerClient({
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret })
  })
  const seeded = (shape: ErrorShape, offset: number): Faults =>
    makeFaults(options.faultSeed === undefined ? { shape } : { shape, seed: options.faultSeed + offset })
  const faults = { arm: seeded("arm", 0), keyVault: seeded("keyvault", 1), entra: seeded("entra", 2) }
  // Latencies are keyed by the APIM model's operation names ("api.put", "api.import", "policy.get", …).
  const throttle = makeThrottle({ operationOf: armOperationOf, ...options.throttle })
  const fronts: Array<HttpsFront> = []
  const closeAll = () => Promise.all(fronts.map((front) => front.close())).then(() => undefined)
  const listen = async (handler: Handler, injected: Faults, port: number | undefined): Promise<HttpsFront> => {
    const front = await startHttpsFront({ certificates, handler, intercept: injected.intercept, ...(port === undefined ? {} : { port }) })
    fronts.push(front)
    return front
  }

  try {
    const entraFront = await listen(entra.handler, faults.entra, options.ports?.entra)
    const keyVault = makeKeyVault({
      authorization: { verifyBearer: entra.verifyBearer, authorityHost: () => entraFront.url, tenantId: entra.tenantId }
    })
    const keyVaultFront = await listen(keyVault.handler, faults.keyVault, options.ports?.keyVault)

    // The ARM model is built after its listener has a port, so it can see the final facts.
    let armModel: Handler = notStarted
    let armEndpoint = ""
    const armHandler = armGuard(
      { verifyBearer: entra.verifyBearer, audiences: () => [armEndpoint] },
      throttle.wrap((request) => armModel(request))
    )
    const armFront = await listen(armHandler, faults.arm, options.ports?.arm)
    armEndpoint = armFront.url

    const connection: AzureConnectionFacts = {
      caPem: certificates.caPem,
      armEndpoint,
      subscriptionId: options.subscriptionId ?? crypto.randomUUID(),
      resourceGroup: options.resourceGroup ?? "oda-sandbox",
      serviceName: options.serviceName ?? "oda-apim-sandbox",
      keyVaultUrl: keyVaultFront.url,
      authorityHost: entraFront.url,
      tenantId: entra.tenantId(),
      clientId: app.clientId,
      clientSecret: app.clientSecret ?? ""
    }
    const apim = makeApimEmulator({
      ...options.apim,
      subscriptionId: connection.subscriptionId,
      resourceGroup: connection.resourceGroup,
      serviceName: connection.serviceName
    })
    armModel = options.arm?.(connection) ?? apim.handler
    if (options.seedKeyVault ?? true) seedOperatorSecrets(keyVault, connection)

    return {
      ...connection,
      connection,
      certificates,
      entra,
      keyVault,
      apim: apim.model,
      throttle,
      faults,
      logs: { arm: armFront.log, keyVault: keyVaultFront.log, entra: entraFront.log },
      close: closeAll
    }
  } catch (cause) {
    await closeAll()
    throw cause
  }
}

/** The emulators as a scoped resource: every listener is closed when the scope closes. */
export const makeAzureEmulator = (
  options: AzureEmulatorOptions = {}
): Effect.Effect<AzureEmulator, AzureEmulatorStartError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({ try: () => startAzureEmulator(options), catch: (cause) => new AzureEmulatorStartError({ cause }) }),
    (emulator) => Effect.promise(() => emulator.close())
  )
