import { Effect, Option } from "effect"

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

/**
 * Reads a shared entity; when it is not in order, reads it again under the key's lock and converges from that
 * reading. Reconciles that find the same entity missing at the same moment create it once, and an entity in order
 * costs one read and no lock. None when either reading found it in order.
 */
export const convergeOnce = <S, A, E, R>(
  lock: KeyedLock,
  key: string,
  read: Effect.Effect<S, E, R>,
  inOrder: (state: S) => boolean,
  converge: (state: S) => Effect.Effect<A, E, R>
): Effect.Effect<Option.Option<A>, E, R> =>
  Effect.flatMap(read, (first) =>
    inOrder(first)
      ? Effect.succeedNone
      : lock(key)(Effect.flatMap(read, (again) => (inOrder(again) ? Effect.succeedNone : Effect.asSome(converge(again))))))
