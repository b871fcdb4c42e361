import { afterEach, describe, expect, it, vi } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer } from "effect"
import { logging } from "../../src/layers/Logging.ts"

const withEnv = (env: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

/** Logs a debug, an info and an annotated warning through the layer; returns what reached console.log and console.error. */
const logThrough = (layer: Layer.Layer<never, unknown>) =>
  Effect.gen(function*() {
    const out = vi.spyOn(console, "log").mockImplementation(() => {})
    const err = vi.spyOn(console, "error").mockImplementation(() => {})
    yield* Effect.gen(function*() {
      yield* Effect.logDebug("a step")
      yield* Effect.logInfo("started")
      yield* Effect.logWarning("retrying").pipe(Effect.annotateLogs({ namespace: "components", name: "r1-catalog", component: "r1" }))
    }).pipe(Effect.provide(layer))
    const lines = (calls: ReadonlyArray<ReadonlyArray<unknown>>) => calls.map((args) => args.map(String).join(" "))
    return { stdout: lines(out.mock.calls), stderr: lines(err.mock.calls) }
  })

describe("Logging", () => {
  afterEach(() => vi.restoreAllMocks())

  it.effect("run: one JSON object per line on stdout, annotations kept as fields, info and above by default", () =>
    Effect.gen(function*() {
      const { stderr, stdout } = yield* logThrough(logging().pipe(Layer.provide(withEnv({}))))
      expect(stderr).toEqual([])
      const lines = stdout.map((line) => JSON.parse(line))
      expect(lines.map((l) => [l.logLevel, l.message])).toEqual([["INFO", "started"], ["WARN", "retrying"]])
      expect(lines[1].annotations).toEqual({ namespace: "components", name: "r1-catalog", component: "r1" })
    }))

  it.effect("LOG_LEVEL sets the floor and LOG_FORMAT=pretty writes for people", () =>
    Effect.gen(function*() {
      const { stdout } = yield* logThrough(logging().pipe(Layer.provide(withEnv({ LOG_LEVEL: "warning", LOG_FORMAT: "pretty" }))))
      const text = stdout.join("\n")
      expect(text).toContain("WARN")
      expect(text).toContain("retrying")
      expect(text).not.toContain("started")
      expect(() => JSON.parse(stdout[0] ?? "")).toThrow()
    }))

  it.effect("the sandbox logs pretty lines on stderr, whatever LOG_FORMAT says, so stdout stays the view's", () =>
    Effect.gen(function*() {
      const { stderr, stdout } = yield* logThrough(logging({ sandbox: true }).pipe(Layer.provide(withEnv({ LOG_FORMAT: "json", LOG_LEVEL: "debug" }))))
      expect(stdout).toEqual([])
      expect(stderr.join("\n")).toContain("a step")
      expect(stderr).toContain("component: r1")
    }))

  it.effect("a wrong LOG_LEVEL fails start-up naming the setting and the choices", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.void.pipe(Effect.provide(logging().pipe(Layer.provide(withEnv({ LOG_LEVEL: "loud" }))))))
      expect(Exit.isFailure(exit) && String(exit.cause)).toContain("LOG_LEVEL must be one of all, trace, debug, info")
    }))
})
