import type { Json, JsonObject } from "../Json.ts"
import { KUBE_MESSAGES } from "./KubeProtobufMessages.ts"
import { readFields, type WireField } from "./Protobuf.ts"
import { badRequest, StatusError, unsupportedMediaType } from "./Status.ts"

/**
 * Request bodies in `application/vnd.kubernetes.protobuf`, decoded into the JSON the store works with: the
 * `k8s\0` magic, the runtime.Unknown envelope (apiVersion, kind, raw), then the kind's message as
 * KubeProtobufMessages.ts describes it. Custom resources have no protobuf form (415, as kube-apiserver answers).
 */

export const KUBE_PROTOBUF = "application/vnd.kubernetes.protobuf"

const MAGIC = [0x6b, 0x38, 0x73, 0x00]

/** The API groups of the served built-ins, by the proto package their messages live in. */
const PACKAGES: Readonly<Record<string, string>> = {
  "": "core",
  apps: "apps",
  "networking.k8s.io": "networking",
  "discovery.k8s.io": "discovery",
  "coordination.k8s.io": "coordination",
  policy: "policy",
  "rbac.authorization.k8s.io": "rbac",
  "events.k8s.io": "events"
}

/** Fields Go embeds with `json:",inline"`: their members belong to the enclosing object. */
const INLINE = new Set(["localObjectReference", "volumeSource", "ephemeralContainerCommon", "ingressRuleValue", "handler"])

/**
 * gogo-protobuf writes every non-pointer field, zero or not, while JSON omits empty ones; a zero is kept only
 * where Go has a pointer and zero means something (`replicas: 0`, `automountServiceAccountToken: false`). Keys are
 * `message.field`, `*` for any message.
 */
const ZERO_MEANS_SOMETHING = new Set([
  "apps.v1.DeploymentSpec.replicas", "apps.v1.DeploymentSpec.revisionHistoryLimit", "apps.v1.DeploymentSpec.progressDeadlineSeconds",
  "apps.v1.RollingUpdateDeployment.maxUnavailable", "apps.v1.RollingUpdateDeployment.maxSurge",
  "policy.v1.PodDisruptionBudgetSpec.minAvailable", "policy.v1.PodDisruptionBudgetSpec.maxUnavailable",
  "core.v1.PodSpec.activeDeadlineSeconds", "core.v1.PodSpec.enableServiceLinks", "core.v1.PodSpec.shareProcessNamespace",
  "core.v1.PodSpec.setHostnameAsFQDN", "core.v1.PodSpec.hostUsers", "core.v1.PodSpec.priority",
  "core.v1.ConfigMap.immutable", "core.v1.Secret.immutable", "core.v1.ServiceSpec.allocateLoadBalancerNodePorts",
  "core.v1.Toleration.tolerationSeconds", "core.v1.ServiceAccountTokenProjection.expirationSeconds",
  "coordination.v1.LeaseSpec.leaseDurationSeconds", "coordination.v1.LeaseSpec.leaseTransitions",
  "discovery.v1.EndpointConditions.ready", "discovery.v1.EndpointConditions.serving", "discovery.v1.EndpointConditions.terminating",
  "*.automountServiceAccountToken", "*.terminationGracePeriodSeconds", "*.optional", "*.defaultMode", "*.mode",
  "*.runAsUser", "*.runAsGroup", "*.runAsNonRoot", "*.fsGroup", "*.privileged", "*.allowPrivilegeEscalation", "*.readOnlyRootFilesystem"
])

const keepsZero = (message: string, field: string): boolean => ZERO_MEANS_SOMETHING.has(`${message}.${field}`) || ZERO_MEANS_SOMETHING.has(`*.${field}`)

interface FieldSpec {
  readonly name: string
  readonly shape: "single" | "repeated" | "map"
  readonly type: string
}

const FIELD = /^(\w+)=(\d+)(\[\]|\{\})?(?::([\w.]+))?$/

const schemas = new Map<string, ReadonlyMap<number, FieldSpec>>()

const schemaOf = (message: string): ReadonlyMap<number, FieldSpec> => {
  const cached = schemas.get(message)
  if (cached !== undefined) return cached
  const fields = new Map<number, FieldSpec>()
  for (const word of (KUBE_MESSAGES[message] ?? "").split(" ")) {
    const match = FIELD.exec(word)
    if (match === null) continue
    fields.set(Number(match[2]), {
      name: match[1] ?? "",
      shape: match[3] === "[]" ? "repeated" : match[3] === "{}" ? "map" : "single",
      type: match[4] ?? "string"
    })
  }
  schemas.set(message, fields)
  return fields
}

/** `apps/v1` + `Deployment` → `apps.v1.Deployment`; undefined for kinds without protobuf here. */
export const protobufMessageOf = (apiVersion: string, kind: string): string | undefined => {
  // typed clients send DELETE's options in the group-version of the resource
  if (kind === "DeleteOptions") return "meta.v1.DeleteOptions"
  const slash = apiVersion.indexOf("/")
  const group = slash < 0 ? "" : apiVersion.slice(0, slash)
  const version = apiVersion.slice(slash + 1)
  const pkg = PACKAGES[group]
  const message = pkg === undefined ? undefined : `${pkg}.${version}.${kind}`
  return message !== undefined && KUBE_MESSAGES[message] !== undefined ? message : undefined
}

