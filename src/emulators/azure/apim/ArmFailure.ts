import type { JsonObject } from "../../Json.ts"

/**
 * A refused APIM request, in the shape API Management writes it. The wordings below are the ones seen from
 * the real service in public reports, cited where they are used:
 * - 404 `{"code":"ResourceNotFound","message":"Api not found.","details":null}` (Azure/apiops#494, #643);
 * - 400 `ValidationError` "One or more fields contain incorrect values:" with `details[{code,target,message}]`
 *   (Azure/azure-powershell#8957, #11027; Azure/azure-cli#29405).
 */
export interface ArmErrorDetail {
  readonly code: string
  readonly target?: string
  readonly message: string
}

export interface ArmFailure {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly details?: ReadonlyArray<ArmErrorDetail>
}

export type Outcome<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly failure: ArmFailure }

export const succeed = <A>(value: A): Outcome<A> => ({ ok: true, value })
export const fail = <A = never>(failure: ArmFailure): Outcome<A> => ({ ok: false, failure })

export const incorrectValues = "One or more fields contain incorrect values:"

export const validationFailure = (details: ReadonlyArray<ArmErrorDetail>): ArmFailure => ({
  status: 400,
  code: "ValidationError",
  message: incorrectValues,
  details
})

export const invalidField = (target: string, message: string): ArmFailure =>
  validationFailure([{ code: "ValidationError", target, message }])

/** A ValidationError without details, as APIM answers an unparsable policy fragment (Azure/apiops#160). */
export const plainValidationFailure = (message: string): ArmFailure => ({ status: 400, code: "ValidationError", message })

/** `label` is APIM's entity word: "Api", "Product", "Tag", … → "Product not found." */
export const notFound = (label: string): ArmFailure => ({ status: 404, code: "ResourceNotFound", message: `${label} not found.` })

/**
 * APIM has answered a stale ETag both as 412 `PreconditionFailed` and, on older api-versions, as
 * "Resource was modified since last retrieval." (Azure/azure-powershell#3817); the status and code follow
 * the SDK-facing contract in azure-emulators.md, the message the service's wording.
 */
export const preconditionFailed = (): ArmFailure => ({
  status: 412,
  code: "PreconditionFailed",
  message: "Resource was modified since last retrieval."
})

/** Not verified against the service: the SDK always sends If-Match where the REST spec requires it. */
export const ifMatchRequired = (): ArmFailure => ({
  status: 400,
  code: "ValidationError",
  message: "The If-Match header is required for this operation; use '*' for an unconditional request."
})

export const invalidRequestContent = (reason: string): ArmFailure => ({
  status: 400,
  code: "InvalidRequestContent",
  message: `The request content was invalid and could not be deserialized: '${reason}'.`
})

export const failureBody = (failure: ArmFailure): JsonObject => ({
  error: {
    code: failure.code,
    message: failure.message,
    details:
      failure.details === undefined
        ? null
        : failure.details.map((detail) =>
            detail.target === undefined
              ? { code: detail.code, message: detail.message }
              : { code: detail.code, target: detail.target, message: detail.message }
          )
  }
})
