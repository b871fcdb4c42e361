import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Exit, LogLevel, Option } from "effect"
import { hostname } from "node:os"
import { leaderElection, logFormat, logLevel, probeAddress, shutdownGracePeriod, tracing } from "../../src/services/RuntimeSettings.ts"

const withEnv = (env: Record<string, string>) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("RuntimeSettings", () => {
  it.effect("leader election is on by default with client-go's timings, a Lease in the default namespace outside a cluster, and a unique identity", () =>
    Effect.gen(function*() {
      const first = yield* leaderElection.pipe(withEnv({}))
      const second = yield* leaderElection.pipe(withEnv({}))
      expect(Option.isSome(first)).toBe(true)
      if (Option.isNone(first) || Option.isNone(second)) return
      expect(first.value).toMatchObject({ namespace: "default", name: "oda-apim-operator", releaseOnCancel: true })
      expect(Duration.toMillis(first.value.leaseDuration)).toBe(15_000)
      expect(Duration.toMillis(first.value.renewDeadline)).toBe(10_000)
      expect(Duration.toMillis(first.value.retryPeriod)).toBe(2_000)
      expect(first.value.identity.startsWith(`${hostname()}_`)).toBe(true)
      expect(first.value.identity).not.toBe(second.value.identity)
    }))

  it.effect("leader election can be turned off, and takes its Lease and timings from the environment", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* leaderElection.pipe(withEnv({ LEADER_ELECTION: "false" })))).toBe(true)
      const custom = yield* leaderElection.pipe(withEnv({
        LEADER_ELECTION_NAMESPACE: "operators",
        LEADER_ELECTION_NAME: "apim-leader",
        LEADER_ELECTION_LEASE_DURATION: "30 seconds",
        LEADER_ELECTION_RENEW_DEADLINE: "20 seconds",
        LEADER_ELECTION_RETRY_PERIOD: "4 seconds",
        LEADER_ELECTION_RELEASE_ON_CANCEL: "false"
      }))
      expect(Option.getOrUndefined(custom)).toMatchObject({ namespace: "operators", name: "apim-leader", releaseOnCancel: false })
    }))

  it.effect("refuses timings under which a leader could still work after followers may take over", () =>
    Effect.gen(function*() {
      const late = yield* Effect.exit(leaderElection.pipe(withEnv({ LEADER_ELECTION_RENEW_DEADLINE: "15 seconds" })))
      expect(Exit.isFailure(late) && String(late.cause)).toContain("LEADER_ELECTION_LEASE_DURATION must be longer than LEADER_ELECTION_RENEW_DEADLINE")
      const tight = yield* Effect.exit(leaderElection.pipe(withEnv({ LEADER_ELECTION_RETRY_PERIOD: "9 seconds" })))
      expect(Exit.isFailure(tight) && String(tight.cause)).toContain("LEADER_ELECTION_RENEW_DEADLINE must be longer than 1.2 × LEADER_ELECTION_RETRY_PERIOD")
    }))

  it.effect("probes listen on 0.0.0.0:8080 and shutdown waits 20 s unless configured", () =>
    Effect.gen(function*() {
      expect(yield* probeAddress.pipe(withEnv({}))).toEqual({ port: 8080, host: "0.0.0.0" })
      expect(yield* probeAddress.pipe(withEnv({ PROBE_PORT: "9090", PROBE_BIND_ADDRESS: "127.0.0.1" }))).toEqual({ port: 9090, host: "127.0.0.1" })
      expect(Duration.toMillis(yield* shutdownGracePeriod.pipe(withEnv({})))).toBe(20_000)
    }))

  it.effect("logs: JSON at info by default; level names as people write them; a wrong value names the setting", () =>
    Effect.gen(function*() {
      expect(yield* logFormat.pipe(withEnv({}))).toBe("json")
      expect(yield* logFormat.pipe(withEnv({ LOG_FORMAT: "Pretty" }))).toBe("pretty")
      expect(yield* logLevel.pipe(withEnv({}))).toBe(LogLevel.Info)
      expect(yield* logLevel.pipe(withEnv({ LOG_LEVEL: "WARN" }))).toBe(LogLevel.Warning)
      const wrong = yield* Effect.exit(logFormat.pipe(withEnv({ LOG_FORMAT: "xml" })))
      expect(Exit.isFailure(wrong) && String(wrong.cause)).toContain("LOG_FORMAT must be one of json, pretty")
    }))

  it.effect("traces go to <endpoint>/v1/traces, or to the traces endpoint as given; none without either", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* tracing.pipe(withEnv({})))).toBe(true)
      expect(yield* tracing.pipe(withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }))).toEqual(
        Option.some({ url: "http://collector:4318/v1/traces", serviceName: "oda-apim-operator" })
      )
      expect(yield* tracing.pipe(withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b/traces", OTEL_SERVICE_NAME: "apim-op" }))).toEqual(
        Option.some({ url: "http://b/traces", serviceName: "apim-op" })
      )
    }))
})
