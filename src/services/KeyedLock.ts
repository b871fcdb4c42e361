import { Effect } from "effect"

/** Runs effects one at a time per key; keys with no effect running or waiting cost nothing. */
export type KeyedLock = (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/**
 * A lock per key, made when first wanted and dropped when its last user leaves. Meant for a handful of waiters per
 * key (the reconciles creating one shared APIM entity at the same moment): Effect's Semaphore wakes every waiter on
 * each release, which is fine at that scale.
 */
export const makeKeyedLock = (): KeyedLock => {
  const locks = new Map<string, { readonly semaphore: Effect.Semaphore; users: number }>()
  return (key) => (effect) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const entry = locks.get(key) ?? { semaphore: Effect.unsafeMakeSemaphore(1), users: 0 }
        entry.users += 1
        locks.set(key, entry)
        return entry
      }),
      (entry) => entry.semaphore.withPermits(1)(effect),
      (entry) =>
        Effect.sync(() => {
          entry.users -= 1
          if (entry.users === 0) locks.delete(key)
        })
    )
}
