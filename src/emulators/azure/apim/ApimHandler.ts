import type { EmulatorRequest, EmulatorResponse, Handler } from "../Http.ts"
import { ApimModel, type ApimModelOptions } from "./ApimModel.ts"
import { listApisByTags } from "./ApisByTags.ts"
import { apiBody, filterItems, listPage, operationBody, policyBody, tagLinkBody } from "./ArmBodies.ts"
import type { ArmFailure } from "./ArmFailure.ts"
import { isLocationPoll, parseArmRequest, type ApimRoute, type ServiceAddress } from "./ArmRoute.ts"
import { entityRoute } from "./EntityRoutes.ts"
import type { LroContext } from "./LongRunning.ts"
import { deletedNothing, head, ifMatchOf, methodNotAllowed, ok, readJson, refuse, unknownRoute, written } from "./Replies.ts"

/**
 * The HTTPS door of the APIM model: one ARM request in, APIM's answer out, with exactly the status codes
 * @azure/arm-apimanagement 10.0.0 accepts for each operation (azure-emulators.md §1.4). Requests for another
 * subscription, resource group or service get ARM's own 404s.
 */
const serviceMismatch = (model: ApimModel, address: ServiceAddress): ArmFailure | undefined => {
  const { subscriptionId, resourceGroup, serviceName } = model.options
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  if (!same(address.subscriptionId, subscriptionId))
    return { status: 404, code: "SubscriptionNotFound", message: `The subscription '${address.subscriptionId}' could not be found.` }
  if (!same(address.resourceGroup, resourceGroup))
    return { status: 404, code: "ResourceGroupNotFound", message: `Resource group '${address.resourceGroup}' could not be found.` }
  if (!same(address.serviceName, serviceName))
    return {
      status: 404,
      code: "ResourceNotFound",
      message:
        `The Resource 'Microsoft.ApiManagement/service/${address.serviceName}' under resource group '${address.resourceGroup}' ` +
        "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
    }
  return undefined
}

const lroContext = (model: ApimModel, request: EmulatorRequest, kind: "put" | "delete"): LroContext => ({
  request,
  serviceId: model.serviceId,
  kind
})

const apiNotFound: ArmFailure = { status: 404, code: "ResourceNotFound", message: "Api not found." }

const listApis = (model: ApimModel, request: EmulatorRequest): EmulatorResponse => {
  const current = model.listApis().filter((api) => api.properties["isCurrent"] !== false)
  const filtered = filterItems(current.map((api) => apiBody(model.serviceId, api)), request.query.get("$filter"))
  return filtered.ok ? ok(listPage(filtered.value, request, model.wire.pageSize)) : refuse(request, filtered.failure)
}

const putApi = async (model: ApimModel, request: EmulatorRequest, apiId: string): Promise<EmulatorResponse> => {
  const body = readJson(request)
  if (!body.ok) return refuse(request, body.failure)
  if (model.lro.peek().failure !== undefined) return model.lro.begin({ status: 201 }, lroContext(model, request, "put"))
  const result = await model.putApi(apiId, body.value, { ifMatch: ifMatchOf(request) })
  if (!result.ok) return refuse(request, result.failure)
  const { value, created } = result.value
  return model.lro.begin(written(apiBody(model.serviceId, value), value.etag, created), lroContext(model, request, "put"))
}

const deleteApi = (model: ApimModel, request: EmulatorRequest, apiId: string): EmulatorResponse => {
  if (model.lro.peek().failure !== undefined) return model.lro.begin({ status: 202 }, lroContext(model, request, "delete"))
  const result = model.deleteApi(apiId, { ifMatch: ifMatchOf(request), deleteRevisions: request.query.get("deleteRevisions") === "true" })
  if (!result.ok) return refuse(request, result.failure)
  if (!result.value.existed) return deletedNothing(request, model.wire.missingDeleteStatus, "Api")
  return model.lro.begin({ status: 200 }, lroContext(model, request, "delete"))
}

const api = async (model: ApimModel, request: EmulatorRequest, apiId: string): Promise<EmulatorResponse> => {
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const found = model.getApi(apiId)
      if (found === undefined) return refuse(request, apiNotFound)
      return request.method === "HEAD" ? head(found.etag) : ok(apiBody(model.serviceId, found), found.etag)
    }
    case "PUT":
      return putApi(model, request, apiId)
    case "PATCH": {
      const body = readJson(request)
      const result = body.ok ? model.updateApi(apiId, body.value, { ifMatch: ifMatchOf(request) }) : body
      return result.ok ? ok(apiBody(model.serviceId, result.value), result.value.etag) : refuse(request, result.failure)
    }
    case "DELETE":
      return deleteApi(model, request, apiId)
    default:
      return methodNotAllowed(request)
  }
}

const policyFormatOf = (request: EmulatorRequest) => (request.query.get("format") === "rawxml" ? "rawxml" : "xml")

const apiPolicy = async (model: ApimModel, request: EmulatorRequest, apiId: string, policyId: string): Promise<EmulatorResponse> => {
  const found = model.getApi(apiId)
  if (found === undefined) return refuse(request, apiNotFound)
  const policyMissing: ArmFailure = { status: 404, code: "ResourceNotFound", message: "Policy not found." }
  if (policyId.toLowerCase() !== "policy") return refuse(request, policyMissing)
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const policy = found.policy
      if (policy === undefined) return refuse(request, policyMissing)
      if (request.method === "HEAD") return head(policy.etag)
      return ok(policyBody(model.serviceId, found.name, policy, policyFormatOf(request)), policy.etag)
    }
    case "PUT": {
      const body = readJson(request)
      const result = body.ok ? await model.putApiPolicy(apiId, body.value, { ifMatch: ifMatchOf(request) }) : body
      if (!result.ok) return refuse(request, result.failure)
      const { value, created } = result.value
      return written(policyBody(model.serviceId, found.name, value, value.format), value.etag, created)
    }
    case "DELETE": {
      const result = model.deleteApiPolicy(apiId, { ifMatch: ifMatchOf(request) })
      if (!result.ok) return refuse(request, result.failure)
      return result.value.existed ? { status: 200 } : deletedNothing(request, model.wire.missingDeleteStatus, "Policy")
    }
    default:
      return methodNotAllowed(request)
  }
}

