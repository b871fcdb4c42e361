import type { JsonObject } from "../../src/emulators/Json.ts"

/**
 * The ODA Canvas's Component CRD as far as the operator relies on it (tmforum-oda/oda-canvas,
 * charts/oda-crds/templates/oda-component-crd.yaml): group oda.tmforum.org, kind Component, `status` an object
 * whose fields are preserved as written, and no status subresource. The Canvas's conversion webhook and its full
 * spec schema are left out: the operator never reads a Component's spec.
 */
export const componentCrd = (options: { readonly statusSubresource?: boolean } = {}): JsonObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "components.oda.tmforum.org" },
  spec: {
    group: "oda.tmforum.org",
    scope: "Namespaced",
    names: { plural: "components", singular: "component", kind: "Component" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true }
            }
          }
        },
        ...(options.statusSubresource === true ? { subresources: { status: {} } } : {}),
        additionalPrinterColumns: [
          {
            name: "deployment_status",
            type: "string",
            description: "Deployment status [in progress, complete, failed]",
            jsonPath: ".status.summary/status.deployment_status"
          }
        ]
      }
    ]
  }
})
