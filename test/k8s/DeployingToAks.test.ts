import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { isDeepStrictEqual } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { packageRoot } from "../../src/PackageRoot.ts"
import { operatorPermissions, ruleResource } from "../../src/services/KubePermissions.ts"
import { targetSources } from "../../src/services/OperatorConfig.ts"
import { parseTables } from "../docs/ReadmeTables.ts"
import { at, K8S_DIR, kubectlKustomize, objectId, renderKustomization } from "./Kustomize.ts"

/** The README's "Deploying to AKS" says what the code and k8s/ do, and its overlay example renders as it says. */

const readme = readFileSync(join(packageRoot(), "README.md"), "utf8")
const section = (() => {
  const start = readme.indexOf("\n## Deploying to AKS\n")
  const end = readme.indexOf("\n## ", start + 1)
  if (start < 0 || end < 0) throw new Error("README.md has no Deploying to AKS section")
  return readme.slice(start, end)
})()
const tables = parseTables(section)
const tableWith = (column: string) => tables.find((rows) => rows[0] !== undefined && column in rows[0]) ?? []
const unquote = (text: string): string => text.replace(/^`(.*)`$/, "$1")

const installed = renderKustomization(K8S_DIR)
const named = (objects: ReadonlyArray<JsonObject>, kind: string): JsonObject => {
  const found = objects.find((o) => o["kind"] === kind && String(at(o, "metadata", "name")).startsWith("oda-apim-operator"))
  if (found === undefined) throw new Error(`no ${kind}`)
  return found
}

let scratch: string | undefined
afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })
})

describe("README: Deploying to AKS", () => {
  it("lists the Kubernetes permissions exactly as the code's table has them", () => {
    const documented = tableWith("Verbs").map((row) => [
      row["API group"] === "(core)" ? "" : unquote(row["API group"] ?? ""),
      unquote(row["Resource"] ?? ""),
      row["Verbs"],
      row["Where"],
      row["Why"]
    ])
    const code = operatorPermissions.map((p) => [p.resource.group, ruleResource(p), p.verbs.join(", "), p.scope, p.why])
    expect(documented).toEqual(code)
  })

  it("names the Key Vault secrets and their environment overrides as the code reads them", () => {
    const documented = tableWith("Secret").map((row) => [unquote(row["Secret"] ?? ""), unquote(row["Overridden by"] ?? "")])
    expect(documented).toEqual(targetSources.map((s) => [s.secret, s.env]))
    for (const source of targetSources) expect(section).toContain(`--name ${source.secret} `)
  })

  it("uses the names k8s/ gives: service account, namespace, Lease, metrics Service, Deployment", () => {
    const account = named(installed, "ServiceAccount")
    const namespace = String(at(account, "metadata", "namespace"))
    expect(section).toContain(`--subject system:serviceaccount:${namespace}:${String(at(account, "metadata", "name"))}`)
    expect(section).toContain(`kubectl -n ${namespace} get lease oda-apim-operator `)
    expect(section).toContain(`service/${String(at(named(installed, "Service"), "metadata", "name"))} 8080`)
    expect(section).toContain(`deployment/${String(at(named(installed, "Deployment"), "metadata", "name"))}`)
    for (const role of ["API Management Service Contributor", "Key Vault Secrets User"]) expect(section).toContain(`--role "${role}"`)
  })

  const kubectl = kubectlKustomize()
  it.skipIf(kubectl === undefined)("has an overlay example that sets the image, the identity and the vault, and changes nothing else", () => {
    const example = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "").find((block) => block.includes("kind: Kustomization"))
    expect(example).toBeDefined()
    scratch = mkdtempSync(join(tmpdir(), "aks-overlay-"))
    mkdirSync(join(scratch, "deploy", "aks"), { recursive: true })
    symlinkSync(K8S_DIR, join(scratch, "k8s"))
    writeFileSync(join(scratch, "deploy", "aks", "kustomization.yaml"), example ?? "")
    const rendered = kubectl?.render(join(scratch, "deploy", "aks")) ?? []
    expect(rendered.map(objectId).sort()).toEqual(installed.map(objectId).sort())
    const account = named(rendered, "ServiceAccount")
    expect(at(account, "metadata", "annotations", "azure.workload.identity/client-id")).toBe("11111111-2222-3333-4444-555555555555")
    expect(at(named(rendered, "ConfigMap"), "data", "KEY_VAULT_NAME")).toBe("oda-vault")
    const containers = at(named(rendered, "Deployment"), "spec", "template", "spec", "containers")
    expect(Array.isArray(containers) ? at(containers[0], "image") : undefined).toBe("odaregistry.azurecr.io/oda-apim-operator:0.1.0")
    const changed = rendered.filter((o) => !isDeepStrictEqual(o, installed.find((i) => objectId(i) === objectId(o))))
    expect(changed.map(objectId).sort()).toEqual(["apps/v1 Deployment oda-apim-operator/oda-apim-operator", "v1 ConfigMap oda-apim-operator/oda-apim-operator-settings", "v1 ServiceAccount oda-apim-operator/oda-apim-operator"])
  })
})
