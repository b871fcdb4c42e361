import { describe, expect, it } from "vitest"
import { armOperationOf } from "../../../../src/emulators/azure/apim/Operations.ts"
import { emulatorRequest } from "./Fixtures.ts"

const P = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim"


describe("armOperationOf", () => {
  it.each<[string, string, string, string, string, boolean]>([
    ["GET", P, "", "", "service.get", false],
    ["GET", `${P}/apis`, "", "", "api.list", false],
    ["GET", `${P}/apis/petstore`, "", "", "api.get", false],
    ["GET", `${P}/apisByTags`, "", "includeNotTaggedApis=true&$top=2", "api.listByTags", false],
    ["HEAD", `${P}/APIS/petstore%3Brev%3D2`, "", "", "api.head", false],
    ["PUT", `${P}/apis/petstore`, '{"properties":{"displayName":"x","path":"p"}}', "", "api.put", true],
    ["PUT", `${P}/apis/petstore`, '{"properties":{"format":"openapi","value":"openapi: 3.0.1"}}', "", "api.import", true],
    ["PATCH", `${P}/apis/petstore`, "{}", "", "api.update", true],
    ["DELETE", `${P}/apis/petstore`, "", "deleteRevisions=true", "api.delete", true],
    ["GET", `${P}/apis/petstore`, "", "asyncId=abc&asyncCode=201", "lro.poll", false],
    ["GET", `${P}/tenant/operationResults/abc`, "", "", "lro.poll", false],
    ["PUT", `${P}/apis/petstore/policies/policy`, "{}", "", "policy.put", true],
    ["GET", `${P}/apis/petstore/policies/policy`, "", "format=xml", "policy.get", false],
    ["GET", `${P}/apis/petstore/operations`, "", "", "operation.list", false],
    ["PUT", `${P}/apis/petstore/tags/oda`, "", "", "apiTag.put", true],
    ["PUT", `${P}/products/starter`, "{}", "", "product.put", true],
    ["PUT", `${P}/products/starter/apis/petstore`, "", "", "productApi.put", true],
    ["HEAD", `${P}/products/starter/apis/petstore`, "", "", "productApi.head", false],
    ["PUT", `${P}/tags/oda`, "{}", "", "tag.put", true],
    ["PUT", `${P}/namedValues/nv`, "{}", "", "namedValue.put", true],
    ["POST", `${P}/namedValues/nv/listValue`, "", "", "namedValue.listValue", true],
    ["POST", `${P}/subscriptions/s1/listSecrets`, "", "", "subscription.listSecrets", true],
    ["GET", `${P}/openidConnectProviders`, "", "", "openidConnectProvider.list", false],
    ["PUT", `${P}/policyFragments/f`, "{}", "", "policyFragment.put", true],
    ["GET", "/secrets/x", "", "", "unknown.get", false]
  ])("%s %s %s %s → %s", (method, path, body, query, name, write) => {
    expect(armOperationOf(emulatorRequest(method, path, { body, query }))).toEqual({ name, write })
  })
})
