import { Config, ConfigError, Duration, Either } from "effect"

/**
 * Every environment setting the operator reads, declared once with its default and description: the Config that
 * reads it and the line of the README's configuration reference come from the same declaration (a test keeps the
 * README in step with `documentedSettings`).
 */
export interface SettingDoc {
  readonly name: string
  readonly default: string | undefined
  readonly description: string
}

const documented: Array<SettingDoc> = []

const declare = <A>(name: string, defaultText: string | undefined, description: string, config: Config.Config<A>): Config.Config<A> => {
  if (!documented.some((d) => d.name === name)) documented.push({ name, default: defaultText, description })
  return config.pipe(Config.withDescription(description))
}

export const documentedSettings = (): ReadonlyArray<SettingDoc> => [...documented]

export const stringSetting = (name: string, defaultValue: string, description: string): Config.Config<string> =>
  declare(name, defaultValue, description, Config.string(name).pipe(Config.withDefault(defaultValue)))

export const optionalStringSetting = (name: string, description: string) =>
  declare(name, undefined, description, Config.option(Config.string(name)))

export const integerSetting = (name: string, defaultValue: number, description: string): Config.Config<number> =>
  declare(name, String(defaultValue), description, Config.integer(name).pipe(Config.withDefault(defaultValue)))

export const numberSetting = (name: string, defaultValue: number, description: string): Config.Config<number> =>
  declare(name, String(defaultValue), description, Config.number(name).pipe(Config.withDefault(defaultValue)))

export const booleanSetting = (name: string, defaultValue: boolean, description: string): Config.Config<boolean> =>
  declare(name, String(defaultValue), description, Config.boolean(name).pipe(Config.withDefault(defaultValue)))

const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [["week", 604_800_000], ["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000], ["second", 1000]]

/** A duration as the setting reads one back ("10 minutes", "1500 millis"): Duration.format's "10m" would not parse. */
export const durationText = (duration: Duration.Duration): string => {
  const millis = Duration.toMillis(duration)
  const [unit, size] = DURATION_UNITS.find(([, size]) => millis >= size && millis % size === 0) ?? ["milli", 1]
  const count = millis / size
  return `${count} ${unit}${count === 1 ? "" : "s"}`
}

export const durationSetting = (name: string, defaultValue: Duration.DurationInput, description: string): Config.Config<Duration.Duration> =>
  declare(name, durationText(Duration.decode(defaultValue)), description, Config.duration(name).pipe(Config.withDefault(Duration.decode(defaultValue))))

/** A comma-separated list; empty when unset. */
export const listSetting = (name: string, description: string): Config.Config<ReadonlyArray<string>> =>
  declare(
    name,
    undefined,
    description,
    Config.string(name).pipe(
      Config.withDefault(""),
      Config.map((text) => text.split(",").map((s) => s.trim()).filter((s) => s !== ""))
    )
  )

/** One of a fixed set of words, matched case-insensitively; a wrong one names the setting and the choices. */
export const choiceSetting = <const A extends string>(
  name: string,
  choices: ReadonlyArray<A>,
  defaultValue: A,
  description: string
): Config.Config<A> =>
  declare(
    name,
    defaultValue,
    description,
    Config.string(name).pipe(
      Config.withDefault(defaultValue),
      Config.mapOrFail((text) => {
        const choice = choices.find((c) => c === text.trim().toLowerCase())
        return choice === undefined
          ? Either.left(ConfigError.InvalidData([name], `${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`))
          : Either.right(choice)
      })
    )
  )
