import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { CRD_FILE } from "../../src/cli/CrdCommand.ts"
import { SERVED_VERSIONS } from "../../src/cli/RenderExposedApi.ts"
import { shippedFile } from "../../src/PackageRoot.ts"
import { cliInProcess } from "./CliHarness.ts"

/** `oda-apim-operator crd`: the shipped CRD, ready for `kubectl apply -f -`. */

const shipped = readFileSync(shippedFile(CRD_FILE), "utf8")

type Json = { readonly [key: string]: unknown }
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

describe("crd", () => {
  it("prints k8s/exposedapi-crd.yaml exactly, exit 0", async () => {
    const result = await cliInProcess(["crd"])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(shipped.trimEnd())
    const crd: unknown = parse(result.stdout)
    expect(isJson(crd) && crd["kind"]).toBe("CustomResourceDefinition")
    expect(isJson(crd) && isJson(crd["metadata"]) && crd["metadata"]["name"]).toBe("exposedapis.oda.tmforum.org")
  })

  it("render accepts exactly the versions the printed CRD serves", async () => {
    const result = await cliInProcess(["crd"])
    const crd: unknown = parse(result.stdout)
    const versions = isJson(crd) && isJson(crd["spec"]) && Array.isArray(crd["spec"]["versions"]) ? crd["spec"]["versions"] : []
    const served = versions.filter((version) => isJson(version) && version["served"] === true).map((version) => (isJson(version) ? version["name"] : undefined))
    expect([...served].sort()).toEqual([...SERVED_VERSIONS].sort())
  })
})
