import { createHash } from "node:crypto"
import { gzipSync } from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, TestClock } from "effect"
import { VERSION } from "../../src/Version.ts"
import { make as makeConfig, OperatorConfig } from "../../src/services/OperatorConfig.ts"
import { fromCredential } from "../../src/services/AzureIdentity.ts"
import { layer as specSourceLayer, make, SpecSource } from "../../src/services/SpecSource.ts"
import { specOptions, startServer } from "./SpecSourceServers.ts"

const jsonDocument = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Product Catalog Management", version: "4.0.0" },
  paths: { "/productOffering": { get: { responses: { "200": { description: "OK" } } } } }
})
const yamlDocument = "openapi: 3.0.3\ninfo:\n  title: Party Management\n  version: 4.0.0\npaths: {}\n"
const sha256 = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex")

const options = specOptions

/** A document server: every fetch of /changing.json sees a new version, /flaky.json fails once. */
const documents = () => {
  let version = 0
  let flaky = 0
  return startServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname
    if (path === "/openapi.json") return response.writeHead(200, { "content-type": "application/json" }).end(jsonDocument)
    if (path === "/openapi.yaml") return response.writeHead(200, { "content-type": "application/yaml" }).end(yamlDocument)
    if (path === "/gzip.json") {
      return response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync(jsonDocument))
    }
    if (path === "/latin1.yaml") {
      const body = Buffer.concat([Buffer.from("info:\n  title: Caf"), Buffer.from([0xe9]), Buffer.from("\n")])
      return response.writeHead(200, { "content-type": "text/yaml; charset=iso-8859-1" }).end(body)
    }
    if (path === "/flaky.json") {
      flaky += 1
      return flaky === 1 ? response.writeHead(503).end() : response.writeHead(200).end(jsonDocument)
    }
    if (path.startsWith("/changing")) {
      version += 1
      return response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ openapi: "3.0.3", info: { version } }))
    }
    response.writeHead(404).end()
  })
}

describe("SpecSource fetch", () => {
  it.scoped("fetches a JSON document with its hash, content type and our User-Agent and Accept", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const url = server.url("/openapi.json")
      const document = yield* source.fetch(url)
      expect(document).toMatchObject({ url, finalUrl: url, text: jsonDocument, sha256: sha256(jsonDocument), contentType: "application/json" })
      expect(document.bytes).toBe(Buffer.byteLength(jsonDocument))
      expect(server.hits[0]?.headers["user-agent"]).toBe(`oda-apim-operator/${VERSION}`)
      expect(server.hits[0]?.headers.accept).toBe("application/json, application/yaml, text/yaml, */*;q=0.1")
    }))

  it.scoped("fetches a YAML document as written", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const document = yield* source.fetch(server.url("/openapi.yaml"))
      expect(document.text).toBe(yamlDocument)
      expect(document.contentType).toBe("application/yaml")
      expect(document.sha256).toBe(sha256(yamlDocument))
    }))

  it.scoped("decodes a gzip body and hashes the document, not the encoding", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const document = yield* source.fetch(server.url("/gzip.json"))
      expect(document.text).toBe(jsonDocument)
      expect(document.sha256).toBe(sha256(jsonDocument))
    }))

  it.scoped("reads the declared charset", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const document = yield* source.fetch(server.url("/latin1.yaml"))
      expect(document.text).toBe("info:\n  title: Café\n")
    }))
})

