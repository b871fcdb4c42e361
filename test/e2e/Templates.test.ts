import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { armWrites } from "./ControlFixtures.ts"
import { conditionOf, createSample, eventually, getExposedApi, readySample, sampleSpec, untilReady, withOperator } from "./World.ts"

const fragment = `<fragment><set-header name="X-Canvas" exists-action="override"><value>1</value></set-header></fragment>`

describe("spec.template end to end", () => {
  it.live("reports a missing fragment once, publishes nothing, retries only at resync, and publishes once the fragment exists", () =>
    withOperator({ resyncInterval: "200 millis" }, (world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "catalog", { ...sampleSpec(world, "catalog", "/catalog"), template: "canvas-defaults" })
        const blocked = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "PoliciesApplied")?.reason === "TemplateNotFound")
        const applied = conditionOf(blocked, "PoliciesApplied")
        expect(applied?.status).toBe("False")
        expect(applied?.message).toContain('"canvas-defaults"')
        expect(applied?.message).toContain("Policy fragments")
        expect(conditionOf(blocked, "Ready")).toMatchObject({ status: "False", reason: "TemplateNotFound" })
        // an API without its template's policy would be open without the template's checks: nothing is published
        expect(world.azure.apim.listApis()).toEqual([])

        // several resyncs later: one fragment read per resync, no write anywhere, one Event
        world.azure.logs.arm.clear()
        world.kube.log.clear()
        const fragmentReads = () => world.azure.logs.arm.entries().filter((e) => e.path.endsWith("/policyFragments/canvas-defaults")).length
        yield* eventually(Effect.sync(fragmentReads), (n) => n >= 3)
        expect(armWrites(world)).toEqual([])
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([])
        const warnings = world.kube.objects.list("events.k8s.io/v1", "Event", "default").filter((e) => e["reason"] === "TemplateNotFound")
        expect(warnings).toHaveLength(1)

        expect(world.azure.apim.entities.put("policyFragments", "canvas-defaults", { properties: { format: "rawxml", value: fragment } }).ok).toBe(true)
        yield* untilReady(world, "default", "catalog")
        const policy = world.azure.apim.getApiPolicy(apimApiId("default", "catalog"))
        expect(policy?.value).toMatch(/<include-fragment fragment-id="canvas-defaults"\s*\/>/)
      })
    ))

  it.live("puts the configured issuers, required claims and refusal message into the stored policy", () =>
    withOperator({
      settings: {
        JWT_ISSUERS: "https://keycloak.canvas.example/realms/canvas",
        JWT_REQUIRED_CLAIMS: "roles=api.read|api.write;azp=canvas-portal",
        JWT_FAILED_MESSAGE: "Canvas token required"
      }
    }, (world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "catalog", "/catalog")
        const policy = String(world.azure.apim.getApiPolicy(apimApiId("default", "catalog"))?.value)
        expect(policy).toContain("<issuer>https://keycloak.canvas.example/realms/canvas</issuer>")
        expect(policy).toMatch(/<claim name="roles" match="any">\s*<value>api\.read<\/value>\s*<value>api\.write<\/value>\s*<\/claim>/)
        expect(policy).toMatch(/<claim name="azp" match="any">\s*<value>canvas-portal<\/value>/)
        expect(policy).toContain('failed-validation-error-message="Canvas token required"')
      })
    ))
})
