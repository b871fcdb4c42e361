/** Polls `check` every `everyMs` until it holds; throws `what` after `timeoutMs`. */
export const waitUntil = async (what: string, check: () => boolean, timeoutMs: number, everyMs = 50): Promise<void> => {
  const deadline = performance.now() + timeoutMs
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`)
    await sleep(everyMs)
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Seconds since `since` (a performance.now() reading). */
export const secondsSince = (since: number): number => (performance.now() - since) / 1000

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits))
