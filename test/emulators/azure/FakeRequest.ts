import type { EmulatorRequest } from "../../../src/emulators/azure/Http.ts"

/** A decoded request as the HTTPS front would hand it to a model, for in-process tests. */
export const fakeRequest = (method: string, rawPath: string, bodyText = ""): EmulatorRequest => ({
  method,
  rawPath,
  segments: rawPath.split("/").filter((s) => s !== ""),
  query: new URLSearchParams(),
  headers: {},
  bodyText,
  baseUrl: "https://127.0.0.1:1"
})
