import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { age, builtinPrinters, defaultPrinter, NAME_COLUMN, type ColumnDefinition, type Printer } from "./BuiltinTables.ts"
import { metadataOf, nameOf } from "./ObjectMeta.ts"
import { servedVersion, type PrinterColumn } from "./ResourceType.ts"
import { badRequest } from "./Status.ts"
import type { Scope } from "./StoreTypes.ts"

/**
 * Server-side printing: the `meta.k8s.io` Table `kubectl get` asks for, with the columns kube-apiserver would
 * send (a CRD's additionalPrinterColumns, the built-in printers of BuiltinTables.ts) and each row's object as
 * `includeObject` says.
 */

export type IncludeObject = "None" | "Metadata" | "Object"

export interface TableOptions {
  readonly includeObject: IncludeObject
  /** Watch events after the first carry no column definitions: kubectl reuses the last ones it saw. */
  readonly noHeaders: boolean
  /** meta.k8s.io/v1 or the older v1beta1, as the client asked. */
  readonly apiVersion: string
}

/** TableOptions from the query, 400 for an includeObject the apiserver does not know. */
export const includeObjectOf = (query: URLSearchParams): IncludeObject => {
  const value = query.get("includeObject") ?? ""
  if (value === "") return "Metadata"
  if (value === "None" || value === "Metadata" || value === "Object") return value
  throw badRequest(`unrecognized includeObject value: "${value}"`)
}

/** One step of the JSONPath subset printer columns use: `.field`, `[n]`, `[*]`, `[?(@.a.b=="x")]`. */
type Step =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "index"; readonly index: number | "*" }
  | { readonly kind: "filter"; readonly path: ReadonlyArray<string>; readonly op: "==" | "!="; readonly value: string }

const parseJsonPath = (path: string): ReadonlyArray<Step> => {
  const source = path.trim().replace(/^\{/, "").replace(/\}$/, "")
  const steps: Array<Step> = []
  const pattern = /\.([^.[\]]+)|\[(\*|\d+)\]|\[\?\(@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\s*\)\]/gy
  let match: RegExpExecArray | null
  while ((match = pattern.exec(source)) !== null) {
    if (match[1] !== undefined) steps.push({ kind: "field", name: match[1] })
    else if (match[2] !== undefined) steps.push({ kind: "index", index: match[2] === "*" ? "*" : Number(match[2]) })
    else steps.push({ kind: "filter", path: (match[3] ?? "").split(".").filter((s) => s !== ""), op: match[4] === "!=" ? "!=" : "==", value: match[5] ?? match[6] ?? match[7] ?? "" })
  }
  return steps
}

const fieldsAt = (value: Json, path: ReadonlyArray<string>): Json | undefined => {
  let current: Json | undefined = value
  for (const name of path) current = isJsonObject(current) ? current[name] : undefined
  return current
}

/** Every value a printer column's JSONPath selects, in document order. */
export const evaluateJsonPath = (object: Json, path: string): ReadonlyArray<Json> => {
  let current: ReadonlyArray<Json> = [object]
  for (const step of parseJsonPath(path)) {
    current = current.flatMap((value): ReadonlyArray<Json> => {
      if (step.kind === "field") {
        const next = isJsonObject(value) ? value[step.name] : undefined
        return next === undefined ? [] : [next]
      }
      if (!isJsonArray(value)) return []
      if (step.kind === "index") {
        if (step.index === "*") return value
        const item = value[step.index]
        return item === undefined ? [] : [item]
      }
      return value.filter((item) => {
        const found = fieldsAt(item, step.path)
        const text = typeof found === "string" ? found : found === undefined ? undefined : JSON.stringify(found)
        return step.op === "==" ? text === step.value : text !== step.value
      })
    })
  }
  return current
}

/** apiextensions' cellForJSONValue: the first value the path selects, typed as the column says, else nil. */
const customCell = (column: PrinterColumn, object: JsonObject, now: number): Json => {
  const value = evaluateJsonPath(object, column.jsonPath)[0]
  if (value === undefined || value === null) return null
  switch (column.type) {
    case "string":
      return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value)
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null
    case "number":
      return typeof value === "number" ? value : null
    case "boolean":
      return typeof value === "boolean" ? value : null
    case "date":
      return typeof value === "string" ? (Number.isNaN(Date.parse(value)) ? "<invalid>" : age(value, now)) : null
  }
}

/** Without additionalPrinterColumns a custom resource is printed with an Age column. */
const defaultCustomColumns: ReadonlyArray<PrinterColumn> = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "CreationTimestamp is a timestamp representing the server time when this object was created." }
]

const customPrinter = (columns: ReadonlyArray<PrinterColumn>): Printer => ({
  columns: [
    NAME_COLUMN,
    ...columns.map((c): ColumnDefinition => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0
    }))
  ],
  cells: (object, now) => [nameOf(object), ...columns.map((c) => customCell(c, object, now))]
})

const printerOf = (scope: Scope): Printer => {
  if (scope.type.custom) {
    const declared = servedVersion(scope.type, scope.version)?.printerColumns ?? []
    return customPrinter(declared.length === 0 ? defaultCustomColumns : declared)
  }
  return builtinPrinters[`${scope.type.group}/${scope.type.kind}`] ?? defaultPrinter
}

const rowObject = (object: JsonObject, include: IncludeObject): Json => {
  if (include === "None") return null
  if (include === "Object") return object
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: metadataOf(object) }
}

/** A metav1.Table of one object or of a list. */
export const toTable = (scope: Scope, objectOrList: JsonObject, options: TableOptions, now = Date.now()): JsonObject => {
  const printer = printerOf(scope)
  const isList = isJsonArray(objectOrList["items"])
  const items = isJsonArray(objectOrList["items"]) ? objectOrList["items"].filter(isJsonObject) : [objectOrList]
  const meta = metadataOf(objectOrList)
  return {
    kind: "Table",
    apiVersion: options.apiVersion,
    metadata: isList ? meta : { resourceVersion: meta["resourceVersion"] ?? "" },
    columnDefinitions: options.noHeaders
      ? null
      : printer.columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: c.description, priority: c.priority })),
    rows: items.map((item) => ({ cells: [...printer.cells(item, now)], object: rowObject(item, options.includeObject) }))
  }
}

/**
 * The object transform of a watch served as tables: each event's object becomes a one-row Table, the first with
 * column definitions and the rest without (the apiserver saves the bandwidth; kubectl reuses the last ones).
 */
export const tableWatch = (scope: Scope, options: Omit<TableOptions, "noHeaders">): ((object: JsonObject) => JsonObject) => {
  let first = true
  return (object) => {
    const table = toTable(scope, object, { ...options, noHeaders: !first })
    first = false
    return table
  }
}
