import * as k8s from "@kubernetes/client-node"
import { Effect, Option, Schema, Stream } from "effect"
import {
  collectionPath,
  describe,
  KubeObject,
  KubeRejected,
  KubeUnavailable,
  KubeWatchExpired,
  type ListOptions,
  type ResourceRef,
  type WatchEvent
} from "./KubeResources.ts"

const BookmarkObject = Schema.Struct({ metadata: Schema.Struct({ resourceVersion: Schema.String }) })

const statusCodeOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : undefined

const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ""}` : String(error)

/** client-node's own inactivity timeout: nothing received on the watch for this long (it defaults to 30 s). */
const isInactivityTimeout = (error: unknown): boolean => error instanceof Error && error.name === "TimeoutError"

/**
 * One watch, from a resourceVersion, through client-node's `Watch` (bookmarks requested). The stream ends when
 * the server ends the watch cleanly, and when client-node gives up on a quiet one (its inactivity timeout, 30 s,
 * is shorter than the minute an API server may go without an event or a bookmark): either way the informer above
 * resumes from the last resourceVersion instead of listing everything again. It fails with KubeWatchExpired on
 * 410 (HTTP or ERROR event), so the informer can tell "resume" from "list again". Undecodable objects are
 * skipped, never fatal.
 */
export const watchWith = (kc: k8s.KubeConfig, tuning: { readonly inactivityTimeoutMs?: number } = {}) =>
(
  ref: ResourceRef,
  options: ListOptions & { readonly resourceVersion: string }
): Stream.Stream<WatchEvent, KubeWatchExpired | KubeRejected | KubeUnavailable> => {
  const resource = describe(ref, options.namespace)
  return Stream.asyncScoped<WatchEvent, KubeWatchExpired | KubeRejected | KubeUnavailable>((emit) => {
    const onEvent = (type: string, object: unknown): void => {
      if (type === "ERROR") {
        const code = typeof object === "object" && object !== null && "code" in object ? object.code : undefined
        void emit.fail(
          code === 410
            ? new KubeWatchExpired({ resource })
            : new KubeUnavailable({ operation: "watch", resource, message: `watch error event: ${JSON.stringify(object)}` })
        )
      } else if (type === "BOOKMARK") {
        const bookmark = Schema.decodeUnknownOption(BookmarkObject)(object)
        if (Option.isSome(bookmark)) void emit.single({ type: "BOOKMARK", resourceVersion: bookmark.value.metadata.resourceVersion })
      } else if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") {
        const decoded = Schema.decodeUnknownOption(KubeObject)(object)
        if (Option.isSome(decoded)) void emit.single({ type, object: decoded.value })
      }
    }
    const onDone = (error: unknown): void => {
      if (error === null || error === undefined || isInactivityTimeout(error)) {
        void emit.end()
        return
      }
      const status = statusCodeOf(error)
      void emit.fail(
        status === 410
          ? new KubeWatchExpired({ resource })
          : status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429
          ? new KubeRejected({ operation: "watch", resource, status, message: `watch refused: HTTP ${status}` })
          : new KubeUnavailable({ operation: "watch", resource, message: messageOf(error), ...(status === undefined ? {} : { status }) })
      )
    }
    return Effect.acquireRelease(
      Effect.tryPromise({
        try: () => {
          const watch = new k8s.Watch(kc)
          // a private field in client-node 2.0.1's typings; tests shorten it rather than wait 30 s
          if (tuning.inactivityTimeoutMs !== undefined) Reflect.set(watch, "requestTimeoutMs", tuning.inactivityTimeoutMs)
          return watch.watch(
            collectionPath(ref, options.namespace),
            {
              resourceVersion: options.resourceVersion,
              allowWatchBookmarks: true,
              labelSelector: options.labelSelector,
              fieldSelector: options.fieldSelector
            },
            onEvent,
            onDone
          )
        },
        catch: (cause) => new KubeUnavailable({ operation: "watch", resource, message: messageOf(cause) })
      }),
      (controller) => Effect.sync(() => controller.abort())
    )
  })
}
