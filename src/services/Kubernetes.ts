import * as k8s from "@kubernetes/client-node"
import { Context, Effect, Layer, Option, Schema, type Stream } from "effect"
import {
  apiVersionOf,
  collectionPath,
  describe,
  KubeConflict,
  type KubeError,
  KubeNotFound,
  KubeObject,
  KubeRejected,
  KubeUnavailable,
  type KubeWatchExpired,
  type ListOptions,
  type ListResult,
  objectPath,
  type PatchBody,
  type ResourceRef,
  type WatchEvent
} from "./KubeResources.ts"
import { watchWith } from "./KubeWatch.ts"

/**
 * The Kubernetes API in our vocabulary: raw-JSON objects of any group, addressed by a ResourceRef, decoded at
 * the edge (metadata strictly, the rest as JSON for the domain to interpret), every failure a tagged error that
 * says what the caller should do. Built on @kubernetes/client-node's own transport and authentication for
 * every group (raw JSON: its typed models drop `x-kubernetes-*` keys and revive Dates), and its `Watch`.
 */

export interface KubernetesApi {
  readonly get: (ref: ResourceRef, namespace: string, name: string) => Effect.Effect<Option.Option<KubeObject>, KubeRejected | KubeUnavailable>
  readonly list: (ref: ResourceRef, options?: ListOptions) => Effect.Effect<ListResult, KubeNotFound | KubeRejected | KubeUnavailable>
  readonly create: (ref: ResourceRef, namespace: string, body: Record<string, unknown>) => Effect.Effect<KubeObject, KubeError>
  readonly replace: (ref: ResourceRef, namespace: string, name: string, body: Record<string, unknown>) => Effect.Effect<KubeObject, KubeError>
  readonly patch: (
    ref: ResourceRef,
    namespace: string,
    name: string,
    patch: PatchBody,
    options?: { readonly subresource?: "status" }
  ) => Effect.Effect<KubeObject, KubeError>
  /** Deletes; `false` when it was already gone. */
  readonly delete: (
    ref: ResourceRef,
    namespace: string,
    name: string,
    options?: { readonly propagationPolicy?: "Background" | "Foreground" | "Orphan"; readonly uid?: string }
  ) => Effect.Effect<boolean, KubeConflict | KubeRejected | KubeUnavailable>
  /** Watches from a resourceVersion; ends when the server ends the watch, fails with KubeWatchExpired on 410. */
  readonly watch: (
    ref: ResourceRef,
    options: ListOptions & { readonly resourceVersion: string }
  ) => Stream.Stream<WatchEvent, KubeWatchExpired | KubeRejected | KubeUnavailable>
  /** Whether the served version declares a `/status` subresource (the ODA Canvas CRD does not). */
  readonly hasStatusSubresource: (ref: ResourceRef) => Effect.Effect<boolean, KubeRejected | KubeUnavailable>
}

export class Kubernetes extends Context.Tag("oda/Kubernetes")<Kubernetes, KubernetesApi>() {}

// ---- the client-node implementation ----

interface Reply {
  readonly status: number
  readonly body: unknown
}

/** The answer as JSON, or its text when it is not JSON (an error page from a proxy, say). */
const safeParse = (text: string): unknown => Option.getOrElse(Schema.decodeUnknownOption(Schema.parseJson())(text), () => text)

const messageOf = (body: unknown, status: number): string =>
  typeof body === "object" && body !== null && "message" in body && typeof body.message === "string" ? body.message : `HTTP ${status}`

