import * as http from "node:http"
import * as https from "node:https"
import type { AddressInfo } from "node:net"
import { parse as parseYaml } from "yaml"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import type { FieldValidation } from "./Admission.ts"
import { apiGroup, apiGroupList, apiResourceList, coreVersions, versionInfo } from "./Discovery.ts"
import { RequestFaults } from "./Faults.ts"
import { decodeKubeProtobuf, KUBE_PROTOBUF } from "./KubeProtobuf.ts"
import { openApi } from "./OpenApi.ts"
import { patchTypeOf } from "./Patch.ts"
import { RequestLog } from "./RequestLog.ts"
import { route } from "./Router.ts"
import { badRequest, methodNotAllowed, notFoundPath, statusFor, StatusError, unsupportedMediaType, type Status } from "./Status.ts"
import type { Store } from "./Store.ts"
import type { DeleteOptions, PropagationPolicy, Scope } from "./StoreTypes.ts"
import { represent, representationOf, watchTransform } from "./Representation.ts"
import type { ResourceType } from "./ResourceType.ts"
import { WatchConnections } from "./WatchConnections.ts"

export interface HttpFrontOptions {
  readonly host?: string
  readonly port?: number
  /** Serve HTTPS with this certificate instead of plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string }
  /** How often watches that asked for bookmarks get one (the real server: about a minute). */
  readonly bookmarkIntervalMs?: number
}

interface Reply {
  readonly status: number
  readonly body: Json
  /** A non-JSON body (protobuf), sent instead of `body`; its Content-Type comes in `headers`. */
  readonly raw?: Uint8Array
  readonly headers?: Readonly<Record<string, string>>
}

// the installer's order: strategic merge (built-ins only) comes before apply
const CUSTOM_PATCH_ACCEPTED = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
const BUILTIN_PATCH_ACCEPTED = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml"
]

/** A request body as received, and as text for the JSON and YAML content types. */
interface RequestBody {
  readonly bytes: Buffer
  readonly text: string
}

const readBody = (request: http.IncomingMessage): Promise<RequestBody> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      const bytes = Buffer.concat(chunks)
      resolve({ bytes, text: bytes.toString("utf8") })
    })
    request.on("error", reject)
  })

const isProtobuf = (contentType: string | undefined): boolean => contentType?.startsWith(KUBE_PROTOBUF) === true

const parseBody = (text: string, contentType: string): Json => {
  if (text.trim() === "") return null
  try {
    if (contentType.includes("yaml")) {
      const parsed: Json = parseYaml(text)
      return parsed
    }
    const parsed: Json = JSON.parse(text)
    return parsed
  } catch (error) {
    throw badRequest(`error decoding request body: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Create, update and delete bodies: JSON or YAML, or for built-ins the protobuf client-go's typed clients send. */
const objectBody = (type: ResourceType, body: RequestBody, contentType: string): Json => {
  if (!isProtobuf(contentType)) return parseBody(body.text, contentType)
  if (type.custom) throw unsupportedMediaType(["application/json", "application/yaml"])
  return decodeKubeProtobuf(body.bytes)
}

const flag = (query: URLSearchParams, name: string): boolean => {
  const value = query.get(name)
  return value === "true" || value === "1"
}

const optionalInt = (query: URLSearchParams, name: string): number | undefined => {
  const value = query.get(name)
  if (value === null || value === "") return undefined
  const n = Number(value)
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${value}`)
  return n
}

const dryRunOf = (query: URLSearchParams): boolean => {
  const values = query.getAll("dryRun")
  for (const v of values) if (v !== "All") throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`)
  return values.length > 0
}

const fieldValidationOf = (query: URLSearchParams): FieldValidation | undefined => {
  const value = query.get("fieldValidation")
  if (value === null || value === "") return undefined
  if (value === "Ignore" || value === "Warn" || value === "Strict") return value
  throw badRequest(`fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`)
}

const propagationOf = (value: Json | undefined): PropagationPolicy | undefined => {
  if (value === undefined || value === null || value === "") return undefined
  if (value === "Background" || value === "Foreground" || value === "Orphan") return value
  throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(value)}: supported values: "Foreground", "Background", "Orphan"`)
}

const deleteOptionsOf = (query: URLSearchParams, body: Json): DeleteOptions => {
  const options: JsonObject = isJsonObject(body) ? body : {}
  const pre = options["preconditions"]
  const preconditions: JsonObject = isJsonObject(pre) ? pre : {}
  const orphanQuery = query.get("orphanDependents")
  const orphanBody = options["orphanDependents"]
  const dryRunBody = options["dryRun"]
  return {
    propagationPolicy: propagationOf(query.get("propagationPolicy") ?? options["propagationPolicy"]),
    orphanDependents: orphanQuery !== null ? orphanQuery === "true" : typeof orphanBody === "boolean" ? orphanBody : undefined,
    preconditions: {
      uid: typeof preconditions["uid"] === "string" ? preconditions["uid"] : undefined,
      resourceVersion: typeof preconditions["resourceVersion"] === "string" ? preconditions["resourceVersion"] : undefined
    },
    dryRun: dryRunOf(query) || (isJsonArray(dryRunBody) && dryRunBody.includes("All"))
  }
}