const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const int = (field: WireField): number => Number(BigInt.asIntN(64, field.varint))
const first = (fields: ReadonlyArray<WireField>, number: number): WireField | undefined => fields.find((f) => f.number === number)

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** metav1.Time (whole seconds) and MicroTime (six fractional digits); the zero time is JSON null. */
const timestamp = (bytes: Uint8Array, micro: boolean): Json => {
  const fields = readFields(bytes)
  const seconds = int(first(fields, 1) ?? { number: 1, wireType: 0, varint: 0n, bytes: new Uint8Array() })
  const nanos = int(first(fields, 2) ?? { number: 2, wireType: 0, varint: 0n, bytes: new Uint8Array() })
  if (seconds === 0 && nanos === 0) return null
  const text = new Date(seconds * 1000).toISOString().slice(0, 19)
  return micro ? `${text}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${text}Z`
}

const intOrString = (bytes: Uint8Array): Json => {
  const fields = readFields(bytes)
  const isString = (first(fields, 1)?.varint ?? 0n) === 1n
  if (isString) {
    const text = first(fields, 3)
    return text === undefined ? "" : utf8(text.bytes)
  }
  const value = first(fields, 2)
  return value === undefined ? 0 : int(value)
}

const value = (field: WireField, type: string): Json => {
  switch (type) {
    case "string":
      return utf8(field.bytes)
    case "bytes":
      return Buffer.from(field.bytes).toString("base64")
    case "int":
      return int(field)
    case "bool":
      return field.varint !== 0n
    case "Time":
      return timestamp(field.bytes, false)
    case "MicroTime":
      return timestamp(field.bytes, true)
    case "Quantity":
      return utf8(first(readFields(field.bytes), 1)?.bytes ?? new Uint8Array())
    case "IntOrString":
      return intOrString(field.bytes)
    case "FieldsV1": {
      const raw = first(readFields(field.bytes), 1)
      const parsed: Json = raw === undefined ? {} : JSON.parse(utf8(raw.bytes))
      return parsed
    }
    default:
      return decodeMessage(field.bytes, type)
  }
}

const isZero = (v: Json): boolean => v === "" || v === 0 || v === false || v === null

const decodeMessage = (bytes: Uint8Array, message: string): JsonObject => {
  const schema = schemaOf(message)
  const out: Record<string, Json> = {}
  const lists = new Map<string, Array<Json>>()
  const maps = new Map<string, Record<string, Json>>()
  // fields this table does not know are newer than k8s.io/api v0.32: skipped, as protobuf decoders skip them
  for (const field of readFields(bytes)) {
    const spec = schema.get(field.number)
    if (spec === undefined) continue
    if (spec.shape === "map") {
      const entry = readFields(field.bytes)
      const key = first(entry, 1)
      const item = first(entry, 2)
      const map = maps.get(spec.name) ?? {}
      map[key === undefined ? "" : utf8(key.bytes)] = item === undefined ? (spec.type === "string" ? "" : null) : value(item, spec.type)
      maps.set(spec.name, map)
    } else if (spec.shape === "repeated") {
      const list = lists.get(spec.name) ?? []
      list.push(value(field, spec.type))
      lists.set(spec.name, list)
    } else {
      const decoded = value(field, spec.type)
      if (INLINE.has(spec.name) && typeof decoded === "object" && decoded !== null && !Array.isArray(decoded)) Object.assign(out, decoded)
      else if (!isZero(decoded) || (decoded !== null && keepsZero(message, spec.name))) out[spec.name] = decoded
    }
  }
  for (const [name, list] of lists) out[name] = list
  for (const [name, map] of maps) out[name] = map
  return out
}

/** The JSON object a Kubernetes protobuf request body carries. */
export const decodeKubeProtobuf = (body: Uint8Array): JsonObject => {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) {
    throw badRequest(`provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(" ")}]`)
  }
  try {
    const envelope = readFields(body.subarray(MAGIC.length))
    const typeMeta = readFields(first(envelope, 1)?.bytes ?? new Uint8Array())
    const apiVersion = utf8(first(typeMeta, 1)?.bytes ?? new Uint8Array())
    const kind = utf8(first(typeMeta, 2)?.bytes ?? new Uint8Array())
    const message = protobufMessageOf(apiVersion, kind)
    if (message === undefined) throw unsupportedMediaType(["application/json", "application/yaml"])
    return { apiVersion, kind, ...decodeMessage(first(envelope, 2)?.bytes ?? new Uint8Array(), message) }
  } catch (error) {
    if (error instanceof StatusError) throw error
    throw badRequest(`error decoding request body: ${error instanceof Error ? error.message : String(error)}`)
  }
}
