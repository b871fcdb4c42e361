import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { isJsonObject } from "../../src/emulators/Json.ts"
import { createSample, eventually, makeWorld, sampleSpec, type World } from "../e2e/World.ts"

/** Variables of the parent that would point the child elsewhere (a real cluster, a real Azure identity). */
const inherited = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(AZURE_|KUBERNETES_|IDENTITY_|MSI_|OTEL_|LEADER_ELECTION|LOG_)/.test(key) || key === "KUBECONFIG") continue
    env[key] = value
  }
  return env
}

/** `run` as a pod runs it, pointed at the world's emulators, with a short lease. */
const runEnvironment = (world: World, dir: string): Record<string, string> => {
  const kubeconfig = join(dir, "kubeconfig")
  const caFile = join(dir, "ca.pem")
  writeFileSync(kubeconfig, world.kube.kubeconfig())
  writeFileSync(caFile, world.azure.caPem)
  return {
    ...inherited(),
    KUBECONFIG: kubeconfig,
    AZURE_TENANT_ID: world.azure.tenantId,
    AZURE_CLIENT_ID: world.azure.clientId,
    AZURE_CLIENT_SECRET: world.azure.clientSecret,
    AZURE_AUTHORITY_HOST: world.azure.authorityHost,
    AZURE_CA_FILE: caFile,
    KEY_VAULT_URL: world.azure.keyVaultUrl,
    ARM_ENDPOINT: world.azure.armEndpoint,
    OIDC_METADATA_URL: `${world.azure.authorityHost}/${world.azure.tenantId}/v2.0/.well-known/openid-configuration`,
    SPEC_ALLOW_LOOPBACK: "true",
    ARM_SDK_RETRY_DELAY: "20 millis",
    PROBE_PORT: "0",
    PROBE_BIND_ADDRESS: "127.0.0.1",
    LEADER_ELECTION_NAMESPACE: "default",
    LEADER_ELECTION_LEASE_DURATION: "2 seconds",
    LEADER_ELECTION_RENEW_DEADLINE: "1500 millis",
    LEADER_ELECTION_RETRY_PERIOD: "300 millis",
    SHUTDOWN_GRACE_PERIOD: "15 seconds",
    LOG_LEVEL: "debug"
  }
}

interface LogLine {
  readonly message: unknown
  readonly logLevel: string
  readonly annotations: Readonly<Record<string, unknown>>
}

const logLines = (stdout: string): ReadonlyArray<LogLine> =>
  stdout.split("\n").filter((line) => line.trim() !== "").map((line) => {
    const parsed: unknown = JSON.parse(line)
    if (!isJsonObject(parsed)) throw new Error(`not a JSON object: ${line}`)
    return {
      message: parsed["message"],
      logLevel: String(parsed["logLevel"]),
      annotations: isJsonObject(parsed["annotations"]) ? parsed["annotations"] : {}
    }
  })

const lease = (world: World) => {
  const spec = world.kube.objects.get("coordination.k8s.io/v1", "Lease", "default", "oda-apim-operator")?.["spec"]
  return isJsonObject(spec) ? spec : {}
}

describe("run: graceful shutdown", () => {
  it.live("on SIGTERM the in-flight reconcile finishes, the Lease is released, and the process exits 0; logs are JSON lines", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "oda-run-shutdown-"))),
          (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
        )
        const child = yield* Effect.acquireRelease(
          Effect.sync(() => spawn(process.execPath, ["src/main.ts", "run"], { env: runEnvironment(world, dir), stdio: ["ignore", "pipe", "pipe"] })),
          (c) => Effect.sync(() => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"))
        )
        let stdout = ""
        let stderr = ""
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))

        yield* eventually(Effect.sync(() => String(lease(world)["holderIdentity"] ?? "")), (h) => h !== "", "30 seconds")
        const slowPut = world.azure.faults.arm.inject({ action: { kind: "delay", ms: 2000 }, method: "PUT", path: /\/apis\/[^/]+$/, times: 1 })
        yield* createSample(world, "default", "inflight", sampleSpec(world, "inflight", "/inflight"))
        yield* eventually(Effect.sync(() => slowPut.fired()), (n) => n > 0)

        child.kill("SIGTERM")
        const code = yield* Effect.promise(() => exited)
        expect(code, stderr).toBe(0)

        // the reconcile that was in flight ran to its end: the API and its policy are in APIM
        expect(world.azure.apim.getApi(apimApiId("default", "inflight"))?.policy).toBeDefined()
        const released = lease(world)
        expect(released["holderIdentity"]).toBeUndefined()
        expect(released["leaseDurationSeconds"]).toBe(1)

        const lines = logLines(stdout)
        const messages = lines.map((l) => l.message)
        expect(messages).toContain("became the leader")
        expect(messages).toContain("shutting down: no new reconciles; waiting for those in flight")
        expect(messages).toContain("released the lease")
        expect(lines.some((l) => l.annotations["namespace"] === "default" && l.annotations["name"] === "inflight" && l.annotations["component"] === "r1-productcatalogmanagement")).toBe(true)
      })
    ), 60_000)
})
