import { tmf620ProductCatalog } from "./documents/Tmf620ProductCatalog.ts"
import { tmf622ProductOrdering } from "./documents/Tmf622ProductOrdering.ts"
import { tmf629CustomerManagement } from "./documents/Tmf629CustomerManagement.ts"
import { tmf632PartyManagement } from "./documents/Tmf632PartyManagement.ts"

/** One specification document the sandbox serves: the sandbox reaches nothing on the internet. */
export interface SampleDocument {
  /** The file name it is served under, `/<file>`. */
  readonly file: string
  readonly contentType: string
  readonly body: string
}

/**
 * Small documents written for the sandbox, one per format the operator tells apart: Swagger 2.0 and OpenAPI 3,
 * each in JSON and in YAML.
 */
export const sampleDocuments: ReadonlyArray<SampleDocument> = [
  { file: "tmf620-product-catalog.swagger.json", contentType: "application/json", body: `${JSON.stringify(tmf620ProductCatalog, null, 2)}\n` },
  { file: "tmf622-product-ordering.swagger.yaml", contentType: "application/yaml", body: tmf622ProductOrdering },
  { file: "tmf629-customer-management.oas.yaml", contentType: "application/yaml", body: tmf629CustomerManagement },
  { file: "tmf632-party-management.oas.json", contentType: "application/json", body: `${JSON.stringify(tmf632PartyManagement, null, 2)}\n` }
]
