import { ConfigProvider, Effect, Either, Schema } from "effect"
import { XMLValidator } from "fast-xml-parser"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse, parseAllDocuments, stringify } from "yaml"
import { UID_PLACEHOLDER } from "../../src/cli/RenderExposedApi.ts"
import { ExposedApi, toApiIntent } from "../../src/domain/ExposedApi.ts"
import { ingressFor } from "../../src/domain/Ingress.ts"
import { capabilitiesOf } from "../../src/domain/Capabilities.ts"
import { compilePolicy, renderPolicyXml } from "../../src/domain/Policy.ts"
import { capabilityContext, intentSettings, policySettings } from "../../src/programs/ReconcileExposedApi.ts"
import { settingsFor } from "../../src/services/OperatorConfig.ts"
import { readReference, referencePath } from "../fixtures/Reference.ts"
import { type CliResult, cliInProcess, cliProcess } from "./CliHarness.ts"

/** `oda-apim-operator render`: what the operator would produce, without a cluster or Azure. */

const EXAMPLE = referencePath("oda/exposedapi-example.yaml")
const TENANT = "0c9d3f7e-1111-4222-8333-444455556666"
const CLIENT = "7a6b5c4d-aaaa-4bbb-8ccc-ddddeeeeffff"

type Json = { readonly [key: string]: unknown }
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)
const field = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>((node, key) => (isJson(node) || Array.isArray(node) ? Reflect.get(node, key) : undefined), value)

/** The YAML stream render prints: one document per ExposedAPI. */
const renderedYaml = (stdout: string): ReadonlyArray<Json> =>
  parseAllDocuments(stdout).map((document) => {
    const value: unknown = document.toJS()
    if (!isJson(value)) throw new Error(`not an object: ${String(value)}`)
    return value
  })

const renderedJson = (stdout: string): ReadonlyArray<Json> => {
  const list = field(JSON.parse(stdout), "exposedApis")
  if (!Array.isArray(list)) throw new Error("no exposedApis list")
  return list.filter(isJson)
}

const example = (): Json => {
  const value: unknown = parse(readReference("oda/exposedapi-example.yaml"))
  if (!isJson(value)) throw new Error("the ODA example is not an object")
  return value
}

const withSpec = (document: Json, spec: Json, metadata: Json = {}): Json => ({
  ...document,
  metadata: { ...(isJson(document["metadata"]) ? document["metadata"] : {}), ...metadata },
  spec: { ...(isJson(document["spec"]) ? document["spec"] : {}), ...spec }
})

let dir: string
const file = (name: string, content: string): string => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

let documents: Server
let documentsUrl: string
let exampleRun: CliResult
let invalidRun: CliResult

