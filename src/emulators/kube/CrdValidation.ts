import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { validateCrdSchema } from "./CrdSchemaValidation.ts"
import { deepEqual, metadataOf, rfc3339, stringField, validateName, type NameRule } from "./ObjectMeta.ts"
import { additionalPropertiesOf, defaultOf, itemsOf, objectAt, objectFrom, own, propertyNames, propertyOf, schemasAt, stringAt, stringsAt } from "./SchemaNode.ts"
import type { FieldError } from "./Status.ts"

/**
 * kube-apiserver's checks on an apiextensions.k8s.io/v1 CustomResourceDefinition (apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinition) and its v1 defaults
 * (pkg/apis/apiextensions/v1/defaults.go). Validation runs on the internal type, so paths follow its conversion
 * from v1: when every version has the same schema, subresources or printer columns, they move to
 * `spec.validation`, `spec.subresources`, `spec.additionalPrinterColumns` (v1/conversion.go), printer columns
 * name their path `JSONPath`, and webhook conversion fields are `webhookClientConfig`/`conversionReviewVersions`.
 * Conversion strategy Webhook is validated but not run by the emulator: every served version must share the
 * stored shape. Status (acceptedNames, storedVersions, conditions) is the store's: see crdStatus.
 */

const required = (field: string, detail = ""): FieldError => ({ type: "FieldValueRequired", field, detail })
const forbidden = (field: string, detail: string): FieldError => ({ type: "FieldValueForbidden", field, detail })
const invalid = (field: string, value: Json, detail: string): FieldError => ({ type: "FieldValueInvalid", field, value, detail })
const notSupported = (field: string, value: Json, supported: ReadonlyArray<string>): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`
})

/** utilvalidation.IsDNS1035Label & co. joined into one error, as the CRD code does with strings.Join(errs, ","). */
const nameError = (value: string, rule: NameRule, field: string, prefix = ""): ReadonlyArray<FieldError> => {
  const problems = validateName(value, rule, field)
  return problems.length === 0 ? [] : [invalid(field, value, prefix + problems.map((p) => p.detail ?? "").join(","))]
}

const versionsOf = (spec: JsonObject): ReadonlyArray<JsonObject> => {
  const versions = spec["versions"]
  return isJsonArray(versions) ? versions.filter(isJsonObject) : []
}

const columnsOf = (owner: JsonObject): ReadonlyArray<JsonObject> => {
  const columns = owner["additionalPrinterColumns"]
  return isJsonArray(columns) ? columns.filter(isJsonObject) : []
}

/** apiequality.Semantic.DeepEqual: an absent field equals null, and an empty list equals an absent one. */
const sameAcrossVersions = (versions: ReadonlyArray<JsonObject>, pick: (v: JsonObject) => Json): boolean =>
  versions.every((v) => deepEqual(pick(v), pick(versions[0] ?? {})))

/** Whether any node of a schema declares a default (validation.go SchemaHas with schemaHasDefaults). */
const schemaHasDefault = (node: JsonObject | undefined): boolean => {
  if (node === undefined) return false
  if (defaultOf(node) !== undefined) return true
  const not = own(node, "not")
  const children = [
    ...propertyNames(node).map((name) => propertyOf(node, name)),
    itemsOf(node),
    additionalPropertiesOf(node)?.schema,
    ...schemasAt(node, "allOf"), ...schemasAt(node, "anyOf"), ...schemasAt(node, "oneOf"),
    isJsonObject(not) ? not : undefined
  ]
  return children.some(schemaHasDefault)
}

/** The v1 defaults: singular, listKind, conversion strategy None, webhook service port 443. */
export const defaultCustomResourceDefinition = (crd: JsonObject): JsonObject => {
  const spec = objectAt(crd, "spec") ?? {}
  const names = objectAt(spec, "names") ?? {}
  const kind = stringAt(names, "kind") ?? ""
  const defaultedNames = objectFrom([
    ...Object.entries(names),
    ...((stringAt(names, "singular") ?? "") === "" ? [["singular", kind.toLowerCase()] as const] : []),
    ...((stringAt(names, "listKind") ?? "") === "" && kind !== "" ? [["listKind", `${kind}List`] as const] : [])
  ])
  const conversion = objectAt(spec, "conversion") ?? { strategy: "None" }
  const webhook = objectAt(conversion, "webhook")
  const service = webhook === undefined ? undefined : objectAt(objectAt(webhook, "clientConfig") ?? {}, "service")
  const defaultedConversion = service === undefined || service["port"] !== undefined
    ? conversion
    : { ...conversion, webhook: { ...webhook, clientConfig: { ...objectAt(webhook ?? {}, "clientConfig"), service: { ...service, port: 443 } } } }
  return { ...crd, spec: { ...spec, names: defaultedNames, conversion: defaultedConversion } }
}

/** ValidateCustomResourceColumnDefinition. */
const validateColumn = (column: JsonObject, path: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const types = ["boolean", "date", "integer", "number", "string"]
  const formats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]
  if ((stringAt(column, "name") ?? "") === "") errors.push(required(`${path}.name`))
  const type = stringAt(column, "type") ?? ""
  if (type === "") errors.push(required(`${path}.type`, `must be one of ${types.join(",")}`))
  else if (!types.includes(type)) errors.push(invalid(`${path}.type`, type, `must be one of ${types.join(",")}`))
  const format = stringAt(column, "format") ?? ""
  if (format !== "" && !formats.includes(format)) errors.push(invalid(`${path}.format`, format, `must be one of ${formats.join(",")}`))
  const jsonPath = stringAt(column, "jsonPath") ?? ""
  if (jsonPath === "") errors.push(required(`${path}.JSONPath`))
  else errors.push(...validateSimpleJsonPath(jsonPath, `${path}.JSONPath`))
  return errors
}

const validateSimpleJsonPath = (value: string, field: string): ReadonlyArray<FieldError> =>
  value.startsWith(".") ? [] : [invalid(field, value, "must be a simple json path starting with .")]

/** ValidateCustomResourceDefinitionSubresources: the scale paths. */
const validateSubresources = (subresources: JsonObject | undefined, path: string): ReadonlyArray<FieldError> => {
  const scale = subresources === undefined ? undefined : objectAt(subresources, "scale")
  if (scale === undefined) return []
  const errors: Array<FieldError> = []
  const check = (key: string, prefixes: ReadonlyArray<string>, detail: string, optional: boolean): void => {
    const field = `${path}.scale.${key}`
    const value = stringAt(scale, key) ?? ""
    if (value === "") {
      if (!optional) errors.push(required(field))
      return
    }
    const syntax = validateSimpleJsonPath(value, field)
    if (syntax.length > 0) errors.push(...syntax)
    else if (!prefixes.some((p) => value.startsWith(p))) errors.push(invalid(field, value, detail))
  }
  check("specReplicasPath", [".spec."], "should be a json path under .spec", false)
  check("statusReplicasPath", [".status."], "should be a json path under .status", false)
  check("labelSelectorPath", [".spec.", ".status."], "should be a json path under either .spec or .status", true)
  return errors
}

const hasStatus = (subresources: Json | undefined): boolean => isJsonObject(subresources) && isJsonObject(subresources["status"])

/** validateCustomResourceConversion, with the v1 `webhook` block read as the internal fields it converts to. */
const validateConversion = (conversion: JsonObject | undefined): ReadonlyArray<FieldError> => {
  if (conversion === undefined) return []
  const path = "spec.conversion"
  const errors: Array<FieldError> = []
  const strategy = stringAt(conversion, "strategy") ?? ""
  if (strategy === "") errors.push(required(`${path}.strategy`))
  else if (strategy !== "None" && strategy !== "Webhook") errors.push(notSupported(`${path}.strategy`, strategy, ["None", "Webhook"]))
  const webhook = objectAt(conversion, "webhook")
  const clientConfig = webhook === undefined ? undefined : objectAt(webhook, "clientConfig")
  const reviewVersions = webhook === undefined ? [] : stringsAt(webhook, "conversionReviewVersions")
  if (strategy !== "Webhook") {
    if (clientConfig !== undefined) errors.push(forbidden(`${path}.webhookClientConfig`, "should not be set when strategy is not set to Webhook"))
    if (reviewVersions.length > 0) errors.push(forbidden(`${path}.conversionReviewVersions`, "should not be set when strategy is not set to Webhook"))
    return errors
  }
  if (clientConfig === undefined) errors.push(required(`${path}.webhookClientConfig`, "required when strategy is set to Webhook"))
  else if ((clientConfig["url"] === undefined) === (clientConfig["service"] === undefined)) {
    errors.push(required(`${path}.webhookClientConfig`, "exactly one of url or service is required"))
  }
  const versionsPath = `${path}.conversionReviewVersions`
  if (reviewVersions.length === 0) errors.push(required(versionsPath))
  const seen = new Set<string>()
  reviewVersions.forEach((v, i) => {
    if (seen.has(v)) errors.push(invalid(`${versionsPath}[${i}]`, v, "duplicate version"))
    else for (const problem of validateName(v, "dns1035", `${versionsPath}[${i}]`)) errors.push(problem)
    seen.add(v)
  })
  if (reviewVersions.length > 0 && !reviewVersions.some((v) => v === "v1" || v === "v1beta1")) {
    errors.push(invalid(versionsPath, [...reviewVersions], "must include at least one of v1, v1beta1"))
  }
  return errors
}

/** ValidateCustomResourceDefinitionNames (spec.names and status.acceptedNames). */
const validateNames = (names: JsonObject, path: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  for (const key of ["plural", "singular"]) {
    const value = stringAt(names, key) ?? ""
    if (value !== "") errors.push(...nameError(value, "dns1035", `${path}.${key}`))
  }
  for (const key of ["kind", "listKind"]) {
    const value = stringAt(names, key) ?? ""
    if (value === "") continue
    const problems = validateName(value.toLowerCase(), "dns1035", `${path}.${key}`)
    if (problems.length > 0) {
      errors.push(invalid(`${path}.${key}`, value, `may have mixed case, but should otherwise match: ${problems.map((p) => p.detail ?? "").join(",")}`))
    }
  }
  stringsAt(names, "shortNames").forEach((s, i) => errors.push(...nameError(s, "dns1035", `${path}.shortNames[${i}]`)))
  const kind = stringAt(names, "kind") ?? ""
  if (kind !== "" && kind === stringAt(names, "listKind")) errors.push(invalid(`${path}.listKind`, kind, "kind and listKind may not be the same"))
  stringsAt(names, "categories").forEach((c, i) => errors.push(...nameError(c, "dns1035", `${path}.categories[${i}]`)))
  return errors
}

/** ValidateObjectMeta with the CRD's name function: a DNS subdomain equal to `<plural>.<group>`. */
const validateCrdMetadata = (crd: JsonObject, spec: JsonObject): ReadonlyArray<FieldError> => {
  const metadata = metadataOf(crd)
  const requiredName = `${stringAt(objectAt(spec, "names") ?? {}, "plural") ?? ""}.${stringAt(spec, "group") ?? ""}`
  // NameIsDNSSubdomain(name, prefix) masks a generateName's trailing dash as the last two characters becoming "a"
  const nameErrors = (value: string, field: string, prefix: boolean): ReadonlyArray<FieldError> => [
    ...validateName(prefix && value.length > 1 && value.endsWith("-") ? `${value.slice(0, -2)}a` : value, "subdomain", field)
      .map((e) => ({ ...e, value })),
    ...(value === requiredName ? [] : [invalid(field, value, `must be spec.names.plural+"."+spec.group`)])
  ]
  const errors: Array<FieldError> = []
  const generateName = stringField(metadata, "generateName") ?? ""
  if (generateName !== "") errors.push(...nameErrors(generateName, "metadata.generateName", true))
  const name = stringField(metadata, "name") ?? ""
  if (name === "") errors.push(required("metadata.name", "name or generateName is required"))
  else errors.push(...nameErrors(name, "metadata.name", false))
  if ((stringField(metadata, "namespace") ?? "") !== "") errors.push(forbidden("metadata.namespace", "not allowed on this type"))
  return errors
}

const validateDeprecationWarning = (version: JsonObject, path: string): ReadonlyArray<FieldError> => {
  const warning = version["deprecationWarning"]
  if (typeof warning !== "string") return []
  const field = `${path}.deprecationWarning`
  if (version["deprecated"] !== true) return [invalid(field, warning, "can only be set for deprecated versions")]
  const errors: Array<FieldError> = []
  if (Buffer.byteLength(warning, "utf8") > 256) errors.push(invalid(field, warning, "must be <= 256 characters long"))
  if (warning === "") errors.push(invalid(field, warning, "must not be an empty string"))
  const control = [...warning].findIndex((c) => /[\p{Cc}\p{Cf}]/u.test(c))
  if (control >= 0) errors.push(invalid(field, warning, `must only contain printable UTF-8 characters; non-printable character found at index ${control}`))
  return errors
}

/** All create-time checks, in the apiserver's order; the status stanza is not validated (the store sets it). */
export const validateCustomResourceDefinition = (crd: JsonObject): ReadonlyArray<FieldError> => {
  const spec = objectAt(crd, "spec") ?? {}
  const errors: Array<FieldError> = [...validateCrdMetadata(crd, spec)]
  const group = stringAt(spec, "group") ?? ""
  if (group === "") errors.push(required("spec.group"))
  else {
    const groupErrors = nameError(group, "subdomain", "spec.group")
    if (groupErrors.length > 0) errors.push(...groupErrors)
    else if (group.split(".").length < 2) errors.push(invalid("spec.group", group, "should be a domain with at least one dot"))
  }
  const scope = stringAt(spec, "scope") ?? ""
  if (scope === "") errors.push(required("spec.scope"))
  else if (scope !== "Cluster" && scope !== "Namespaced") errors.push(notSupported("spec.scope", scope, ["Cluster", "Namespaced"]))

  const versions = versionsOf(spec)
  const shared = {
    schema: versions.length > 0 && sameAcrossVersions(versions, (v) => v["schema"] ?? null),
    subresources: versions.length > 0 && sameAcrossVersions(versions, (v) => v["subresources"] ?? null),
    columns: versions.length > 0 && sameAcrossVersions(versions, (v) => columnsOf(v))
  }
  const preserveUnknown = spec["preserveUnknownFields"] === true
  versions.forEach((v, i) => {
    if (objectAt(objectAt(v, "schema") ?? {}, "openAPIV3Schema") === undefined) {
      errors.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, "schemas are required"))
    }
  })
  if (preserveUnknown && versions.some((v) => schemaHasDefault(objectAt(objectAt(v, "schema") ?? {}, "openAPIV3Schema")))) {
    errors.push(invalid("spec.preserveUnknownFields", true, "must be false in order to use defaults in the schema"))
  }
  const anyStatus = versions.some((v) => hasStatus(v["subresources"]))
  let storageCount = 0
  const names = new Set<string>()
  let uniqueNames = true
  versions.forEach((version, i) => {
    const path = `spec.versions[${i}]`
    const name = stringAt(version, "name") ?? ""
    if (version["storage"] === true) storageCount++
    if (names.has(name)) uniqueNames = false
    names.add(name)
    errors.push(...nameError(name, "dns1035", `${path}.name`))
    errors.push(...validateDeprecationWarning(version, path))
    const schema = objectAt(objectAt(version, "schema") ?? {}, "openAPIV3Schema")
    if (!shared.schema && schema !== undefined) errors.push(...validateCrdSchema(schema, `${path}.schema.openAPIV3Schema`, hasStatus(version["subresources"])))
    if (!shared.subresources) errors.push(...validateSubresources(objectAt(version, "subresources"), `${path}.subresources`))
    if (!shared.columns) columnsOf(version).forEach((c, j) => errors.push(...validateColumn(c, `${path}.additionalPrinterColumns[${j}]`)))
  })
  if (!uniqueNames) errors.push(invalid("spec.versions", versions, "must contain unique version names"))
  if (storageCount !== 1) errors.push(invalid("spec.versions", versions, "must have exactly one version marked as storage version"))
  const firstName = stringAt(versions[0] ?? {}, "name")
  if (firstName !== undefined && firstName !== "") errors.push(...nameError(firstName, "dns1035", "spec.version"))

  const specNames = objectAt(spec, "names") ?? {}
  for (const key of ["plural", "singular", "kind", "listKind"]) {
    if ((stringAt(specNames, key) ?? "") === "") errors.push(required(`spec.names.${key}`))
  }
  errors.push(...validateNames(specNames, "spec.names"))
  const first = versions[0]
  const sharedSchema = shared.schema && first !== undefined ? objectAt(objectAt(first, "schema") ?? {}, "openAPIV3Schema") : undefined
  if (sharedSchema !== undefined) errors.push(...validateCrdSchema(sharedSchema, "spec.validation.openAPIV3Schema", anyStatus))
  if (shared.subresources && first !== undefined) errors.push(...validateSubresources(objectAt(first, "subresources"), "spec.subresources"))
  if (shared.columns && first !== undefined) columnsOf(first).forEach((c, j) => errors.push(...validateColumn(c, `spec.additionalPrinterColumns[${j}]`)))

  const conversion = objectAt(spec, "conversion")
  const strategy = conversion === undefined ? "None" : (stringAt(conversion, "strategy") ?? "")
  if (strategy !== "None" && preserveUnknown) {
    errors.push(invalid("spec.conversion.strategy", strategy, "must be None if spec.preserveUnknownFields is true"))
  }
  errors.push(...validateConversion(conversion))
  if (preserveUnknown) {
    errors.push(invalid("spec.preserveUnknownFields", true, "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"))
  }
  return errors
}

/** Update: the create checks, plus group and plural (always) and scope and kind (once established) are immutable. */
export const validateCustomResourceDefinitionUpdate = (crd: JsonObject, old: JsonObject): ReadonlyArray<FieldError> => {
  const spec = objectAt(crd, "spec") ?? {}
  const oldSpec = objectAt(old, "spec") ?? {}
  const errors: Array<FieldError> = [...validateCustomResourceDefinition(crd)]
  const immutable = (path: string, now: Json | undefined, before: Json | undefined): void => {
    if (!deepEqual(now ?? null, before ?? null)) errors.push(invalid(path, now ?? null, "field is immutable"))
  }
  const conditions = objectAt(old, "status")?.["conditions"]
  const established = isJsonArray(conditions) && conditions.some((c) => isJsonObject(c) && c["type"] === "Established" && c["status"] === "True")
  const names = objectAt(spec, "names") ?? {}
  const oldNames = objectAt(oldSpec, "names") ?? {}
  if (established) {
    immutable("spec.scope", spec["scope"], oldSpec["scope"])
    immutable("spec.names.kind", names["kind"], oldNames["kind"])
  }
  immutable("spec.group", spec["group"], oldSpec["group"])
  immutable("spec.names.plural", names["plural"], oldNames["plural"])
  return errors
}

const condition = (type: string, reason: string, message: string, now: Date, previous: Json | undefined): JsonObject => {
  const before = isJsonArray(previous) ? previous.find((c) => isJsonObject(c) && c["type"] === type) : undefined
  const since = isJsonObject(before) && before["status"] === "True" && typeof before["lastTransitionTime"] === "string"
    ? before["lastTransitionTime"]
    : rfc3339(now)
  return { type, status: "True", lastTransitionTime: since, reason, message }
}

/**
 * The status the apiextensions controllers converge to for a CRD without name conflicts: accepted names
 * (field order as the apiserver writes them), NamesAccepted and Established conditions, and stored versions
 * that keep every version ever stored and add the current storage version.
 */
export const crdStatus = (crd: JsonObject, now: Date): JsonObject => {
  const spec = objectAt(crd, "spec") ?? {}
  const names = objectAt(spec, "names") ?? {}
  const previous = objectAt(crd, "status")
  const acceptedNames = objectFrom(
    ["plural", "singular", "shortNames", "kind", "listKind", "categories"]
      .flatMap((key) => {
        const value = own(names, key)
        return value === undefined || value === null || (isJsonArray(value) && value.length === 0) ? [] : [[key, value] as const]
      })
  )
  const storage = versionsOf(spec).find((v) => v["storage"] === true)
  const stored = previous === undefined ? [] : stringsAt(previous, "storedVersions")
  const storageName = storage === undefined ? undefined : stringAt(storage, "name")
  const storedVersions = storageName === undefined || stored.includes(storageName) ? stored : [...stored, storageName]
  const previousConditions = previous?.["conditions"]
  return {
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found", now, previousConditions),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now, previousConditions)
    ],
    acceptedNames,
    storedVersions
  }
}

