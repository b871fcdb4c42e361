/** Sets (or, with undefined, removes) environment variables; the returned function puts the old values back. */
export const setEnv = (vars: Readonly<Record<string, string | undefined>>): (() => void) => {
  const previous = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]))
  const apply = (values: Readonly<Record<string, string | undefined>>): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  apply(vars)
  return () => apply(previous)
}