const statusReply = (status: Status): Reply => ({ status: status.code, body: status })

/**
 * The Kubernetes API emulator's HTTP door: kube-apiserver's paths, verbs, content types and Status errors over
 * the store, plus discovery and OpenAPI for kubectl, a request log and fault injection.
 */
export class HttpFront {
  readonly log = new RequestLog()
  readonly faults = new RequestFaults()
  readonly watches: WatchConnections
  private readonly store: Store
  private readonly options: HttpFrontOptions
  private readonly server: http.Server
  private address = ""

  constructor(store: Store, options: HttpFrontOptions = {}) {
    this.store = store
    this.options = options
    this.watches = new WatchConnections(store)
    const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.send(response, statusReply(statusFor(500, String(error)).status))
        else response.destroy()
      })
    }
    this.server = options.tls === undefined
      ? http.createServer({ keepAliveTimeout: 65_000 }, listener)
      : https.createServer({ keepAliveTimeout: 65_000, cert: options.tls.cert, key: options.tls.key }, listener)
  }

  get url(): string {
    return this.address
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject)
      this.server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => {
        const { port } = this.server.address() as AddressInfo
        this.address = `${this.options.tls === undefined ? "http" : "https"}://${this.options.host ?? "127.0.0.1"}:${port}`
        resolve(this.address)
      })
    })
  }

  close(): Promise<void> {
    this.watches.closeAll("clean")
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readBody(request)
    const url = new URL(request.url ?? "/", "http://emulator")
    const method = (request.method ?? "GET").toUpperCase()
    const contentType = request.headers["content-type"]
    const parsedRoute = route(url.pathname)
    const watch = parsedRoute.kind === "resource" && (flag(url.searchParams, "watch") || parsedRoute.legacyWatch)
    const entry = this.log.record({
      at: Date.now(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType,
      body: isProtobuf(contentType) ? body.bytes.toString("base64") : body.text,
      userAgent: request.headers["user-agent"],
      status: 0
    })
    const facts = { method, path: url.pathname, watch }
    const stall = this.faults.takeStall(facts)
    if (stall > 0) await new Promise((resolve) => setTimeout(resolve, stall))
    const failure = this.faults.takeFailure(facts)
    if (failure !== undefined) {
      entry.status = failure.status
      this.send(response, statusReply(statusFor(failure.status, failure.message).status))
      return
    }
    try {
      if (parsedRoute.kind === "resource" && watch && method === "GET") {
        const scope = this.scope(parsedRoute.group, parsedRoute.version, parsedRoute.plural, parsedRoute.namespace)
        if (parsedRoute.name !== undefined) throw methodNotAllowed()
        const representation = representationOf(request.headers.accept ?? "", "watch")
        const transform = watchTransform(scope, representation, url.searchParams)
        entry.status = 200
        this.watches.serve(response, scope, {
          transform,
          contentType: representation.contentType,
          resourceVersion: url.searchParams.get("resourceVersion") ?? undefined,
          labelSelector: url.searchParams.get("labelSelector") ?? undefined,
          fieldSelector: url.searchParams.get("fieldSelector") ?? undefined,
          timeoutSeconds: optionalInt(url.searchParams, "timeoutSeconds"),
          allowBookmarks: flag(url.searchParams, "allowWatchBookmarks"),
          bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 60_000
        })
        return
      }
      const reply = parsedRoute.kind === "resource"
        ? this.resource(method, parsedRoute, url.searchParams, body, contentType ?? "application/json", request.headers.accept ?? "")
        : this.discovery(parsedRoute.kind === "discovery" ? parsedRoute.path : url.pathname, request)
      entry.status = reply.status
      this.send(response, reply)
    } catch (error) {
      const status = error instanceof StatusError ? error.status : statusFor(500, String(error)).status
      entry.status = status.code
      this.send(response, statusReply(status))
    }
  }

  private send(response: http.ServerResponse, reply: Reply): void {
    const body = reply.raw ?? JSON.stringify(reply.body)
    response.writeHead(reply.status, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Content-Length": Buffer.byteLength(body),
      ...reply.headers
    })
    response.end(body)
  }

  private scope(group: string, version: string, plural: string, namespace: string): Scope {
    const type = this.store.registry.lookup(group, version, plural)
    if (type === undefined) throw notFoundPath()
    if (!type.namespaced && namespace !== "") throw notFoundPath()
    return { type, version, namespace }
  }

  private discovery(path: string, request: http.IncomingMessage): Reply {
    const found = (body: JsonObject | undefined): Reply => {
      if (body === undefined) throw notFoundPath()
      return { status: 200, body }
    }
    const segments = path.split("/").filter((s) => s !== "")
    if (path === "/version" || path === "/version/") return found(versionInfo())
    if (path === "/healthz" || path === "/readyz" || path === "/livez") return { status: 200, body: "ok" }
    if (segments[0] === "openapi") {
      const reply = openApi(this.store.registry, segments.slice(1), request.headers.accept ?? "")
      if (reply === undefined) throw notFoundPath()
      return reply
    }
    if (segments[0] === "api" && segments.length === 1) return found(coreVersions(request.headers.host ?? "127.0.0.1"))
    if (segments[0] === "api" && segments[1] === "v1") return found(apiResourceList(this.store.registry, "", "v1"))
    if (segments[0] === "apis" && segments.length === 1) return found(apiGroupList(this.store.registry))
    if (segments[0] === "apis" && segments.length === 2) return found(apiGroup(this.store.registry, segments[1] ?? ""))
    if (segments[0] === "apis" && segments.length === 3) return found(apiResourceList(this.store.registry, segments[1] ?? "", segments[2] ?? ""))
    throw notFoundPath()
  }

  private resource(
    method: string,
    target: { readonly group: string; readonly version: string; readonly plural: string; readonly namespace: string; readonly name: string | undefined; readonly subresource: string | undefined },
    query: URLSearchParams,
    body: RequestBody,
    contentType: string,
    accept: string
  ): Reply {
    const scope = this.scope(target.group, target.version, target.plural, target.namespace)
    const { name, subresource } = target
    if (subresource !== undefined && !(subresource === "status" && scope.type.statusSubresource) && !(subresource === "finalize" && target.plural === "namespaces")) {
      throw notFoundPath()
    }
    const write = {
      dryRun: dryRunOf(query),
      fieldValidation: fieldValidationOf(query),
      fieldManager: query.get("fieldManager") ?? undefined,
      subresource: subresource === "status" ? ("status" as const) : undefined
    }
    const withWarnings = (status: number, result: { readonly object: JsonObject; readonly warnings: ReadonlyArray<string> }): Reply => ({
      status,
      body: result.object,
      ...(result.warnings.length === 0 ? {} : { headers: { Warning: result.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ") } })
    })
    if (name === undefined) {
      if (method === "GET") {
        const list = this.store.list(scope, {
          labelSelector: query.get("labelSelector") ?? undefined,
          fieldSelector: query.get("fieldSelector") ?? undefined,
          limit: optionalInt(query, "limit"),
          continue: query.get("continue") ?? undefined
        })
        const representation = representationOf(accept, "list")
        return { status: 200, body: represent(scope, list, representation, query), headers: { "Content-Type": representation.contentType } }
      }
      if (method === "POST") {
        if (target.namespace === "" && scope.type.namespaced) throw methodNotAllowed()
        return withWarnings(201, this.store.create(scope, objectBody(scope.type, body, contentType), write))
      }
      if (method === "DELETE") {
        const options = deleteOptionsOf(query, objectBody(scope.type, body, contentType))
        return {
          status: 200,
          body: this.store.deleteCollection(scope, { labelSelector: query.get("labelSelector") ?? undefined, fieldSelector: query.get("fieldSelector") ?? undefined }, options)
        }
      }
      throw methodNotAllowed()
    }
    switch (method) {
      case "GET": {
        const representation = representationOf(accept, "object")
        return { status: 200, body: represent(scope, this.store.get(scope, name), representation, query), headers: { "Content-Type": representation.contentType } }
      }
      case "PUT": {
        const result = this.store.replace(scope, name, objectBody(scope.type, body, contentType), write)
        return withWarnings(result.created ? 201 : 200, result)
      }
      case "PATCH": {
        const patchType = patchTypeOf(contentType)
        if (patchType === undefined) throw unsupportedMediaType(scope.type.custom ? CUSTOM_PATCH_ACCEPTED : BUILTIN_PATCH_ACCEPTED)
        const result = this.store.patch(scope, name, patchType, parseBody(body.text, patchType === "apply" ? "yaml" : "json"), {
          ...write,
          force: query.has("force") ? flag(query, "force") : undefined
        })
        return withWarnings(result.created ? 201 : 200, result)
      }
      case "DELETE": {
        const result = this.store.delete(scope, name, deleteOptionsOf(query, objectBody(scope.type, body, contentType)))
        return { status: result.code, body: result.body }
      }
      default:
        throw methodNotAllowed()
    }
  }
}