const brokenSpec = {
  apiType: "graphql",
  implementation: "Bad_Service",
  path: "no-leading-slash",
  port: "8080",
  rateLimit: { enabled: true, interval: "ph" },
  CORS: { enabled: true, allowCredentials: true, allowOrigins: "*" }
}
const brokenFields = ["spec.apiType", "spec.implementation", "spec.path", "spec.port", "spec.rateLimit.limit", "spec.rateLimit.interval", "spec.CORS.allowCredentials"]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "oda-render-test-"))
  const swagger = readReference("openapi/TMF620-ProductCatalog-v4.0.0.swagger.json")
  documents = createServer((request, response) => {
    if (request.url === "/tmf620.swagger.json") response.writeHead(200, { "content-type": "application/json" }).end(swagger)
    else response.writeHead(404).end("not here")
  })
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve))
  documentsUrl = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`
  // The two child processes (the real binary: exit codes, stdin) run side by side.
  ;[exampleRun, invalidRun] = await Promise.all([
    cliProcess(["render", "-f", EXAMPLE, "--tenant-id", TENANT, "--client-id", CLIENT]),
    cliProcess(["render", "-f", "-", "-o", "json"], {
      stdin: JSON.stringify(withSpec(example(), brokenSpec, { name: "broken", namespace: "shop" }))
    })
  ])
})

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  documents.closeAllConnections()
  await new Promise((resolve) => documents.close(resolve))
})

describe("render -f FILE (the real binary)", () => {
  it("renders the ODA example: the Ingress, the APIM API behind the Ingress address, the policy and the field report, exit 0", () => {
    expect(exampleRun.code, exampleRun.stderr).toBe(0)
    const [rendered, ...more] = renderedYaml(exampleRun.stdout)
    expect(more).toEqual([])
    expect(rendered?.["valid"]).toBe(true)
    expect(rendered?.["exposedApi"]).toBe("default/r1-productcatalogmanagement-productcatalogmanagement")
    expect(field(rendered, "ingress", "kind")).toBe("Ingress")
    expect(field(rendered, "ingress", "spec", "ingressClassName")).toBe("istio")
    expect(field(rendered, "ingress", "spec", "rules", 0, "http", "paths", 0)).toEqual({
      path: "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4",
      pathType: "Prefix",
      backend: { service: { name: "r1-prodcatapi", port: { number: 8080 } } }
    })
    expect(field(rendered, "apim", "published")).toBe(true)
    expect(field(rendered, "apim", "properties")).toMatchObject({
      displayName: "productcatalogmanagement",
      path: "r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4",
      serviceUrl: "http://<ingress-address>/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4",
      protocols: ["https"],
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { header: "Ocp-Apim-Subscription-Key", query: "subscription-key" },
      authenticationSettings: { openid: { openidProviderId: "oda-entra-id", bearerTokenSendingMethods: ["authorizationHeader"] } }
    })
    expect(field(rendered, "apim", "import", "source")).toBe(
      "https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json"
    )
    expect(field(rendered, "apim", "tags")).toEqual([{ id: "oda-segment-corefunction", displayName: "segment:coreFunction" }])
    expect(field(rendered, "apim", "apiKeys", "product", "subscriptionRequired")).toBe(true)
    expect(field(rendered, "apim", "apiKeys", "subscription", "id")).toBe(field(rendered, "apim", "apiId"))
    expect(field(rendered, "apim", "apiKeys", "secretName")).toBe("r1-productcatalogmanagement-productcatalogmanagement-api-key")
    expect(field(rendered, "networkPolicy")).toBeUndefined() // GATEWAY_ONLY_TRAFFIC is off by default
    expect(exampleRun.stderr).not.toContain("placeholder") // tenant and client were given
  })

  it("prints a well-formed policy equal to the operator's own compile path, and its field report", async () => {
    const [rendered] = renderedYaml(exampleRun.stdout)
    const policy = field(rendered, "policy")
    if (typeof policy !== "string") throw new Error("no policy")
    expect(XMLValidator.validate(policy)).toBe(true)
    const settings = await Effect.runPromise(
      settingsFor({ apimServiceName: "apim-service-name", resourceGroup: "resource-group", subscriptionId: "subscription-id", tenantId: TENANT, clientId: CLIENT })
        .pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
    )
    const source = example()
    const api = Schema.decodeUnknownSync(ExposedApi)({
      ...source,
      metadata: { ...(isJson(source["metadata"]) ? source["metadata"] : {}), namespace: "default", uid: UID_PLACEHOLDER, resourceVersion: "" }
    })
    const intent = Either.getOrThrow(toApiIntent(api, intentSettings(settings)))
    const compiled = Either.getOrThrow(compilePolicy(intent.policies, policySettings(settings)))
    expect(policy).toBe(renderPolicyXml(compiled))
    expect(policy).toContain(`https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`)
    expect(field(rendered, "capabilities")).toEqual(JSON.parse(JSON.stringify(capabilitiesOf(api.spec, intent, capabilityContext(settings)))))
    expect(field(rendered, "ingress")).toEqual(JSON.parse(JSON.stringify(ingressFor(api, intent, { ingressClassName: "istio" }))))
  })

  it("reads -f - from stdin, prints JSON that parses, and lists every problem with its field; exit 1", () => {
    expect(invalidRun.code).toBe(1)
    const [rendered, ...more] = renderedJson(invalidRun.stdout)
    expect(more).toEqual([])
    expect(rendered).toMatchObject({ exposedApi: "shop/broken", valid: false, source: "<stdin> (line 1)" })
    const errors = field(rendered, "errors")
    if (!Array.isArray(errors)) throw new Error("no errors")
    expect(errors.map((error) => field(error, "field")).sort()).toEqual([...brokenFields].sort())
    for (const name of brokenFields) expect(invalidRun.stderr).toContain(`ExposedAPI shop/broken: ${name} `)
    expect(invalidRun.stderr).toContain("1 of 1 ExposedAPIs cannot be published as written")
  })
})

describe("render (in-process)", () => {
  it("reads every ExposedAPI shape (v1, v1beta4, v1beta3) from a multi-document file, skips other kinds, unrolls Lists", async () => {
    const v1beta4 = withSpec({ ...example(), apiVersion: "oda.tmforum.org/v1beta4" }, {
      specification: [{ url: "https://example.com/b4.json", version: "v4" }]
    }, { name: "b4" })
    const v1beta3 = withSpec({ ...example(), apiVersion: "oda.tmforum.org/v1beta3" }, {
      specification: ["https://example.com/b3.json"]
    }, { name: "b3" })
    const list = { apiVersion: "v1", kind: "List", items: [withSpec(example(), {}, { name: "listed", namespace: "elsewhere" })] }
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "svc" } }
    const path = file("many.yaml", [v1beta4, service, v1beta3, list].map((document) => stringify(document)).join("---\n"))
    const result = await cliInProcess(["render", "-f", path, "-n", "components"])
    expect(result.code, result.stderr).toBe(0)
    const rendered = renderedYaml(result.stdout)
    expect(rendered.map((r) => r["exposedApi"])).toEqual(["components/b4", "components/b3", "elsewhere/listed"])
    expect(rendered.map((r) => field(r, "apim", "import", "source"))).toEqual([
      "https://example.com/b4.json",
      "https://example.com/b3.json",
      "https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json"
    ])
    expect(rendered.map((r) => r["source"])).toEqual([
      `${path}, document 1 (line 1)`,
      `${path}, document 3 (line ${lineOf(path, 3)})`,
      `${path}, document 4 (line ${lineOf(path, 4)}), items[0]`
    ])
    expect(result.stderr).toContain(`render: skipped ${path}, document 2`)
    expect(result.stderr).toContain("kind Service is not an ExposedAPI")
    expect(result.stderr).toContain('placeholder tenant id "tenant-id"')
  })

  it("reads a directory's manifest files, as kubectl apply -f DIR does", async () => {
    const samples = join(dir, "samples")
    mkdirSync(samples)
    writeFileSync(join(samples, "b.yaml"), stringify(withSpec(example(), {}, { name: "second" })))
    writeFileSync(join(samples, "a.json"), JSON.stringify(withSpec(example(), {}, { name: "first" })))
    writeFileSync(join(samples, "notes.txt"), "not a manifest")
    const result = await cliInProcess(["render", "-f", samples])
    expect(result.code, result.stderr).toBe(0)
    expect(renderedYaml(result.stdout).map((r) => r["source"])).toEqual([`${join(samples, "a.json")} (line 1)`, `${join(samples, "b.yaml")} (line 1)`])
    writeFileSync(join(samples, "c.yaml"), "kind: [")
    const broken = await cliInProcess(["render", "-f", samples])
    expect(broken.stderr).toContain(`-f ${samples}: ${join(samples, "c.yaml")}: not valid YAML or JSON`)
  })

  it("renders a metrics API's Ingress and says it is not published to the gateway", async () => {
    const path = file("metrics.json", JSON.stringify(withSpec(example(), { apiType: "prometheus", specification: null, path: "/metrics" }, { name: "m" })))
    const result = await cliInProcess(["render", "-f", path, "-o", "json"])
    expect(result.code, result.stderr).toBe(0)
    const [rendered] = renderedJson(result.stdout)
    expect(field(rendered, "ingress", "spec", "rules", 0, "http", "paths", 0, "path")).toBe("/metrics")
    expect(field(rendered, "apim", "published")).toBe(false)
    expect(field(rendered, "apim", "reason")).toContain("reachable through the Ingress only")
    expect(field(rendered, "policy")).toBeUndefined()
    expect(field(rendered, "capabilities")).toContainEqual(expect.objectContaining({ field: "spec.apiType", outcome: "mapped" }))
  })

  it("with GATEWAY_ONLY_TRAFFIC, renders the NetworkPolicy that admits only the ingress gateway", async () => {
    const path = file("gateway-only.yaml", stringify(example()))
    const result = await cliInProcess(["render", "-f", path, "-o", "json"], { GATEWAY_ONLY_TRAFFIC: "true", GATEWAY_POD_SELECTOR: "app=gateway" })
    expect(result.code, result.stderr).toBe(0)
    const [rendered] = renderedJson(result.stdout)
    expect(field(rendered, "networkPolicy", "kind")).toBe("NetworkPolicy")
    expect(field(rendered, "networkPolicy", "spec", "ingress", 0, "from", 0, "podSelector", "matchLabels")).toEqual({ app: "gateway" })
    expect(JSON.stringify(field(rendered, "networkPolicy", "spec", "podSelector"))).toContain("Service r1-prodcatapi")
  })

  it("takes settings from the environment as run does, and flags over them", async () => {
    const path = file("settings.yaml", stringify(example()))
    const fromEnv = await cliInProcess(["render", "-f", path, "-o", "json"], {
      INGRESS_CLASS: "nginx",
      AAD_TENANT_ID: TENANT,
      JWT_AUDIENCES: "api://orders,api://catalog",
      OIDC_PROVIDER_ID: "keycloak"
    })
    expect(fromEnv.code, fromEnv.stderr).toBe(0)
    const [env] = renderedJson(fromEnv.stdout)
    expect(field(env, "ingress", "spec", "ingressClassName")).toBe("nginx")
    expect(field(env, "apim", "properties", "authenticationSettings", "openid", "openidProviderId")).toBe("keycloak")
    expect(field(env, "policy")).toContain(`/${TENANT}/v2.0/.well-known/openid-configuration`)
    expect(field(env, "policy")).toContain("<audience>api://orders</audience>")
    expect(fromEnv.stderr).not.toContain("placeholder")

    const fromFlags = await cliInProcess(
      ["render", "-f", path, "-o", "json", "--ingress-class", "traefik", "--ingress-address", "10.0.0.7", "--client-id", CLIENT],
      { INGRESS_CLASS: "nginx" }
    )
    const [flags] = renderedJson(fromFlags.stdout)
    expect(field(flags, "ingress", "spec", "ingressClassName")).toBe("traefik")
    expect(field(flags, "apim", "properties", "serviceUrl")).toBe("http://10.0.0.7/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4")
    expect(field(flags, "policy")).toContain(`<audience>api://${CLIENT}</audience>`)
    expect(fromFlags.stderr).toContain('placeholder tenant id "tenant-id"')
    expect(fromFlags.stderr).not.toContain("placeholder client id")
  })

  it("stops at operator settings run would refuse, naming the setting", async () => {
    const path = file("oidc.yaml", stringify(example()))
    const result = await cliInProcess(["render", "-f", path], { OIDC_METADATA_URL: "ftp://issuer.example.com/.well-known/openid-configuration" })
    expect(result).toMatchObject({ code: 1, stdout: "" })
    expect(result.stderr).toContain("OIDC_METADATA_URL: is not an http(s) URL")
    const duration = await cliInProcess(["render", "-f", path], { SPEC_FETCH_TIMEOUT: "soon" })
    expect(duration.code).toBe(1)
    expect(duration.stderr).toContain("SPEC_FETCH_TIMEOUT")
  })

  it("--fetch imports the document through run's guards: its exact format, or why it cannot be", async () => {
    const good = file("fetch.yaml", stringify(withSpec(example(), { specification: { url: `${documentsUrl}/tmf620.swagger.json` } })))
    const fetched = await cliInProcess(["render", "-f", good, "--fetch", "-o", "json"], { SPEC_ALLOW_LOOPBACK: "true" })
    expect(fetched.code, fetched.stderr).toBe(0)
    const [rendered] = renderedJson(fetched.stdout)
    expect(field(rendered, "apim", "import")).toMatchObject({ format: "swagger-json", title: "Product Catalog Management", version: "4.0.0" })
    expect(field(rendered, "apim", "properties", "format")).toBe("swagger-json")
    expect(field(rendered, "apim", "properties", "value")).toContain("imported inline")

    const refused = await cliInProcess(["render", "-f", good, "--fetch"])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("spec.specification cannot be fetched")
    expect(refused.stderr).toContain("SPEC_ALLOW_LOOPBACK")

    const missing = file("missing-doc.yaml", stringify(withSpec(example(), { specification: { url: `${documentsUrl}/nothing.json` } })))
    const notFound = await cliInProcess(["render", "-f", missing, "--fetch"], { SPEC_ALLOW_LOOPBACK: "true" })
    expect(notFound.code).toBe(1)
    expect(notFound.stderr).toContain("spec.specification cannot be fetched")
  })

  it("names the file at fault: missing, unreadable YAML (line and column), no ExposedAPI, not an object", async () => {
    const missing = await cliInProcess(["render", "-f", join(dir, "nope.yaml")])
    expect(missing).toMatchObject({ code: 1, stderr: `oda-apim-operator: -f ${join(dir, "nope.yaml")}: no such file or directory` })

    const broken = file("broken.yaml", "apiVersion: oda.tmforum.org/v1\nkind: ExposedAPI\nspec: [1, 2\nmetadata: {}\n")
    const unreadable = await cliInProcess(["render", "-f", broken])
    expect(unreadable.code).toBe(1)
    expect(unreadable.stderr).toMatch(new RegExp(`-f ${broken}: not valid YAML or JSON: .* at line \\d+, column \\d+`))

    const service = file("service.yaml", stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "s" } }))
    const wrongKind = await cliInProcess(["render", "-f", EXAMPLE, "-f", service])
    expect(wrongKind).toMatchObject({ code: 1, stderr: `oda-apim-operator: -f ${service}: no ExposedAPI in it (found kind Service); render reads kind ExposedAPI (oda.tmforum.org)` })

    const scalar = file("scalar.yaml", "just text\n")
    const notObject = await cliInProcess(["render", "-f", scalar])
    expect(notObject.stderr).toContain(`${scalar} (line 1): not a Kubernetes object`)
  })

  it("reports an ExposedAPI of a version the CRD does not serve, with its other problems", async () => {
    const path = file("old.yaml", stringify(withSpec({ ...example(), apiVersion: "oda.tmforum.org/v1alpha1" }, { port: 0 })))
    const result = await cliInProcess(["render", "-f", path])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("apiVersion must be one of oda.tmforum.org/v1, oda.tmforum.org/v1beta4, oda.tmforum.org/v1beta3")
    expect(result.stderr).toContain("spec.port must be an integer between 1 and 65535")
  })

  it("names the flag at fault", async () => {
    const output = await cliInProcess(["render", "-f", EXAMPLE, "-o", "xml"])
    expect(output.code).toBe(1)
    expect(output.stderr).toContain('--output: "xml" is not one of yaml, json')
    const address = await cliInProcess(["render", "-f", EXAMPLE, "--ingress-address", "not a host"])
    expect(address.stderr).toContain('--ingress-address: "not a host" is not a host name or an IP address')
    const none = await cliInProcess(["render"])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain("--file")
  })
})

/** The line a file's n-th YAML document starts on (its first content line). */
const lineOf = (path: string, n: number): number => {
  const text = readFileSync(path, "utf8")
  const starts = [0, ...[...text.matchAll(/^---\n/gm)].map((match) => (match.index ?? 0) + 4)]
  return text.slice(0, starts[n - 1] ?? 0).split("\n").length
}