describe("SpecSource cache", () => {
  it.scoped("answers from the cache within the refresh interval and fetches again after it", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options({ refreshInterval: "10 minutes" }))
      const url = server.url("/changing.json")
      const first = yield* source.get(url)
      yield* TestClock.adjust("9 minutes")
      const cached = yield* source.get(url)
      expect(cached).toBe(first)
      expect(server.hitsOf("/changing.json")).toBe(1)

      yield* TestClock.adjust("1 minute")
      const refreshed = yield* source.get(url)
      expect(server.hitsOf("/changing.json")).toBe(2)
      // the document changed behind the same URL: the hash says so
      expect(refreshed.sha256).not.toBe(first.sha256)
      expect(refreshed.fetchedAt.getTime() - first.fetchedAt.getTime()).toBe(10 * 60_000)
    }))

  it.scoped("shares one fetch among concurrent gets of the same URL", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const url = server.url("/changing.json")
      const results = yield* Effect.all(Array.from({ length: 25 }, () => source.get(url)), { concurrency: "unbounded" })
      expect(server.hitsOf("/changing.json")).toBe(1)
      expect(new Set(results.map((d) => d.sha256)).size).toBe(1)
    }))

  it.scoped("does not keep failures: the next get fetches again", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const url = server.url("/flaky.json")
      const failure = yield* Effect.flip(source.get(url))
      expect(failure.reason).toBe("Unavailable")
      const document = yield* source.get(url)
      expect(document.text).toBe(jsonDocument)
      expect(server.hitsOf("/flaky.json")).toBe(2)
    }))

  it.scoped("evicts the least recently used document beyond its entry bound", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options({ cacheEntries: 2 }))
      const [a, b, c] = ["/changing-a", "/changing-b", "/changing-c"].map((p) => server.url(p))
      yield* source.get(a ?? "")
      yield* source.get(b ?? "")
      yield* source.get(a ?? "") // a is now more recent than b
      yield* source.get(c ?? "") // evicts b
      yield* source.get(a ?? "")
      yield* source.get(b ?? "")
      expect([server.hitsOf("/changing-a"), server.hitsOf("/changing-b"), server.hitsOf("/changing-c")]).toEqual([1, 2, 1])
    }))

  it.scoped("keeps no more bytes than its byte bound", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options({ cacheBytes: Buffer.byteLength(jsonDocument) - 1 }))
      const url = server.url("/openapi.json")
      yield* source.get(url)
      yield* source.get(url)
      expect(server.hitsOf("/openapi.json")).toBe(2)
    }))

  it.scoped("fetches again after invalidate", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* make(options())
      const url = server.url("/changing.json")
      yield* source.get(url)
      yield* source.invalidate(url)
      yield* source.get(url)
      expect(server.hitsOf("/changing.json")).toBe(2)
    }))
})

describe("SpecSource layer", () => {
  const target = {
    APIM_SERVICE_NAME: "apim",
    RESOURCE_GROUP: "rg",
    SUBSCRIPTION_ID: "sub",
    AAD_TENANT_ID: "tenant",
    AAD_CLIENT_ID: "client"
  }
  const configFrom = (env: Record<string, string>) =>
    Layer.effect(OperatorConfig, makeConfig).pipe(
      Layer.provide(fromCredential({ getToken: async () => null })),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({ ...target, ...env })))))
    )

  it.effect("reads its settings, proxy variables in either case included", () =>
    Effect.gen(function*() {
      const { specFetch } = yield* OperatorConfig
      expect(specFetch.allowLoopback).toBe(false)
      expect(specFetch.cacheEntries).toBe(1000)
      expect(specFetch.proxy).toEqual({ httpsProxy: "http://proxy.corp:3128", httpProxy: "http://upper:3128", noProxy: [".svc", "10.0.0.0/8"] })
    }).pipe(
      Effect.provide(configFrom({ https_proxy: "http://proxy.corp:3128", HTTP_PROXY: "http://upper:3128", http_proxy: "http://lower:3128", no_proxy: ".svc, 10.0.0.0/8" }))
    ))

  it.scoped("serves documents as configured", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* SpecSource
      const document = yield* source.get(server.url("/openapi.json"))
      expect(document.text).toBe(jsonDocument)
    }).pipe(Effect.provide(specSourceLayer.pipe(Layer.provide(configFrom({ SPEC_ALLOW_LOOPBACK: "true" }))))))

  it.scoped("refuses loopback unless SPEC_ALLOW_LOOPBACK says otherwise", () =>
    Effect.gen(function*() {
      const server = yield* documents()
      const source = yield* SpecSource
      const refused = yield* Effect.flip(source.get(server.url("/openapi.json")))
      expect(refused.reason).toBe("ForbiddenAddress")
      expect(server.hits).toHaveLength(0)
    }).pipe(Effect.provide(specSourceLayer.pipe(Layer.provide(configFrom({}))))))
})
