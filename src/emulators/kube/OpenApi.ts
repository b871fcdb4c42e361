import type { Json } from "../Json.ts"
import { encodeOpenApiV2 } from "./OpenApiProto.ts"
import { openApiV2Document } from "./OpenApiV2.ts"
import { openApiV3GroupVersion, openApiV3Index } from "./OpenApiV3.ts"
import { statusFor } from "./Status.ts"
import type { TypeRegistry } from "./TypeRegistry.ts"

/** A response of the OpenAPI endpoints: JSON, or protobuf bytes in `raw` with their content type. */
export interface OpenApiReply {
  readonly status: number
  readonly body: Json
  readonly raw?: Uint8Array
  readonly headers: Readonly<Record<string, string>>
}

/**
 * Gnostic protobuf for `/openapi/v2`, asked for by either of its names; kube-openapi always answers with the
 * second, because Go's mime parser (kubectl 1.20 runs the response through it) rejects the `@`.
 */
const PROTOBUF_V2 = ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"]
const PROTOBUF_V2_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

const mediaTypes = (accept: string): ReadonlyArray<string> =>
  accept.split(",").map((part) => (part.split(";")[0] ?? "").trim().toLowerCase()).filter((t) => t !== "")

const acceptsJson = (types: ReadonlyArray<string>): boolean =>
  types.length === 0 || types.some((t) => t === "application/json" || t === "application/*" || t === "*/*")

const json = (body: Json): OpenApiReply => ({ status: 200, body, headers: { "Content-Type": "application/json" } })

const notAcceptable = (): OpenApiReply => {
  const { status } = statusFor(406, "only the following media types are accepted: application/json, " + PROTOBUF_V2.join(", "))
  return { status: 406, body: { ...status, reason: "NotAcceptable" }, headers: { "Content-Type": "application/json" } }
}

/**
 * `/openapi/v2` and `/openapi/v3[/…]` (`path` is what follows `/openapi/`), negotiated on Accept: the v2 document
 * as protobuf when the client lists it (kubectl lists nothing else), JSON otherwise; v3 is JSON only, as kubectl
 * requests it. Undefined for paths that hold no document (404).
 */
export const openApi = (registry: TypeRegistry, path: ReadonlyArray<string>, accept: string): OpenApiReply | undefined => {
  const types = mediaTypes(accept)
  const [version, ...rest] = path
  if (version === "v2" && rest.length === 0) {
    if (types.some((t) => PROTOBUF_V2.includes(t))) {
      const raw = encodeOpenApiV2(openApiV2Document(registry))
      return { status: 200, body: null, raw, headers: { "Content-Type": PROTOBUF_V2_CONTENT_TYPE } }
    }
    return acceptsJson(types) ? json(openApiV2Document(registry)) : notAcceptable()
  }
  if (version !== "v3") return undefined
  if (!acceptsJson(types)) return notAcceptable()
  if (rest.length === 0) return json(openApiV3Index(registry))
  const [root, group, groupVersion] = rest
  if (root === "api" && rest.length === 2 && group !== undefined) return mapDefined(openApiV3GroupVersion(registry, "", group), json)
  if (root === "apis" && rest.length === 3 && group !== undefined && groupVersion !== undefined) {
    return mapDefined(openApiV3GroupVersion(registry, group, groupVersion), json)
  }
  return undefined
}

const mapDefined = <A, B>(value: A | undefined, f: (a: A) => B): B | undefined => (value === undefined ? undefined : f(value))
