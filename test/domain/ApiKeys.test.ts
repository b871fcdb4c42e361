import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  apiKeySecretFor,
  apiKeySecretName,
  apiKeyUsage,
  checkApiKeySecret,
  isManagedProduct,
  type ObservedSecret,
  productDrift,
  productFor,
  secretDiffers,
  SUBSCRIPTION_ETAG_ANNOTATION,
  subscriptionDrift,
  subscriptionFor
} from "../../src/domain/ApiKeys.ts"
import { apimApiId, apimApiProductId, apimComponentProductId, apimSegmentTagId, apimTagId, isApimTagIdOf, isValidApimApiId } from "../../src/domain/ApiNaming.ts"

const owner = { metadata: { name: "catalog", namespace: "components", uid: "uid-1" } }
const intent = { namespace: "components", name: "catalog", component: "r1-productcatalogmanagement" }
const usage = apiKeyUsage({ policies: { apiKey: { location: "header", name: "X-Key" }, jwtValidation: false } }, "https://gw/catalog")
const keys = { primaryKey: "p1", secondaryKey: "s1" }

/** What the API server gives back for a Secret the operator wrote. */
const stored = (manifest: ReturnType<typeof apiKeySecretFor>, resourceVersion = "7"): ObservedSecret => ({
  metadata: { ...manifest.metadata, resourceVersion },
  data: manifest.data
})

describe("products and subscriptions for apiKeyVerification", () => {
  it("gives an ODA Component one product per namespace, published, subscription required, no approval, marked as the operator's", () => {
    const product = productFor(intent)
    expect(product).toMatchObject({ subscriptionRequired: true, approvalRequired: false, state: "published" })
    expect(product.id).toBe(apimComponentProductId("components", "r1-productcatalogmanagement"))
    expect(product.id).toMatch(/^oda-components-r1-productcatalogmanagement-[0-9a-f]{8}$/)
    expect(product.displayName).toContain("r1-productcatalogmanagement")
    expect(isManagedProduct(product)).toBe(true)
    expect(productFor({ ...intent, name: "other" }).id).toBe(product.id) // the Component's other APIs share it
    expect(productFor({ ...intent, namespace: "team-b" }).id).not.toBe(product.id)
  })

  it("gives an ExposedAPI without a Component a product of its own", () => {
    const { component: _none, ...lone } = intent
    const product = productFor(lone)
    expect(product.id).toBe(apimApiProductId("components", "catalog"))
    expect(productFor({ ...lone, name: "other" }).id).not.toBe(product.id)
    expect(product.id).not.toBe(productFor(intent).id)
  })

  it("names products readably and validly whatever the Component label holds", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.string({ maxLength: 300 }), (namespace, component) => {
        const id = apimComponentProductId(namespace, component)
        expect(isValidApimApiId(id)).toBe(true)
        expect(id).toMatch(/^oda-([a-z0-9]+(-[a-z0-9]+)*-)?[0-9a-f]{8}$/)
      }),
      { numRuns: 200 }
    )
  })

  it("does not treat products of others as the operator's", () => {
    expect(isManagedProduct({ description: "Starter product" })).toBe(false)
  })

  it("reports the product fields that drifted", () => {
    const plan = productFor(intent)
    expect(productDrift(plan, plan)).toEqual([])
    expect(productDrift(plan, { ...plan, state: "notPublished", approvalRequired: true })).toEqual(["approvalRequired", "state"])
  })

  it("keeps one subscription per ExposedAPI, with the API's id, active, scoped to the product", () => {
    const plan = subscriptionFor(intent, "oda-p")
    expect(plan).toEqual({ id: apimApiId("components", "catalog"), displayName: "ExposedAPI components/catalog", productId: "oda-p", state: "active" })
    expect(subscriptionDrift(plan, { displayName: plan.displayName, productId: "ODA-P", state: "active" })).toEqual([])
    expect(subscriptionDrift(plan, { displayName: "x", productId: undefined, state: "submitted" })).toEqual(["displayName", "scope", "state"])
  })
})