const transportMessage = (cause: unknown): string =>
  cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? `: ${cause.cause.message}` : ""}` : String(cause)

const classify = (operation: string, resource: string, reply: Reply): KubeError => {
  const fields = { operation, resource, status: reply.status, message: messageOf(reply.body, reply.status) }
  if (reply.status === 404) return new KubeNotFound(fields)
  if (reply.status === 409) return new KubeConflict(fields)
  if (reply.status >= 400 && reply.status < 500 && reply.status !== 408 && reply.status !== 429) return new KubeRejected(fields)
  return new KubeUnavailable(fields)
}

const decodeObject = (operation: string, resource: string) => (value: unknown): Effect.Effect<KubeObject, KubeUnavailable> =>
  Schema.decodeUnknown(KubeObject)(value).pipe(
    Effect.mapError((error) => new KubeUnavailable({ operation, resource, message: `undecodable object: ${error.message}` }))
  )

const contentTypes = { merge: k8s.PatchStrategy.MergePatch, json: k8s.PatchStrategy.JsonPatch } as const

export const make = (kc: k8s.KubeConfig): KubernetesApi => {
  const transport = new k8s.IsomorphicFetchHttpLibrary()
  // client-node 2.0 builds a new undici Agent for every request to a cluster with TLS settings (a CA, client
  // certificates, skip-verify): a new connection (and TLS handshake) per request, and an Agent with its queues and
  // idle socket left to the garbage collector. The first one is kept, so connections are pooled and kept alive.
  let dispatcher: ReturnType<k8s.RequestContext["getDispatcher"]>

  /**
   * One request through client-node's own transport: the kubeconfig's authentication (tokens, exec plugins,
   * client certificates), TLS settings and proxy, with JSON in and out.
   */
  const request = (
    operation: string,
    resource: string,
    method: k8s.HttpMethod,
    path: string,
    options: { readonly query?: Readonly<Record<string, string | undefined>>; readonly body?: unknown; readonly contentType?: string } = {}
  ): Effect.Effect<unknown, KubeError> =>
    Effect.tryPromise({
      try: async (signal) => {
        const server = kc.getCurrentCluster()?.server ?? ""
        const context = new k8s.RequestContext(`${server}${path}`, method)
        for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) context.setQueryParam(key, value)
        context.setHeaderParam("Accept", "application/json")
        if (options.body !== undefined) {
          context.setHeaderParam("Content-Type", options.contentType ?? "application/json")
          context.setBody(JSON.stringify(options.body))
        }
        context.setSignal(signal)
        await kc.applySecurityAuthentication(context)
        const fresh = context.getDispatcher()
        if (fresh !== undefined) {
          dispatcher ??= fresh
          if (fresh !== dispatcher) {
            context.setDispatcher(dispatcher)
            void fresh.close()
          }
        }
        const response = await transport.send(context).toPromise()
        return { status: response.httpStatusCode, body: safeParse(await response.body.text()) }
      },
      catch: (cause) => new KubeUnavailable({ operation, resource, message: transportMessage(cause) })
    }).pipe(
      Effect.flatMap((reply) => (reply.status >= 200 && reply.status < 300 ? Effect.succeed(reply.body) : Effect.fail(classify(operation, resource, reply)))),
      Effect.withSpan(`Kubernetes.${operation}`, { attributes: { resource } })
    )

  const unexpectedConflict = (e: KubeConflict) => Effect.fail(new KubeUnavailable({ ...e, message: `unexpected conflict: ${e.message}` }))

  const get: KubernetesApi["get"] = (ref, namespace, name) => {
    const resource = describe(ref, namespace, name)
    return request("get", resource, k8s.HttpMethod.GET, objectPath(ref, namespace, name)).pipe(
      Effect.flatMap(decodeObject("get", resource)),
      Effect.map(Option.some),
      Effect.catchTags({ KubeNotFound: () => Effect.succeedNone, KubeConflict: unexpectedConflict })
    )
  }

  const list: KubernetesApi["list"] = (ref, options = {}) => {
    const resource = describe(ref, options.namespace)
    return request("list", resource, k8s.HttpMethod.GET, collectionPath(ref, options.namespace), {
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector }
    }).pipe(
      Effect.flatMap((raw) =>
        Schema.decodeUnknown(ListEnvelope)(raw).pipe(
          Effect.mapError((e) => new KubeUnavailable({ operation: "list", resource, message: `undecodable list: ${e.message}` }))
        )
      ),
      Effect.flatMap((envelope) =>
        Effect.forEach(envelope.items, decodeObject("list", resource)).pipe(
          Effect.map((items) => ({ items, resourceVersion: envelope.metadata.resourceVersion ?? "" }))
        )
      ),
      Effect.catchTag("KubeConflict", unexpectedConflict)
    )
  }

  const create: KubernetesApi["create"] = (ref, namespace, body) => {
    const resource = describe(ref, namespace)
    return request("create", resource, k8s.HttpMethod.POST, collectionPath(ref, namespace), { body }).pipe(
      Effect.flatMap(decodeObject("create", resource))
    )
  }

  const replace: KubernetesApi["replace"] = (ref, namespace, name, body) => {
    const resource = describe(ref, namespace, name)
    return request("replace", resource, k8s.HttpMethod.PUT, objectPath(ref, namespace, name), { body }).pipe(
      Effect.flatMap(decodeObject("replace", resource))
    )
  }

  const patch: KubernetesApi["patch"] = (ref, namespace, name, body, options = {}) => {
    const resource = describe(ref, namespace, name)
    const operation = options.subresource === "status" ? "patchStatus" : "patch"
    const path = `${objectPath(ref, namespace, name)}${options.subresource === "status" ? "/status" : ""}`
    return request(operation, resource, k8s.HttpMethod.PATCH, path, { body: body.body, contentType: contentTypes[body.type] }).pipe(
      Effect.flatMap(decodeObject(operation, resource))
    )
  }

  const remove: KubernetesApi["delete"] = (ref, namespace, name, options = {}) =>
    request("delete", describe(ref, namespace, name), k8s.HttpMethod.DELETE, objectPath(ref, namespace, name), {
      body: {
        kind: "DeleteOptions",
        apiVersion: "v1",
        ...(options.propagationPolicy === undefined ? {} : { propagationPolicy: options.propagationPolicy }),
        ...(options.uid === undefined ? {} : { preconditions: { uid: options.uid } })
      }
    }).pipe(
      Effect.as(true),
      Effect.catchTag("KubeNotFound", () => Effect.succeed(false))
    )

  const hasStatusSubresource: KubernetesApi["hasStatusSubresource"] = (ref) => {
    const groupVersion = apiVersionOf(ref)
    const path = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`
    return request("discover", groupVersion, k8s.HttpMethod.GET, path).pipe(
      Effect.flatMap((raw) =>
        Schema.decodeUnknown(ResourceList)(raw).pipe(
          Effect.mapError((e) => new KubeUnavailable({ operation: "discover", resource: groupVersion, message: e.message }))
        )
      ),
      Effect.map((resources) => resources.resources.some((r) => r.name === `${ref.plural}/status`)),
      Effect.catchTags({
        KubeNotFound: (e) => Effect.fail(new KubeRejected({ ...e, message: `the API ${groupVersion} is not served: is the ${ref.kind} CRD installed?` })),
        KubeConflict: unexpectedConflict
      })
    )
  }

  return { get, list, create, replace, patch, delete: remove, watch: watchWith(kc), hasStatusSubresource }
}

const ListEnvelope = Schema.Struct({
  metadata: Schema.Struct({ resourceVersion: Schema.optional(Schema.String) }),
  items: Schema.Array(Schema.Unknown)
})

const ResourceList = Schema.Struct({ resources: Schema.Array(Schema.Struct({ name: Schema.String })) })

/** The service over a loaded KubeConfig (in-cluster, KUBECONFIG, or the sandbox's kubeconfig). */
export const layer = (kc: k8s.KubeConfig): Layer.Layer<Kubernetes> => Layer.succeed(Kubernetes, make(kc))
