import { Option } from "effect"
import { describe, expect, it } from "vitest"
import type { ApiDefinition, ApiState } from "../../src/domain/ApiDefinition.ts"
import { SPEC_HASH_ANNOTATION } from "../../src/domain/Ingress.ts"
import {
  type AppliedHashes,
  definitionHash,
  desiredPolicy,
  documentHash,
  NOTHING_APPLIED,
  planApi,
  planOwned,
  planPolicy,
  policyHash,
  statusChanges
} from "../../src/domain/Plan.ts"

const definition: ApiDefinition = {
  displayName: "catalog",
  path: "catalog",
  serviceUrl: "http://10.0.0.1/catalog",
  protocols: ["https"],
  subscriptionRequired: false,
  openIdProviderId: "oda",
  description: "Published by oda-apim-operator"
}

const state = (changes: Partial<ApiState> = {}): Option.Option<ApiState> =>
  Option.some({
    etag: "e1",
    displayName: "catalog",
    path: "catalog",
    serviceUrl: "http://10.0.0.1/catalog",
    protocols: ["https"],
    subscriptionRequired: false,
    subscriptionKeyParameterNames: undefined,
    openIdProviderId: "oda",
    description: "Published by oda-apim-operator",
    ...changes
  })

const document = { format: "openapi+json" as const, value: "{}" }
const applied: AppliedHashes = { documentHash: documentHash(document), definitionHash: definitionHash(definition), policyHash: undefined }

describe("planApi", () => {
  it("creates an API never published, with its document", () => {
    const action = planApi(definition, document, Option.none(), NOTHING_APPLIED)
    expect(action).toMatchObject({ _tag: "Put", reason: "absent", ifMatch: undefined, definition: { document } })
  })

  it("keeps an API that matches what was applied", () => {
    expect(planApi(definition, document, state(), applied)._tag).toBe("Keep")
  })

  it("calls a difference drift when the desired definition is the one last applied", () => {
    expect(planApi(definition, document, state({ serviceUrl: "http://evil" }), applied)).toMatchObject({
      _tag: "Put",
      reason: "drift",
      ifMatch: "e1",
      drifted: ["serviceUrl"],
      documentChanged: false
    })
  })

  it("calls a difference a change when the desired definition moved since it was applied", () => {
    const moved = { ...definition, path: "catalog/v5" }
    expect(planApi(moved, document, state(), applied)).toMatchObject({ _tag: "Put", reason: "changed", drifted: ["path"] })
    // no record of the definition (a status written before it was recorded): a change, not drift
    expect(planApi(definition, document, state({ path: "x" }), { ...applied, definitionHash: undefined })).toMatchObject({ reason: "changed" })
  })

  it("re-imports a document whose content changed, whatever else holds", () => {
    const next = { format: "openapi+json" as const, value: `{"paths":{}}` }
    expect(planApi(definition, next, state(), applied)).toMatchObject({ _tag: "Put", reason: "changed", documentChanged: true, definition: { document: next } })
  })

  it("calls an API gone from APIM missing when it was published as desired, absent otherwise", () => {
    expect(planApi(definition, document, Option.none(), applied)).toMatchObject({ reason: "missing" })
    expect(planApi({ ...definition, path: "other" }, document, Option.none(), applied)).toMatchObject({ reason: "absent" })
    expect(planApi(definition, undefined, Option.none(), applied)).toMatchObject({ reason: "missing" })
  })

  it("leaves the document out of the definition hash", () => {
    expect(definitionHash({ ...definition, document })).toBe(definitionHash(definition))
    expect(definitionHash({ ...definition, serviceUrl: "http://x" })).not.toBe(definitionHash(definition))
  })
})

describe("planPolicy", () => {
  const xml = `<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`
  const reformatted = `<policies>\n  <inbound>\n    <base />\n  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>`
  const edited = xml.replace("<inbound><base /></inbound>", `<inbound><base /><set-header name="x" exists-action="override"><value>1</value></set-header></inbound>`)

  it("keeps a policy equal by meaning, whatever APIM did to its text", () => {
    expect(planPolicy(desiredPolicy(xml), Option.some({ xml: reformatted, etag: "p1" }), policyHash(xml))._tag).toBe("Keep")
    expect(policyHash(reformatted)).toBe(policyHash(xml))
  })

  it("tells drift (the applied policy was edited) from a change of the spec's policy", () => {
    expect(planPolicy(desiredPolicy(xml), Option.some({ xml: edited, etag: "p1" }), policyHash(xml))).toMatchObject({ _tag: "Put", reason: "drift", ifMatch: "p1" })
    expect(planPolicy(desiredPolicy(edited), Option.some({ xml, etag: "p1" }), policyHash(xml))).toMatchObject({ _tag: "Put", reason: "changed" })
  })

  it("tells a deleted policy from one never applied", () => {
    expect(planPolicy(desiredPolicy(xml), Option.none(), policyHash(xml))).toMatchObject({ reason: "missing", ifMatch: undefined })
    expect(planPolicy(desiredPolicy(xml), Option.none(), undefined)).toMatchObject({ reason: "absent" })
  })

  it("never keeps a malformed policy, not even against the same text", () => {
    const malformed = "<policies><inbound></policies>"
    expect(desiredPolicy(malformed).canonical).toEqual(Option.none())
    expect(planPolicy(desiredPolicy(malformed), Option.some({ xml: malformed, etag: "p1" }), policyHash(malformed))).toMatchObject({ _tag: "Put", reason: "drift" })
  })
})

describe("planOwned", () => {
  const desired = {
    kind: "NetworkPolicy",
    metadata: { name: "n", namespace: "ns", annotations: { [SPEC_HASH_ANNOTATION]: "h1" } }
  }
  const observed = (hash: string, owner: string, controller = true) =>
    Option.some({ metadata: { resourceVersion: "7", annotations: { [SPEC_HASH_ANNOTATION]: hash }, ownerReferences: [{ uid: owner, controller }] } })

  it("creates, keeps on an equal hash, replaces on another, and never takes over someone else's object", () => {
    expect(planOwned(desired, Option.none(), "me")).toEqual({ _tag: "Create", manifest: desired })
    expect(planOwned(desired, observed("h1", "me"), "me")).toEqual({ _tag: "Keep" })
    expect(planOwned(desired, observed("h0", "me"), "me")).toEqual({ _tag: "Replace", manifest: desired, resourceVersion: "7" })
    expect(planOwned(desired, observed("h1", "you"), "me")).toMatchObject({ _tag: "Conflict", message: expect.stringContaining("NetworkPolicy named ns/n") })
    expect(planOwned(desired, observed("h1", "me", false), "me")._tag).toBe("Conflict")
  })
})

describe("statusChanges", () => {
  const status = { apiStatus: { url: "u" }, implementation: { ready: true }, conditions: [], publication: {}, capabilities: [{ field: "spec.name" }], observedGeneration: 2 }

  it("is undefined when every owned field is as desired, capabilities included", () => {
    expect(statusChanges({ ...status, other: "kept" }, status)).toBeUndefined()
  })

  it("names only the owned fields that differ", () => {
    expect(statusChanges(status, { ...status, capabilities: [] })).toEqual({ capabilities: [] })
  })
})
