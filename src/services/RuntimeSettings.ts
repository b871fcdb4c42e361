import { Config, ConfigError, Duration, Effect, Either, LogLevel, Option } from "effect"
import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { hostname } from "node:os"
import {
  booleanSetting,
  choiceSetting,
  durationSetting,
  integerSetting,
  optionalStringSetting,
  stringSetting
} from "./Settings.ts"

/**
 * How the operator process runs, apart from what it publishes (OperatorConfig): leader election, the probe and
 * metrics port, graceful shutdown, logs and traces. Declared with Settings.ts so the README reference lists them.
 */

const LEVELS = {
  all: LogLevel.All,
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warn: LogLevel.Warning,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
  none: LogLevel.None,
  off: LogLevel.None
} as const

type LevelName = keyof typeof LEVELS
const levelNames: ReadonlyArray<LevelName> = ["all", "trace", "debug", "info", "warn", "warning", "error", "fatal", "none", "off"]

export const logLevel: Config.Config<LogLevel.LogLevel> = choiceSetting(
  "LOG_LEVEL",
  levelNames,
  "info",
  "Lowest level logged: all, trace, debug, info, warning, error, fatal, none"
).pipe(Config.map((name) => LEVELS[name]))

export const logFormat: Config.Config<"json" | "pretty"> = choiceSetting(
  "LOG_FORMAT",
  ["json", "pretty"],
  "json",
  "`json` (one object per line, for log collectors) or `pretty` (for people); the sandbox is always pretty"
)

export interface ProbeAddress {
  readonly port: number
  readonly host: string
}

export const probeAddress: Config.Config<ProbeAddress> = Config.all({
  port: integerSetting("PROBE_PORT", 8080, "Port of /healthz, /readyz and /metrics (0: a free port)"),
  host: stringSetting("PROBE_BIND_ADDRESS", "0.0.0.0", "Address the probe and metrics port listens on")
})

export const shutdownGracePeriod: Config.Config<Duration.Duration> = durationSetting(
  "SHUTDOWN_GRACE_PERIOD",
  "20 seconds",
  "On SIGTERM, how long in-flight reconciles may run before they are interrupted (keep it under the pod's terminationGracePeriodSeconds)"
)

export interface LeaderElectionSettings {
  readonly namespace: string
  readonly name: string
  readonly identity: string
  readonly leaseDuration: Duration.Duration
  readonly renewDeadline: Duration.Duration
  readonly retryPeriod: Duration.Duration
  readonly releaseOnCancel: boolean
}

const SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

/** The pod's own namespace, as the service account token's directory tells it; absent outside a cluster. */
const podNamespace: Effect.Effect<Option.Option<string>> = Effect.sync(() => {
  try {
    const text = readFileSync(SERVICE_ACCOUNT_NAMESPACE, "utf8").trim()
    return text === "" ? Option.none() : Option.some(text)
  } catch {
    return Option.none()
  }
})

const electionSettings = Config.all({
  enabled: booleanSetting("LEADER_ELECTION", true, "Elect one active replica through a coordination.k8s.io Lease (`run`; off in the sandbox)"),
  namespace: optionalStringSetting("LEADER_ELECTION_NAMESPACE", "Namespace of the Lease (default: the pod's namespace, else `default`)"),
  name: stringSetting("LEADER_ELECTION_NAME", "oda-apim-operator", "Name of the Lease"),
  leaseDuration: durationSetting("LEADER_ELECTION_LEASE_DURATION", "15 seconds", "How long followers wait after the last renewal before taking over"),
  renewDeadline: durationSetting("LEADER_ELECTION_RENEW_DEADLINE", "10 seconds", "The leader stops reconciling when no renewal succeeded for this long"),
  retryPeriod: durationSetting("LEADER_ELECTION_RETRY_PERIOD", "2 seconds", "How often the Lease is renewed, or tried by followers"),
  releaseOnCancel: booleanSetting("LEADER_ELECTION_RELEASE_ON_CANCEL", true, "Give the Lease up on shutdown so a follower takes over at once")
})

/** client-go's rules: the leader must give up (renew deadline) before followers may take over (lease duration). */
const checkTimings = <A extends { readonly leaseDuration: Duration.Duration; readonly renewDeadline: Duration.Duration; readonly retryPeriod: Duration.Duration }>(
  s: A
): Either.Either<A, ConfigError.ConfigError> => {
  if (!Duration.greaterThan(s.leaseDuration, s.renewDeadline)) {
    return Either.left(ConfigError.InvalidData(["LEADER_ELECTION_LEASE_DURATION"], "LEADER_ELECTION_LEASE_DURATION must be longer than LEADER_ELECTION_RENEW_DEADLINE"))
  }
  if (!Duration.greaterThan(s.renewDeadline, Duration.times(s.retryPeriod, 1.2))) {
    return Either.left(ConfigError.InvalidData(["LEADER_ELECTION_RENEW_DEADLINE"], "LEADER_ELECTION_RENEW_DEADLINE must be longer than 1.2 × LEADER_ELECTION_RETRY_PERIOD"))
  }
  return Either.right(s)
}

/** The identity written into the Lease: the pod's name (its hostname) and a random suffix, unique per process. */
export const electionIdentity = (): string => `${hostname()}_${randomUUID()}`

/** Leader election as configured; none when turned off. */
export const leaderElection: Effect.Effect<Option.Option<LeaderElectionSettings>, ConfigError.ConfigError> = Effect.gen(function*() {
  const s = yield* electionSettings.pipe(Config.mapOrFail(checkTimings))
  if (!s.enabled) return Option.none()
  const namespace = Option.isSome(s.namespace) ? s.namespace.value : Option.getOrElse(yield* podNamespace, () => "default")
  return Option.some({
    namespace,
    name: s.name,
    identity: electionIdentity(),
    leaseDuration: s.leaseDuration,
    renewDeadline: s.renewDeadline,
    retryPeriod: s.retryPeriod,
    releaseOnCancel: s.releaseOnCancel
  })
})

export interface TracingSettings {
  /** Where spans are sent (OTLP/HTTP, JSON); none: no tracing. */
  readonly url: string
  readonly serviceName: string
}

const tracingEnv = Config.all({
  endpoint: optionalStringSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP/HTTP collector base URL; spans go to <url>/v1/traces (no tracing when unset)"),
  tracesEndpoint: optionalStringSetting("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTLP/HTTP traces URL, used as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT)"),
  serviceName: stringSetting("OTEL_SERVICE_NAME", "oda-apim-operator", "service.name of the exported spans")
})

export const tracing: Config.Config<Option.Option<TracingSettings>> = tracingEnv.pipe(
  Config.map(({ endpoint, serviceName, tracesEndpoint }) => {
    const url = Option.orElse(tracesEndpoint, () => Option.map(endpoint, (base) => `${base.replace(/\/+$/, "")}/v1/traces`))
    return Option.map(Option.filter(url, (u) => u.trim() !== ""), (u) => ({ url: u, serviceName }))
  })
)
