import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { coreEventFromEventsV1 } from "./EventConversion.ts"
import { metadataOf, nameOf, namespaceOf, stringField } from "./ObjectMeta.ts"

/**
 * kube-apiserver's table printers (pkg/printers/internalversion/printers.go) for the built-in kinds the emulator
 * serves: the columns `kubectl get` shows, and cells computed the way the printers compute them
 * (`80/TCP,443/TCP`, `0/2`, `<none>`). Kinds without a printer get the default table: Name and Created At.
 */

export interface ColumnDefinition {
  readonly name: string
  readonly type: "integer" | "number" | "string" | "boolean" | "date"
  readonly format?: string
  readonly description: string
  /** 0: always shown; 1: only with `-o wide`. */
  readonly priority: number
}

export interface Printer {
  readonly columns: ReadonlyArray<ColumnDefinition>
  /** One cell per column, for an object rendered at `now` (Age cells are relative to it). */
  readonly cells: (object: JsonObject, now: number) => ReadonlyArray<Json>
}

const column = (name: string, description: string, type: ColumnDefinition["type"] = "string", priority = 0): ColumnDefinition => ({
  name,
  type,
  description,
  priority
})

export const NAME_COLUMN: ColumnDefinition = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.",
  priority: 0
}
const AGE_COLUMN = column("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.")
const CREATED_AT_COLUMN = column("Created At", "CreationTimestamp is a timestamp representing the server time when this object was created.", "date")

/** Go's duration.HumanDuration, as the Age columns print it. */
export const humanDuration = (ms: number): string => {
  const seconds = Math.trunc(ms / 1000)
  if (seconds < -1) return "<invalid>"
  if (seconds < 0) return "0s"
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return `${minutes}m${seconds % 60 === 0 ? "" : `${seconds % 60}s`}`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return `${hours}h${minutes % 60 === 0 ? "" : `${minutes % 60}m`}`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) return `${Math.floor(hours / 24)}d${hours % 24 === 0 ? "" : `${hours % 24}h`}`
  const days = Math.floor(hours / 24)
  if (days < 365 * 2) return `${days}d`
  if (days < 365 * 8) return `${Math.floor(days / 365)}y${days % 365 === 0 ? "" : `${days % 365}d`}`
  return `${Math.floor(days / 365)}y`
}

/** translateTimestampSince: `<unknown>` for a missing timestamp. */
export const age = (timestamp: Json | undefined, now: number): string =>
  typeof timestamp === "string" && !Number.isNaN(Date.parse(timestamp)) ? humanDuration(now - Date.parse(timestamp)) : "<unknown>"

const createdAt = (object: JsonObject): string => stringField(metadataOf(object), "creationTimestamp") ?? ""
const ageOf = (object: JsonObject, now: number): string => age(metadataOf(object)["creationTimestamp"], now)

const at = (object: Json | undefined, ...keys: ReadonlyArray<string>): Json | undefined => {
  let current = object
  for (const key of keys) current = isJsonObject(current) ? current[key] : undefined
  return current
}
const objects = (value: Json | undefined): ReadonlyArray<JsonObject> => (isJsonArray(value) ? value.filter(isJsonObject) : [])
const entries = (value: Json | undefined): ReadonlyArray<readonly [string, Json]> => (isJsonObject(value) ? Object.entries(value) : [])
const list = (value: Json | undefined): ReadonlyArray<Json> => (isJsonArray(value) ? value : [])
const text = (value: Json | undefined): string => (typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : "")
const orNone = (value: string): string => (value === "" ? "<none>" : value)
const count = (value: Json | undefined): number => (isJsonObject(value) ? Object.keys(value).length : isJsonArray(value) ? value.length : 0)

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
const formatLabels = (labels: Json | undefined): string =>
  orNone(isJsonObject(labels) ? Object.keys(labels).sort().map((k) => `${k}=${text(labels[k])}`).join(",") : "")

