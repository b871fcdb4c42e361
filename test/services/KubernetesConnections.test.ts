import * as k8s from "@kubernetes/client-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Services } from "../../src/services/KubeResources.ts"
import { make } from "../../src/services/Kubernetes.ts"

/** A loopback "API server" answering every GET with the same Service, counting the TCP connections it accepts. */
const countingServer = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly connections: () => number; readonly close: () => void }>((resume) => {
    let connections = 0
    const server = createServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "svc", namespace: "default", uid: "u-1", resourceVersion: "1" },
        spec: { ports: [{ port: 80 }] }
      }))
    })
    server.on("connection", () => {
      connections += 1
    })
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        connections: () => connections,
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      })))
  }),
  (server) => Effect.sync(server.close)
)

describe("Kubernetes transport", () => {
  it.scoped("keeps connections alive across requests to a cluster with TLS settings (client-node builds an Agent per request)", () =>
    Effect.gen(function*() {
      const server = yield* countingServer
      const kc = new k8s.KubeConfig()
      // skip-verify counts as a TLS setting: client-node 2.0 then builds a dispatcher for every request
      kc.loadFromOptions({
        clusters: [{ name: "c", server: server.url, skipTLSVerify: true }],
        users: [{ name: "u", token: "t" }],
        contexts: [{ name: "x", cluster: "c", user: "u" }],
        currentContext: "x"
      })
      const kube = make(kc)
      for (let i = 0; i < 20; i++) {
        const found = yield* kube.get(Services, "default", "svc")
        expect(Option.isSome(found)).toBe(true)
      }
      expect(server.connections()).toBeLessThanOrEqual(2)
    }))
})
