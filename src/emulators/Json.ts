/** JSON values as they cross an emulator's wire: what JSON.parse can produce. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject
export type JsonObject = { readonly [key: string]: Json }

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Array.isArray narrows to any[]; this keeps the element type. */
export const isJsonArray = (value: Json | undefined): value is ReadonlyArray<Json> => Array.isArray(value)
