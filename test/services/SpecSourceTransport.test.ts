import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { forbiddenKind, guardedLookup } from "../../src/services/AddressGuard.ts"
import { proxyFor, type ProxySettings } from "../../src/services/ProxyRoute.ts"
import { make } from "../../src/services/SpecSource.ts"
import { specOptions, startHttpsServer, startProxy, startServer } from "./SpecSourceServers.ts"

const document = JSON.stringify({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {} })

const options = specOptions

const serveDocument = () =>
  startServer((request, response) => {
    if (request.url === "/doc") return response.writeHead(200, { "content-type": "application/json" }).end(document)
    response.writeHead(404).end()
  })

const serveHttps = () =>
  startHttpsServer((request, response) => {
    if (request.url === "/doc") return response.writeHead(200, { "content-type": "application/json" }).end(document)
    if (request.url?.startsWith("/down?") === true) {
      return response.writeHead(301, { location: new URL(request.url, "https://x").searchParams.get("to") ?? "" }).end()
    }
    response.writeHead(404).end()
  })

describe("SpecSource over https", () => {
  it.scoped("verifies the server against Node's CAs plus the configured one", () =>
    Effect.gen(function*() {
      const server = yield* serveHttps()
      const trusting = yield* make(options({ caPem: server.caPem }))
      expect((yield* trusting.fetch(server.url("/doc", "localhost"))).text).toBe(document)
      expect((yield* trusting.fetch(server.url("/doc"))).text).toBe(document) // the certificate names 127.0.0.1 too
      const strict = yield* make(options())
      const error = yield* Effect.flip(strict.fetch(server.url("/doc", "localhost")))
      expect(error.reason).toBe("TlsFailed")
      expect(error.retryable).toBe(false)
    }))

  it.scoped("refuses a redirect from https down to http", () =>
    Effect.gen(function*() {
      const server = yield* serveHttps()
      const plain = yield* serveDocument()
      const source = yield* make(options({ caPem: server.caPem }))
      const error = yield* Effect.flip(source.fetch(server.url(`/down?to=${encodeURIComponent(plain.url("/doc"))}`)))
      expect(error.reason).toBe("InvalidRedirect")
      expect(plain.hits).toHaveLength(0)
    }))
})

describe("SpecSource through a proxy", () => {
  it.scoped("sends http requests to the proxy in absolute form, with the proxy's credentials", () =>
    Effect.gen(function*() {
      const server = yield* serveDocument()
      const proxy = yield* startProxy()
      const proxyUrl = proxy.url.replace("http://", "http://agent:pa%20ss@")
      const source = yield* make(options({ proxy: { httpProxy: proxyUrl, noProxy: [] } }))
      expect((yield* source.fetch(server.url("/doc"))).text).toBe(document)
      expect(proxy.requests.map((r) => r.line)).toEqual([`GET ${server.url("/doc")}`])
      expect(proxy.requests[0]?.headers["proxy-authorization"]).toBe(`Basic ${Buffer.from("agent:pa ss").toString("base64")}`)
      expect(server.hits[0]?.headers["proxy-authorization"]).toBeUndefined()
    }))

  it.scoped("tunnels https through CONNECT and verifies the server end to end", () =>
    Effect.gen(function*() {
      const server = yield* serveHttps()
      const proxy = yield* startProxy()
      const source = yield* make(options({ caPem: server.caPem, proxy: { httpsProxy: proxy.url, noProxy: [] } }))
      expect((yield* source.fetch(server.url("/doc", "localhost"))).text).toBe(document)
      expect(proxy.requests.map((r) => r.line)).toEqual([`CONNECT localhost:${server.port}`])
      const untrusted = yield* make(options({ proxy: { httpsProxy: proxy.url, noProxy: [] } }))
      expect((yield* Effect.flip(untrusted.fetch(server.url("/doc", "localhost")))).reason).toBe("TlsFailed")
    }))

  it.scoped("goes direct for NO_PROXY hosts", () =>
    Effect.gen(function*() {
      const server = yield* serveDocument()
      const proxy = yield* startProxy()
      const source = yield* make(options({ proxy: { httpProxy: proxy.url, noProxy: ["example.com", "localhost"] } }))
      expect((yield* source.fetch(server.url("/doc", "localhost"))).text).toBe(document)
      expect(proxy.requests).toHaveLength(0)
    }))

  it.scoped("reports a proxy that refuses as ProxyFailed, worth retrying", () =>
    Effect.gen(function*() {
      const server = yield* serveHttps()
      const proxy = yield* startProxy({ refuse: true })
      const source = yield* make(options({ caPem: server.caPem, proxy: { httpsProxy: proxy.url, noProxy: [] } }))
      const error = yield* Effect.flip(source.fetch(server.url("/doc", "localhost")))
      expect(error).toMatchObject({ reason: "ProxyFailed", status: 403 })
      expect(error.retryable).toBe(true)
    }))

  it.scoped("still refuses forbidden targets: literals, and names the operator can resolve", () =>
    Effect.gen(function*() {
      const server = yield* serveDocument()
      const proxy = yield* startProxy()
      const source = yield* make(options({ allowLoopback: false, proxy: { httpProxy: proxy.url, noProxy: [] } }))
      expect((yield* Effect.flip(source.fetch("http://169.254.169.254/latest/"))).reason).toBe("ForbiddenAddress")
      const byName = yield* Effect.flip(source.fetch(server.url("/doc", "localhost")))
      expect(byName.reason).toBe("ForbiddenAddress")
      expect(proxy.requests).toHaveLength(0)
    }))
})