/** metav1.FormatLabelSelector. */
const formatLabelSelector = (selector: Json | undefined): string => {
  const requirements = [
    ...entries(at(selector, "matchLabels")).map(([k, v]) => ({ key: k, text: `${k}=${text(v)}` })),
    ...objects(at(selector, "matchExpressions")).map((e) => {
      const key = text(e["key"])
      const values = list(e["values"]).map(text).sort().join(",")
      const operator = text(e["operator"])
      const body = operator === "In" ? `${key} in (${values})` : operator === "NotIn" ? `${key} notin (${values})` : operator === "DoesNotExist" ? `!${key}` : key
      return { key, text: body }
    })
  ]
  return orNone(requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.text).join(","))
}

/** Lists the first three entries and counts the rest, as the printers do for hosts and endpoints. */
const firstThree = (values: ReadonlyArray<string>, separator = ","): string =>
  values.length > 3 ? `${values.slice(0, 3).join(separator)} + ${values.length - 3} more...` : values.join(separator)

const servicePorts = (service: JsonObject): string => {
  const ports = objects(at(service, "spec", "ports")).map((p) => {
    const nodePort = p["nodePort"]
    return `${text(p["port"])}${typeof nodePort === "number" && nodePort > 0 ? `:${nodePort}` : ""}/${text(p["protocol"]) || "TCP"}`
  })
  return orNone(ports.join(","))
}

const loadBalancerAddresses = (object: JsonObject): ReadonlyArray<string> =>
  objects(at(object, "status", "loadBalancer", "ingress")).map((i) => text(i["ip"]) || text(i["hostname"])).filter((a) => a !== "")

const serviceExternalIp = (service: JsonObject): string => {
  const type = text(at(service, "spec", "type")) || "ClusterIP"
  const externalIPs = list(at(service, "spec", "externalIPs")).map(text)
  if (type === "ExternalName") return text(at(service, "spec", "externalName"))
  if (type === "LoadBalancer") {
    const all = [...loadBalancerAddresses(service), ...externalIPs]
    return all.length === 0 ? "<pending>" : all.join(",")
  }
  return orNone(externalIPs.join(","))
}

const roleBindingSubjects = (binding: JsonObject, kind: string): string =>
  objects(binding["subjects"])
    .filter((s) => text(s["kind"]) === kind)
    .map((s) => (kind === "ServiceAccount" ? `${text(s["namespace"]) || namespaceOf(binding)}/${text(s["name"])}` : text(s["name"])))
    .join(", ")

const roleBindingPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Role", "Role is the role the binding refers to."),
    AGE_COLUMN,
    column("Users", "Users in the roleBinding.", "string", 1),
    column("Groups", "Groups in the roleBinding.", "string", 1),
    column("ServiceAccounts", "ServiceAccounts in the roleBinding.", "string", 1)
  ],
  cells: (b, now) => [
    nameOf(b),
    `${text(at(b, "roleRef", "kind"))}/${text(at(b, "roleRef", "name"))}`,
    ageOf(b, now),
    roleBindingSubjects(b, "User"),
    roleBindingSubjects(b, "Group"),
    roleBindingSubjects(b, "ServiceAccount")
  ]
}

const createdAtPrinter: Printer = { columns: [NAME_COLUMN, CREATED_AT_COLUMN], cells: (o) => [nameOf(o), createdAt(o)] }

