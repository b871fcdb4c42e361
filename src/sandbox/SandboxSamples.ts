import type { JsonObject } from "../emulators/Json.ts"
import type { DocumentServer } from "./DocumentServer.ts"

export const SAMPLE_NAMESPACE = "components"

/** An ODA Component's share of the sandbox: its Services with their endpoints, and the APIs it exposes. */
export interface SampleComponent {
  /** The component instance, as the label `oda.tmforum.org/componentName` names it. */
  readonly component: string
  /** Applied when the sandbox starts; the others are left for the newcomer to apply. */
  readonly appliedAtStart: boolean
  /** The ExposedAPIs, by name, with a hint when the sample is wrong on purpose. */
  readonly exposedApis: ReadonlyArray<{ readonly name: string; readonly brokenOnPurpose?: { readonly fix: JsonObject } }>
  /** Namespace, Services, EndpointSlices and ExposedAPIs, in the order they are applied. */
  readonly manifests: ReadonlyArray<JsonObject>
}

const namespace: JsonObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: SAMPLE_NAMESPACE } }

/** A Service and the EndpointSlice an EndpointSlice controller would write for it: one ready endpoint. */
const serviceWithEndpoint = (component: string, name: string, ip: string, ports: ReadonlyArray<{ readonly name: string; readonly port: number }>) => {
  const labels = { "oda.tmforum.org/componentName": component }
  const service: JsonObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: SAMPLE_NAMESPACE, labels },
    spec: { selector: { app: name }, ports: ports.map(({ name, port }) => ({ name, port, targetPort: port, protocol: "TCP" })) }
  }
  const endpointSlice: JsonObject = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${name}-7x2kq`, namespace: SAMPLE_NAMESPACE, labels: { ...labels, "kubernetes.io/service-name": name } },
    addressType: "IPv4",
    endpoints: [{ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } }],
    ports: ports.map(({ name, port }) => ({ name, port, protocol: "TCP" }))
  }
  return [service, endpointSlice]
}

const exposedApi = (component: string, name: string, spec: JsonObject): JsonObject => ({
  apiVersion: "oda.tmforum.org/v1",
  kind: "ExposedAPI",
  metadata: { name, namespace: SAMPLE_NAMESPACE, labels: { "oda.tmforum.org/componentName": component } },
  spec
})

/**
 * The sandbox's sample Components, modelled on the ODA example ExposedAPI: a product catalog (TMF620 in Swagger 2.0
 * JSON, with the example's policies) and its Prometheus metrics (published to the Ingress only, by design), customer
 * management (TMF629 in OpenAPI 3 YAML), a product-ordering API that is invalid on purpose (CORS credentials with
 * any origin), and party management (TMF632 in OpenAPI 3 JSON) left for the newcomer to apply.
 */
export const sampleComponents = (documents: DocumentServer): ReadonlyArray<SampleComponent> => [
  {
    component: "r1-productcatalog",
    appliedAtStart: true,
    exposedApis: [{ name: "r1-productcatalog-tmf620" }, { name: "r1-productcatalog-metrics" }],
    manifests: [
      namespace,
      ...serviceWithEndpoint("r1-productcatalog", "r1-productcatalog-prodcatapi", "10.244.1.12", [{ name: "http", port: 8080 }, { name: "metrics", port: 4000 }]),
      exposedApi("r1-productcatalog", "r1-productcatalog-tmf620", {
        name: "productcatalogmanagement",
        specification: { url: documents.urlOf("tmf620-product-catalog.swagger.json"), version: "v4.0.0" },
        apiType: "openapi",
        apiSDO: "TMForum",
        implementation: "r1-productcatalog-prodcatapi",
        path: "/r1-productcatalog/tmf-api/productCatalogManagement/v4",
        developerUI: "/r1-productcatalog/tmf-api/productCatalogManagement/v4/docs",
        port: 8080,
        apiKeyVerification: { enabled: true, location: "header" },
        rateLimit: { enabled: true, identifier: "IP", limit: "100", interval: "pm" },
        quota: { identifier: "IP", limit: "1000" },
        OASValidation: { requestEnabled: true, responseEnabled: false },
        CORS: {
          enabled: true,
          allowCredentials: true,
          allowOrigins: "https://portal.example.com, https://shop.example.com",
          handlePreflightRequests: { enabled: true, allowMethods: "GET, POST, PATCH, DELETE", maxAge: 3600 }
        }
      }),
      exposedApi("r1-productcatalog", "r1-productcatalog-metrics", {
        name: "metrics",
        apiType: "prometheus",
        implementation: "r1-productcatalog-prodcatapi",
        path: "/r1-productcatalog/metrics",
        port: 4000
      })
    ]
  },
  {
    component: "r1-customer",
    appliedAtStart: true,
    exposedApis: [{ name: "r1-customer-tmf629" }],
    manifests: [
      namespace,
      ...serviceWithEndpoint("r1-customer", "r1-customer-custapi", "10.244.2.7", [{ name: "http", port: 8080 }]),
      exposedApi("r1-customer", "r1-customer-tmf629", {
        name: "customermanagement",
        specification: { url: documents.urlOf("tmf629-customer-management.oas.yaml"), version: "v4.0.0" },
        apiType: "openapi",
        apiSDO: "TMForum",
        implementation: "r1-customer-custapi",
        path: "/r1-customer/tmf-api/customerManagement/v4",
        port: 8080,
        rateLimit: { enabled: true, identifier: "IP", limit: "20", interval: "ps" },
        CORS: { enabled: true, allowOrigins: "https://portal.example.com" }
      })
    ]
  },
  {
    component: "r1-productorder",
    appliedAtStart: true,
    exposedApis: [{
      name: "r1-productorder-tmf622",
      brokenOnPurpose: { fix: { spec: { CORS: { allowOrigins: "https://shop.example.com" } } } }
    }],
    manifests: [
      namespace,
      ...serviceWithEndpoint("r1-productorder", "r1-productorder-poapi", "10.244.3.4", [{ name: "http", port: 8080 }]),
      exposedApi("r1-productorder", "r1-productorder-tmf622", {
        name: "productorderingmanagement",
        specification: { url: documents.urlOf("tmf622-product-ordering.swagger.yaml"), version: "v4.0.0" },
        apiType: "openapi",
        apiSDO: "TMForum",
        implementation: "r1-productorder-poapi",
        path: "/r1-productorder/tmf-api/productOrderingManagement/v4",
        port: 8080,
        // browsers refuse credentials with a wildcard origin: the operator reports the spec as invalid
        CORS: { enabled: true, allowCredentials: true, allowOrigins: "*" }
      })
    ]
  },
  {
    component: "r1-party",
    appliedAtStart: false,
    exposedApis: [{ name: "r1-party-tmf632" }],
    manifests: [
      namespace,
      ...serviceWithEndpoint("r1-party", "r1-party-partyapi", "10.244.4.9", [{ name: "http", port: 8080 }]),
      exposedApi("r1-party", "r1-party-tmf632", {
        name: "partymanagement",
        specification: { url: documents.urlOf("tmf632-party-management.oas.json"), version: "v4.0.0" },
        apiType: "openapi",
        apiSDO: "TMForum",
        implementation: "r1-party-partyapi",
        path: "/r1-party/tmf-api/partyManagement/v4",
        port: 8080,
        rateLimit: { enabled: true, identifier: "IP", limit: "100", interval: "pm" }
      })
    ]
  }
]