describe("NO_PROXY matching", () => {
  const settings = (noProxy: ReadonlyArray<string>): ProxySettings => ({ httpProxy: "proxy:3128", httpsProxy: "http://proxy:3128", noProxy })
  const proxied = (url: string, noProxy: ReadonlyArray<string>) => proxyFor(new URL(url), settings(noProxy))?.href

  it("matches hosts, subdomains, ports, addresses and ranges", () => {
    expect(proxied("http://api.example.com/", [])).toBe("http://proxy:3128/") // host:port means an http proxy
    expect(proxied("https://api.example.com/", ["example.com"])).toBeUndefined()
    expect(proxied("https://api.example.com/", [".example.com"])).toBeUndefined()
    expect(proxied("https://api.example.com/", ["*.example.com"])).toBeUndefined()
    expect(proxied("https://example.com.evil.io/", ["example.com"])).toBe("http://proxy:3128/")
    expect(proxied("http://svc.ns.svc.cluster.local:8080/", [".svc.cluster.local"])).toBeUndefined()
    expect(proxied("http://host:8080/", ["host:8080"])).toBeUndefined()
    expect(proxied("http://host:8081/", ["host:8080"])).toBe("http://proxy:3128/")
    expect(proxied("https://host/", ["host:443"])).toBeUndefined()
    expect(proxied("http://10.1.2.3/", ["10.0.0.0/8"])).toBeUndefined()
    expect(proxied("http://11.1.2.3/", ["10.0.0.0/8"])).toBe("http://proxy:3128/")
    expect(proxied("http://[fd00::5]/", ["fd00::/8"])).toBeUndefined()
    expect(proxied("http://anything/", ["*"])).toBeUndefined()
    expect(proxyFor(new URL("https://x/"), { noProxy: [] })).toBeUndefined()
  })
})

describe("address classification", () => {
  const kind = (address: string, allowLoopback = false) => forbiddenKind(address, { allowLoopback })

  it("allows private, shared and public unicast addresses", () => {
    for (const address of ["10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "8.8.8.8", "fd12::1", "2001:db8::1", "::ffff:10.0.0.1"]) {
      expect({ address, kind: kind(address) }).toEqual({ address, kind: undefined })
    }
  })

  it("names what it refuses", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["169.254.169.254", "metadata"],
      ["168.63.129.16", "metadata"],
      ["fd00:ec2::254", "metadata"],
      ["::ffff:a9fe:a9fe", "metadata"],
      ["64:ff9b::a9fe:a9fe", "metadata"],
      ["169.254.0.1", "link-local"],
      ["fe80::1", "link-local"],
      ["127.0.0.1", "loopback"],
      ["127.255.255.254", "loopback"],
      ["::1", "loopback"],
      ["::ffff:127.0.0.1", "loopback"],
      ["0.0.0.0", "unspecified"],
      ["::", "unspecified"],
      ["224.0.0.251", "multicast"],
      ["ff02::1", "multicast"],
      ["255.255.255.255", "broadcast"],
      ["240.0.0.1", "reserved"],
      ["::7f00:1", "reserved"],
      ["not-an-address", "reserved"]
    ]
    for (const [address, expected] of cases) expect({ address, kind: kind(address) }).toEqual({ address, kind: expected })
    expect(kind("127.0.0.1", true)).toBeUndefined()
    expect(kind("::1", true)).toBeUndefined()
    expect(kind("169.254.169.254", true)).toBe("metadata")
  })

  it.effect("the lookup hook hands over only checked addresses, in either calling convention", () =>
    Effect.gen(function*() {
      const lookup = (allowLoopback: boolean, all: boolean) =>
        Effect.async<{ readonly error: Error | null; readonly address: unknown }>((resume) =>
          guardedLookup({ allowLoopback })("localhost", { all }, (error, address) => resume(Effect.succeed({ error, address })))
        )
      const refused = yield* lookup(false, false)
      expect(refused.error?.name).toBe("AddressRefused")
      const single = yield* lookup(true, false)
      expect(single).toMatchObject({ error: null, address: "127.0.0.1" })
      const all = yield* lookup(true, true)
      expect(all.error).toBeNull()
      expect(Array.isArray(all.address) && all.address.length > 0).toBe(true)
    }))
})