const eventPrinter: Printer = {
  columns: [
    column("Last Seen", "Time when this Event was last seen."),
    column("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
    column("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column("Object", "The object that this event is about."),
    column("Subobject", "The subobject that this event is about.", "string", 1),
    column("Source", "The component reporting this event.", "string", 1),
    column("Message", "A human-readable description of the status of this operation."),
    column("First Seen", "The time at which the event was first recorded.", "string", 1),
    column("Count", "The number of times this event has occurred.", "integer", 1),
    column("Name", "Name must be unique within a namespace.", "string", 1)
  ],
  cells: (e, now) => {
    const lastSeen = at(e, "series", "lastObservedTime") ?? e["lastTimestamp"] ?? e["eventTime"]
    const source = text(at(e, "source", "component")) || text(e["reportingComponent"])
    const host = text(at(e, "source", "host")) || text(e["reportingInstance"])
    return [
      age(lastSeen, now),
      text(e["type"]),
      text(e["reason"]),
      `${text(at(e, "involvedObject", "kind")).toLowerCase()}/${text(at(e, "involvedObject", "name"))}`,
      text(at(e, "involvedObject", "fieldPath")),
      host === "" ? source : `${source}, ${host}`,
      text(e["message"]).trim(),
      age(e["firstTimestamp"] ?? e["eventTime"], now),
      Number(at(e, "series", "count") ?? e["count"] ?? 0),
      nameOf(e)
    ]
  }
}

/** By `"<group>/<Kind>"`, the core group being "" (`"/Service"`, `"apps/Deployment"`). */
export const builtinPrinters: Readonly<Record<string, Printer>> = {
  "/Namespace": {
    columns: [NAME_COLUMN, column("Status", "The status of the namespace"), AGE_COLUMN],
    cells: (n, now) => [nameOf(n), text(at(n, "status", "phase")), ageOf(n, now)]
  },
  "/Service": {
    columns: [
      NAME_COLUMN,
      column("Type", "type determines how the Service is exposed."),
      column("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
      column("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
      column("Port(s)", "The list of ports that are exposed by this service."),
      AGE_COLUMN,
      column("Selector", "Route service traffic to pods with label keys and values matching this selector.", "string", 1)
    ],
    cells: (s, now) => [
      nameOf(s),
      text(at(s, "spec", "type")) || "ClusterIP",
      orNone(text(at(s, "spec", "clusterIP"))),
      serviceExternalIp(s),
      servicePorts(s),
      ageOf(s, now),
      formatLabels(at(s, "spec", "selector"))
    ]
  },
  "/ConfigMap": {
    columns: [NAME_COLUMN, column("Data", "Data contains the configuration data.", "integer"), AGE_COLUMN],
    cells: (c, now) => [nameOf(c), count(c["data"]) + count(c["binaryData"]), ageOf(c, now)]
  },
  "/Secret": {
    columns: [NAME_COLUMN, column("Type", "The type of the secret"), column("Data", "The number of entries in the secret data", "integer"), AGE_COLUMN],
    cells: (s, now) => [nameOf(s), text(s["type"]), count(s["data"]), ageOf(s, now)]
  },
  "/ServiceAccount": {
    columns: [NAME_COLUMN, column("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", "integer"), AGE_COLUMN],
    cells: (s, now) => [nameOf(s), count(s["secrets"]), ageOf(s, now)]
  },
  "/Event": eventPrinter,
  // the printer reads the internal (core) shape, which the apiserver converts events.k8s.io Events to first
  "events.k8s.io/Event": { columns: eventPrinter.columns, cells: (e, now) => eventPrinter.cells(coreEventFromEventsV1(e), now) },
  "networking.k8s.io/Ingress": {
    columns: [
      NAME_COLUMN,
      column("Class", "The name of the IngressClass resource that should be used for ingress."),
      column("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
      column("Address", "Address is a list containing ingress points for the load-balancer"),
      column("Ports", "Ports of TLS configurations that open"),
      AGE_COLUMN
    ],
    cells: (i, now) => {
      const hosts = objects(at(i, "spec", "rules")).map((r) => text(r["host"])).filter((h) => h !== "")
      return [
        nameOf(i),
        orNone(text(at(i, "spec", "ingressClassName"))),
        hosts.length === 0 ? "*" : firstThree(hosts),
        loadBalancerAddresses(i).join(","),
        count(at(i, "spec", "tls")) > 0 ? "80, 443" : "80",
        ageOf(i, now)
      ]
    }
  },
  "networking.k8s.io/IngressClass": {
    columns: [NAME_COLUMN, column("Controller", "Controller that is responsible for handling this class"), column("Parameters", "A reference to a resource with additional parameters"), AGE_COLUMN],
    cells: (c, now) => {
      const parameters = at(c, "spec", "parameters")
      const kind = text(at(parameters, "kind"))
      const group = text(at(parameters, "apiGroup"))
      return [
        nameOf(c),
        text(at(c, "spec", "controller")),
        isJsonObject(parameters) ? `${kind}${group === "" ? "" : `.${group}`}/${text(at(parameters, "name"))}` : "<none>",
        ageOf(c, now)
      ]
    }
  },
  "networking.k8s.io/NetworkPolicy": {
    columns: [NAME_COLUMN, column("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."), AGE_COLUMN],
    cells: (p, now) => [nameOf(p), formatLabelSelector(at(p, "spec", "podSelector")), ageOf(p, now)]
  },
  "discovery.k8s.io/EndpointSlice": {
    columns: [
      NAME_COLUMN,
      column("AddressType", "Type of address carried by this EndpointSlice"),
      column("Ports", "Ports advertised by this EndpointSlice"),
      column("Endpoints", "Endpoints included in this EndpointSlice"),
      AGE_COLUMN
    ],
    cells: (s, now) => {
      const ports = objects(s["ports"]).map((p) => text(p["port"]) || "<unset>")
      const addresses = objects(s["endpoints"]).flatMap((e) => list(e["addresses"]).map(text))
      return [
        nameOf(s),
        text(s["addressType"]),
        ports.length === 0 ? "<unset>" : firstThree(ports),
        addresses.length === 0 ? "<unset>" : firstThree(addresses),
        ageOf(s, now)
      ]
    }
  },
  "coordination.k8s.io/Lease": {
    columns: [NAME_COLUMN, column("Holder", "The holder of the lease"), AGE_COLUMN],
    cells: (l, now) => [nameOf(l), text(at(l, "spec", "holderIdentity")), ageOf(l, now)]
  },
  "apps/Deployment": {
    columns: [
      NAME_COLUMN,
      column("Ready", "Number of the pod with ready state"),
      column("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", "integer"),
      column("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", "integer"),
      AGE_COLUMN,
      column("Containers", "Names of each container in the template.", "string", 1),
      column("Images", "Images referenced by each container in the template.", "string", 1),
      column("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", "string", 1)
    ],
    cells: (d, now) => {
      const containers = objects(at(d, "spec", "template", "spec", "containers"))
      const replicas = at(d, "spec", "replicas")
      return [
        nameOf(d),
        `${text(at(d, "status", "readyReplicas")) || "0"}/${typeof replicas === "number" ? replicas : 1}`,
        Number(at(d, "status", "updatedReplicas") ?? 0),
        Number(at(d, "status", "availableReplicas") ?? 0),
        ageOf(d, now),
        containers.map((c) => text(c["name"])).join(","),
        containers.map((c) => text(c["image"])).join(","),
        formatLabelSelector(at(d, "spec", "selector"))
      ]
    }
  },
  "policy/PodDisruptionBudget": {
    columns: [
      NAME_COLUMN,
      column("Min Available", "The minimum number of pods that must be available."),
      column("Max Unavailable", "The maximum number of pods that may be unavailable."),
      column("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", "integer"),
      AGE_COLUMN
    ],
    cells: (p, now) => [
      nameOf(p),
      text(at(p, "spec", "minAvailable")) || "N/A",
      text(at(p, "spec", "maxUnavailable")) || "N/A",
      Number(at(p, "status", "disruptionsAllowed") ?? 0),
      ageOf(p, now)
    ]
  },
  "rbac.authorization.k8s.io/Role": createdAtPrinter,
  "rbac.authorization.k8s.io/ClusterRole": createdAtPrinter,
  "rbac.authorization.k8s.io/RoleBinding": roleBindingPrinter,
  "rbac.authorization.k8s.io/ClusterRoleBinding": roleBindingPrinter
}

/** rest.NewDefaultTableConvertor, for kinds without a printer (CustomResourceDefinition among them). */
export const defaultPrinter: Printer = createdAtPrinter
