import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createExposedApiWith, sampleSpec, untilReady, withOperator } from "./World.ts"

describe("an MCP server published as a pass-through API", () => {
  it.live("imports wildcard operations for every method, so API Management forwards any call to the implementation", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* createExposedApiWith(world, "default", "assistant", { ...sampleSpec(world, "assistant", "/assistant/mcp"), apiType: "mcp", specification: undefined })
        const ready = yield* untilReady(world, "default", "assistant")
        const apiId = ready.status?.publication?.apiId ?? ""
        const operations = world.azure.apim.apiOperations(apiId) ?? []
        expect(operations.map((o) => `${o.method} ${o.urlTemplate}`).sort()).toEqual(
          ["DELETE /*", "GET /*", "HEAD /*", "OPTIONS /*", "PATCH /*", "POST /*", "PUT /*"]
        )
        expect(world.azure.apim.getApi(apiId)?.properties["path"]).toBe("assistant/mcp")
      })
    ))
})