describe("tag ids", () => {
  it("are readable for segments and plain Component names, hashed where the value had to be changed", () => {
    expect(apimSegmentTagId("coreFunction")).toBe("oda-segment-corefunction")
    expect(apimTagId("component", "r1-productcatalogmanagement")).toBe("oda-component-r1-productcatalogmanagement")
    expect(apimTagId("component", "R1_Catalog")).toMatch(/^oda-component-r1-catalog-[0-9a-f]{8}$/)
    expect(apimTagId("component", "R1_Catalog")).not.toBe(apimTagId("component", "r1-catalog"))
    expect(isApimTagIdOf("component", apimTagId("component", "R1_Catalog"))).toBe(true)
    expect(isApimTagIdOf("segment", apimTagId("component", "x"))).toBe(false)
  })

  it("are always valid APIM tag ids of at most 80 characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (value) => {
        const id = apimTagId("component", value)
        expect(id.length).toBeLessThanOrEqual(80)
        expect(id).toMatch(/^oda-component-[a-z0-9-]*[a-z0-9]$/)
      }),
      { numRuns: 300 }
    )
  })
})

describe("the API key Secret", () => {
  it("holds the keys and how to use them, owned by the ExposedAPI, labelled like its Ingress", () => {
    const secret = apiKeySecretFor(owner, intent, usage, keys, "etag-1")
    expect(secret.metadata.name).toBe("catalog-api-key")
    expect(secret.type).toBe("Opaque")
    const decoded = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]))
    expect(decoded).toEqual({ primaryKey: "p1", secondaryKey: "s1", headerName: "X-Key", queryParameterName: "subscription-key", url: "https://gw/catalog" })
    expect(secret.metadata.ownerReferences).toEqual([
      { apiVersion: "oda.tmforum.org/v1", kind: "ExposedAPI", name: "catalog", uid: "uid-1", controller: true, blockOwnerDeletion: true }
    ])
    expect(secret.metadata.labels).toMatchObject({ "oda.tmforum.org/componentName": "r1-productcatalogmanagement", "app.kubernetes.io/managed-by": "oda-apim-operator" })
    expect(secret.metadata.annotations[SUBSCRIPTION_ETAG_ANNOTATION]).toBe("etag-1")
  })

  it("never carries the keys in its annotations", () => {
    const secret = apiKeySecretFor(owner, intent, usage, { primaryKey: "very-secret-primary", secondaryKey: "very-secret-secondary" }, "e")
    expect(JSON.stringify(secret.metadata)).not.toContain("very-secret")
  })

  it("keeps within Kubernetes' name length for the longest ExposedAPI names", () => {
    const name = apiKeySecretName("x".repeat(253))
    expect(name.length).toBeLessThanOrEqual(253)
    expect(name).toMatch(/^x+-[0-9a-f]{8}-api-key$/)
  })

  it("is current while the subscription's ETag, the usage and the data are as written: no key read needed", () => {
    const secret = stored(apiKeySecretFor(owner, intent, usage, keys, "etag-1"))
    expect(checkApiKeySecret(owner, intent, usage, "etag-1", secret)).toEqual({ _tag: "Current" })
  })

  it("is refreshed when absent, when the subscription changed, when the usage changed or when someone edited it", () => {
    const secret = stored(apiKeySecretFor(owner, intent, usage, keys, "etag-1"))
    expect(checkApiKeySecret(owner, intent, usage, "etag-1", undefined)).toEqual({ _tag: "Refresh", resourceVersion: undefined })
    expect(checkApiKeySecret(owner, intent, usage, "etag-2", secret)._tag).toBe("Refresh")
    expect(checkApiKeySecret(owner, intent, { ...usage, url: "https://gw/v2" }, "etag-1", secret)._tag).toBe("Refresh")
    expect(checkApiKeySecret(owner, { component: "other" }, usage, "etag-1", secret)._tag).toBe("Refresh")
    const edited = { ...secret, data: { ...secret.data, primaryKey: Buffer.from("mine").toString("base64") } }
    expect(checkApiKeySecret(owner, intent, usage, "etag-1", edited)).toEqual({ _tag: "Refresh", resourceVersion: "7" })
  })

  it("never takes over a Secret that something else controls", () => {
    const foreign = { ...stored(apiKeySecretFor(owner, intent, usage, keys, "e")), metadata: { resourceVersion: "1", labels: {}, annotations: {}, ownerReferences: [] } }
    expect(checkApiKeySecret(owner, intent, usage, "e", foreign)._tag).toBe("Conflict")
  })

  it("is written only when its content differs", () => {
    const desired = apiKeySecretFor(owner, intent, usage, keys, "etag-1")
    expect(secretDiffers(desired, undefined)).toBe(true)
    expect(secretDiffers(desired, stored(desired))).toBe(false)
    expect(secretDiffers(desired, stored(apiKeySecretFor(owner, intent, usage, keys, "etag-0")))).toBe(true)
    expect(secretDiffers(desired, stored(apiKeySecretFor(owner, intent, usage, { ...keys, primaryKey: "p0" }, "etag-1")))).toBe(true)
  })
})
