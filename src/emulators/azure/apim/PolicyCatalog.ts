/**
 * The policy elements API Management knows (learn.microsoft.com/azure/api-management/api-management-policies),
 * with, where cheap, their child elements and the sections they may appear in. A spec without `children`
 * leaves the element's content unchecked; `"policies"` means the children are policies again (choose/when,
 * retry, …); an empty object means no child elements at all.
 */
export type Section = "inbound" | "backend" | "outbound" | "on-error"

export const sections: ReadonlyArray<Section> = ["inbound", "backend", "outbound", "on-error"]

export interface ElementSpec {
  readonly children?: "policies" | Readonly<Record<string, ElementSpec>>
  readonly sections?: ReadonlyArray<Section>
}

const leaf: ElementSpec = { children: {} }
const inboundOnly: ReadonlyArray<Section> = ["inbound"]
const values: ElementSpec = { children: { value: leaf } }
const list = (item: string): ElementSpec => ({ children: { [item]: leaf } })
const claims: ElementSpec = { children: { claim: values } }
const keys: ElementSpec = list("key")

const policyCatalog: Readonly<Record<string, ElementSpec>> = {
  base: leaf,
  "include-fragment": leaf,
  choose: { children: { when: { children: "policies" }, otherwise: { children: "policies" } } },
  retry: { children: "policies" },
  wait: { children: "policies" },
  "limit-concurrency": { children: "policies" },
  "set-variable": leaf,
  "set-header": values,
  "set-query-parameter": values,
  "set-method": { children: {}, sections: ["inbound", "on-error"] },
  "set-status": leaf,
  "set-body": leaf,
  "rewrite-uri": { children: {}, sections: inboundOnly },
  "set-backend-service": { children: {}, sections: ["inbound", "backend"] },
  "forward-request": { children: {}, sections: ["backend"] },
  proxy: leaf,
  "return-response": { children: { "set-status": leaf, "set-header": values, "set-body": leaf } },
  "mock-response": leaf,
  "send-request": {
    children: {
      "set-url": leaf,
      "set-method": leaf,
      "set-header": values,
      "set-body": leaf,
      "authentication-certificate": leaf,
      "authentication-managed-identity": leaf,
      proxy: leaf
    }
  },
  "send-one-way-request": {},
  "rate-limit": { sections: inboundOnly },
  "rate-limit-by-key": { children: {}, sections: inboundOnly },
  quota: { sections: inboundOnly },
  "quota-by-key": { children: {}, sections: inboundOnly },
  "check-header": { children: { value: leaf }, sections: inboundOnly },
  "ip-filter": { children: { address: leaf, "address-range": leaf }, sections: inboundOnly },
  "validate-jwt": {
    sections: inboundOnly,
    children: {
      "openid-config": leaf,
      "issuer-signing-keys": keys,
      "decryption-keys": keys,
      audiences: list("audience"),
      issuers: list("issuer"),
      "required-claims": claims
    }
  },
  "validate-azure-ad-token": {
    sections: inboundOnly,
    children: {
      "client-application-ids": list("application-id"),
      "backend-application-ids": list("application-id"),
      audiences: list("audience"),
      "required-claims": claims,
      "decryption-keys": keys
    }
  },
  "validate-client-certificate": { sections: inboundOnly },
  "get-authorization-context": { sections: inboundOnly },
  "authentication-basic": { children: {}, sections: inboundOnly },
  "authentication-certificate": { children: {}, sections: inboundOnly },
  "authentication-managed-identity": { children: {}, sections: inboundOnly },
  cors: {
    sections: inboundOnly,
    children: {
      "allowed-origins": list("origin"),
      "allowed-methods": list("method"),
      "allowed-headers": list("header"),
      "expose-headers": list("header")
    }
  },
  jsonp: { sections: ["outbound"] },
  "cross-domain": { sections: inboundOnly },
  "cache-lookup": { sections: inboundOnly },
  "cache-store": { children: {}, sections: ["outbound"] },
  "cache-lookup-value": leaf,
  "cache-store-value": leaf,
  "cache-remove-value": leaf,
  "json-to-xml": leaf,
  "xml-to-json": leaf,
  "xsl-transform": {},
  "find-and-replace": leaf,
  "redirect-content-urls": leaf,
  "validate-content": {},
  "validate-parameters": { sections: inboundOnly },
  "validate-headers": { sections: ["outbound", "on-error"] },
  "validate-status-code": { sections: ["outbound", "on-error"] },
  "validate-graphql-request": { sections: inboundOnly },
  "validate-odata-request": { sections: inboundOnly },
  "set-graphql-resolver": {},
  "log-to-eventhub": leaf,
  trace: { children: { message: leaf, metadata: leaf } },
  "emit-metric": { children: { dimension: leaf } },
  "azure-openai-emit-token-metric": {},
  "azure-openai-token-limit": {},
  "azure-openai-semantic-cache-lookup": {},
  "azure-openai-semantic-cache-store": {},
  "llm-emit-token-metric": {},
  "llm-token-limit": {},
  "llm-content-safety": {},
  "llm-semantic-cache-lookup": {},
  "llm-semantic-cache-store": {},
  "publish-to-dapr": {},
  "invoke-dapr-binding": {}
}

export const policySpecOf = (name: string): ElementSpec | undefined => policyCatalog[name]
