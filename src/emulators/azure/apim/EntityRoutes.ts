import type { EmulatorRequest, EmulatorResponse } from "../Http.ts"
import type { ApimModel } from "./ApimModel.ts"
import { apiBody, entityBody, filterItems, listPage } from "./ArmBodies.ts"
import { notFound } from "./ArmFailure.ts"
import type { ApimRoute, CollectionName } from "./ArmRoute.ts"
import { entityKinds } from "./EntityKinds.ts"
import { deletedNothing, head, ifMatchOf, methodNotAllowed, ok, readJson, refuse, unknownRoute, written } from "./Replies.ts"

/**
 * Routes of the entities beside APIs: CRUD on each collection, their POST actions (listSecrets, listValue,
 * regenerate…Key), and the product↔API links, whose HEAD answers 204 and whose PUT returns the linked API.
 * Named value and policy fragment PUTs are long-running operations in the SDK, so they follow the LRO mode.
 */
const longRunningPuts: ReadonlyArray<CollectionName> = ["namedValues", "policyFragments"]

const collection = (model: ApimModel, request: EmulatorRequest, name: CollectionName): EmulatorResponse => {
  if (request.method !== "GET") return methodNotAllowed(request)
  const items = model.entities.list(name).map((entity) => entityBody(model.serviceId, name, entity, request.query))
  const filtered = filterItems(items, request.query.get("$filter"))
  return filtered.ok ? ok(listPage(filtered.value, request, model.wire.pageSize)) : refuse(request, filtered.failure)
}

const putEntity = (model: ApimModel, request: EmulatorRequest, name: CollectionName, id: string): EmulatorResponse => {
  const body = readJson(request)
  if (!body.ok) return refuse(request, body.failure)
  const longRunning = longRunningPuts.includes(name)
  const context = { request, serviceId: model.serviceId, kind: "put" as const }
  if (longRunning && model.lro.peek().failure !== undefined) return model.lro.begin({ status: 201 }, context)
  const result = model.entities.put(name, id, body.value, { ifMatch: ifMatchOf(request) })
  if (!result.ok) return refuse(request, result.failure)
  const { value, created } = result.value
  const answer = written(entityBody(model.serviceId, name, value, request.query), value.etag, created)
  return longRunning ? model.lro.begin(answer, context) : answer
}

const entity = (model: ApimModel, request: EmulatorRequest, name: CollectionName, id: string): EmulatorResponse => {
  const label = entityKinds[name].label
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const found = model.entities.get(name, id)
      if (found === undefined) return refuse(request, notFound(label))
      return request.method === "HEAD" ? head(found.etag) : ok(entityBody(model.serviceId, name, found, request.query), found.etag)
    }
    case "PUT":
      return putEntity(model, request, name, id)
    case "PATCH": {
      const body = readJson(request)
      const result = body.ok ? model.entities.update(name, id, body.value, { ifMatch: ifMatchOf(request) }) : body
      return result.ok ? ok(entityBody(model.serviceId, name, result.value, request.query), result.value.etag) : refuse(request, result.failure)
    }
    case "DELETE": {
      const deleteSubscriptions = request.query.get("deleteSubscriptions") === "true"
      const result = model.entities.delete(name, id, { ifMatch: ifMatchOf(request), deleteSubscriptions })
      if (!result.ok) return refuse(request, result.failure)
      return result.value.existed ? { status: 200 } : deletedNothing(request, model.wire.missingDeleteStatus, label)
    }
    default:
      return methodNotAllowed(request)
  }
}

const action = (model: ApimModel, request: EmulatorRequest, name: CollectionName, id: string, verb: string): EmulatorResponse => {
  if (request.method !== "POST") return methodNotAllowed(request)
  const found = model.entities.get(name, id)
  if (found === undefined) return refuse(request, notFound(entityKinds[name].label))
  if (name === "subscriptions" && (verb === "regeneratePrimaryKey" || verb === "regenerateSecondaryKey")) {
    const result = model.entities.regenerateKey(id, verb === "regeneratePrimaryKey" ? "primaryKey" : "secondaryKey")
    return result.ok ? { status: 204 } : refuse(request, result.failure)
  }
  if (entityKinds[name].secrets?.action !== verb) return unknownRoute(request)
  const secrets = model.entities.secrets(name, id)
  return secrets.ok ? ok(secrets.value, found.etag) : refuse(request, secrets.failure)
}

const productApi = (model: ApimModel, request: EmulatorRequest, productId: string, apiId: string): EmulatorResponse => {
  switch (request.method) {
    case "HEAD":
      return model.entities.isProductApiLinked(productId, apiId) ? { status: 204 } : { status: 404 }
    case "PUT": {
      const result = model.entities.linkProductApi(productId, apiId)
      if (!result.ok) return refuse(request, result.failure)
      return { status: result.value.created ? 201 : 200, body: apiBody(model.serviceId, result.value.value) }
    }
    case "DELETE": {
      const result = model.entities.unlinkProductApi(productId, apiId)
      if (!result.ok) return refuse(request, result.failure)
      return { status: result.value.existed ? 200 : 204 }
    }
    default:
      return methodNotAllowed(request)
  }
}

export const entityRoute = (model: ApimModel, request: EmulatorRequest, target: ApimRoute): EmulatorResponse => {
  switch (target.kind) {
    case "collection":
      return collection(model, request, target.collection)
    case "entity":
      return entity(model, request, target.collection, target.id)
    case "entityAction":
      return action(model, request, target.collection, target.id, target.action)
    case "productApis": {
      if (request.method !== "GET") return methodNotAllowed(request)
      const apis = model.entities.productApis(target.productId)
      return apis.ok
        ? ok(listPage(apis.value.map((api) => apiBody(model.serviceId, api)), request, model.wire.pageSize))
        : refuse(request, apis.failure)
    }
    case "productApi":
      return productApi(model, request, target.productId, target.apiId)
    default:
      return unknownRoute(request)
  }
}
