import { X509Certificate } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { generateCertificates, type Certificates } from "../../../src/emulators/azure/Certificates.ts"
import type { EmulatorRequest } from "../../../src/emulators/azure/Http.ts"
import { connectionReset, startHttpsFront, type HttpsFront } from "../../../src/emulators/azure/HttpsFront.ts"
import { rawRequest } from "./HttpsClient.ts"

describe("HttpsFront", () => {
  let certificates: Certificates
  let front: HttpsFront
  const seen: Array<EmulatorRequest> = []

  beforeAll(async () => {
    certificates = await generateCertificates()
    front = await startHttpsFront({
      certificates,
      intercept: (request) => (request.segments[0] === "reset" ? connectionReset : undefined),
      handler: (request) => {
        seen.push(request)
        if (request.segments[0] === "text") return { status: 200, headers: { "Content-Type": "text/plain" }, text: "hi" }
        if (request.segments[0] === "boom") throw new Error("model failed")
        return { status: 201, headers: { ETag: '"1"' }, body: { ok: true } }
      }
    })
  })
  afterAll(() => front.close())

  it("issues a leaf for 127.0.0.1 and localhost signed by the CA", () => {
    const ca = new X509Certificate(certificates.caPem)
    const leaf = new X509Certificate(certificates.certPem)
    expect(ca.ca).toBe(true)
    expect(leaf.verify(ca.publicKey)).toBe(true)
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1")
    expect(leaf.checkHost("localhost")).toBe("localhost")
    expect(certificates.keyPem).toContain("BEGIN PRIVATE KEY")
  })

  it("decodes the request as Http.ts documents and serialises JSON bodies", async () => {
    const response = await rawRequest(`${front.url}/apis/petstore%3Brev%3D2/?api%2Dversion=2024-05-01`, {
      method: "PUT",
      headers: { "X-Custom": "A", "Content-Type": "application/json" },
      body: '{"properties":{}}',
      ca: certificates.caPem
    })
    expect(response.status).toBe(201)
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8")
    expect(response.headers["etag"]).toBe('"1"')
    expect(JSON.parse(response.text)).toEqual({ ok: true })
    const request = seen.at(-1)
    expect(request?.method).toBe("PUT")
    expect(request?.rawPath).toBe("/apis/petstore%3Brev%3D2/")
    expect(request?.segments).toEqual(["apis", "petstore;rev=2"])
    expect(request?.query.get("api-version")).toBe("2024-05-01")
    expect(request?.headers["x-custom"]).toBe("A")
    expect(request?.bodyText).toBe('{"properties":{}}')
    expect(request?.baseUrl).toBe(front.url)
    expect(front.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it("sends text bodies as is, nothing on HEAD, and 500 when the model throws", async () => {
    const text = await rawRequest(`${front.url}/text`, { ca: certificates.caPem })
    expect([text.status, text.headers["content-type"], text.text]).toEqual([200, "text/plain", "hi"])
    const head = await rawRequest(`${front.url}/x`, { method: "HEAD", ca: certificates.caPem })
    expect([head.status, head.text]).toEqual([201, ""])
    const boom = await rawRequest(`${front.url}/boom`, { ca: certificates.caPem })
    expect(boom.status).toBe(500)
    expect(JSON.parse(boom.text)).toEqual({ error: { code: "InternalServerError", message: "model failed" } })
  })

  it("drops the connection on a reset interception and logs every exchange", async () => {
    front.log.clear()
    await expect(rawRequest(`${front.url}/reset`, { ca: certificates.caPem })).rejects.toThrow()
    await rawRequest(`${front.url}/a%20b?x=1`, { method: "POST", body: "payload", ca: certificates.caPem })
    const entries = front.log.entries()
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ["GET", "/reset", "reset"],
      ["POST", "/a b", 201]
    ])
    expect(entries[1]?.query.get("x")).toBe("1")
    expect(entries[1]?.bodyText).toBe("payload")
    expect(typeof entries[1]?.timestamp).toBe("number")
  })

  it("rejects clients that do not trust the CA", async () => {
    const other = await generateCertificates()
    await expect(rawRequest(`${front.url}/x`, { ca: other.caPem })).rejects.toThrow()
  })
})