const apiChildren = (model: ApimModel, request: EmulatorRequest, route: ApimRoute): EmulatorResponse => {
  if (route.kind !== "apiPolicies" && route.kind !== "apiOperations" && route.kind !== "apiOperation") return unknownRoute(request)
  const found = model.getApi(route.apiId)
  if (found === undefined) return refuse(request, apiNotFound)
  if (route.kind === "apiPolicies") {
    if (request.method !== "GET") return methodNotAllowed(request)
    const policies = found.policy === undefined ? [] : [policyBody(model.serviceId, found.name, found.policy, policyFormatOf(request))]
    return ok({ value: policies, count: policies.length })
  }
  if (route.kind === "apiOperations") {
    if (request.method !== "GET") return methodNotAllowed(request)
    const filtered = filterItems(
      found.operations.map((operation) => operationBody(model.serviceId, found.name, operation)),
      request.query.get("$filter")
    )
    return filtered.ok ? ok(listPage(filtered.value, request, model.wire.pageSize)) : refuse(request, filtered.failure)
  }
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(request)
  const operation = found.operations.find((candidate) => candidate.name.toLowerCase() === route.operationId.toLowerCase())
  if (operation === undefined) return refuse(request, { status: 404, code: "ResourceNotFound", message: "Operation not found." })
  return request.method === "HEAD" ? head(found.etag) : ok(operationBody(model.serviceId, found.name, operation), found.etag)
}

const apiTags = (model: ApimModel, request: EmulatorRequest, apiId: string, tagId: string | undefined): EmulatorResponse => {
  const found = model.getApi(apiId)
  if (found === undefined) return refuse(request, apiNotFound)
  if (tagId === undefined) {
    if (request.method !== "GET") return methodNotAllowed(request)
    const tags = model.entities.apiTags(apiId)
    if (!tags.ok) return refuse(request, tags.failure)
    return ok(listPage(tags.value.map((tag) => tagLinkBody(model.serviceId, found.name, tag)), request, model.wire.pageSize))
  }
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const tag = model.entities.apiTag(apiId, tagId)
      if (!tag.ok) return refuse(request, tag.failure)
      return request.method === "HEAD" ? head(tag.value.etag) : ok(tagLinkBody(model.serviceId, found.name, tag.value), tag.value.etag)
    }
    case "PUT": {
      const result = model.entities.assignTag(apiId, tagId)
      if (!result.ok) return refuse(request, result.failure)
      return written(tagLinkBody(model.serviceId, found.name, result.value.value), result.value.value.etag, result.value.created)
    }
    case "DELETE": {
      const result = model.entities.detachTag(apiId, tagId)
      if (!result.ok) return refuse(request, result.failure)
      return result.value.existed ? { status: 200 } : { status: 204 }
    }
    default:
      return methodNotAllowed(request)
  }
}

const route = async (model: ApimModel, request: EmulatorRequest, target: ApimRoute): Promise<EmulatorResponse> => {
  switch (target.kind) {
    case "service":
      return request.method === "GET" ? ok(model.serviceResource()) : methodNotAllowed(request)
    case "apis":
      return request.method === "GET" ? listApis(model, request) : methodNotAllowed(request)
    case "apisByTags":
      return listApisByTags(model, request)
    case "api":
      return api(model, request, target.apiId)
    case "apiPolicy":
      return apiPolicy(model, request, target.apiId, target.policyId)
    case "apiPolicies":
    case "apiOperations":
    case "apiOperation":
      return apiChildren(model, request, target)
    case "apiTags":
      return apiTags(model, request, target.apiId, undefined)
    case "apiTag":
      return apiTags(model, request, target.apiId, target.tagId)
    case "operationResult": {
      const status = request.method === "GET" ? model.lro.pollStatus(target.operationId) : undefined
      return status ?? refuse(request, { status: 404, code: "ResourceNotFound", message: "Operation not found." })
    }
    case "unknown":
      return unknownRoute(request)
    default:
      return entityRoute(model, request, target)
  }
}

export const makeApimHandler =
  (model: ApimModel): Handler =>
  async (request) => {
    const parsed = parseArmRequest(request)
    if (parsed === undefined) return unknownRoute(request)
    const mismatch = serviceMismatch(model, parsed.service)
    if (mismatch !== undefined) return refuse(request, mismatch)
    if (isLocationPoll(request)) {
      const poll = model.lro.pollLocation(request.query.get("asyncId") ?? "")
      return poll ?? refuse(request, { status: 404, code: "ResourceNotFound", message: "Operation not found." })
    }
    return route(model, request, parsed.route)
  }

/** A model and its HTTPS door, e.g. for AzureEmulator's `arm` option: `(facts) => makeApimEmulator(facts).handler`. */
export const makeApimEmulator = (options: ApimModelOptions): { readonly model: ApimModel; readonly handler: Handler } => {
  const model = new ApimModel(options)
  return { model, handler: makeApimHandler(model) }
}
