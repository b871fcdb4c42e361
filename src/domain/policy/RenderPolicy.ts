import { PolicyElement, policySectionNames, type ParameterOverrides, type PolicyDocument } from "./PolicyModel.ts"
import { counterKeyExpression } from "./PolicyValues.ts"
import { buildXml, element, textElement, type XmlElement } from "./XmlTree.ts"

/**
 * The policy model as APIM policy XML (`format: "xml"`: expressions are XML-escaped like every other value).
 * Element and attribute names and their order follow the APIM policy reference, which asks for child
 * elements in the order of its policy statements.
 */

const list = (name: string, item: string, values: ReadonlyArray<string>): ReadonlyArray<XmlElement> =>
  values.length === 0 ? [] : [element(name, [], values.map((value) => textElement(item, value)))]

const overrides = (name: string, group: ParameterOverrides | undefined): ReadonlyArray<XmlElement> =>
  group === undefined
    ? []
    : [
        element(
          name,
          [
            ["specified-parameter-action", group.specifiedParameterAction],
            ["unspecified-parameter-action", group.unspecifiedParameterAction]
          ],
          group.parameters.map((parameter) => element("parameter", [["name", parameter.name], ["action", parameter.action]]))
        )
      ]

const renderElement: (policy: PolicyElement) => XmlElement = PolicyElement.$match({
  Base: () => element("base"),
  Cors: (cors) =>
    element(
      "cors",
      [
        ["allow-credentials", cors.allowCredentials],
        ["terminate-unmatched-request", cors.terminateUnmatchedRequest]
      ],
      [
        ...list("allowed-origins", "origin", cors.allowedOrigins),
        ...(cors.allowedMethods === undefined
          ? []
          : [
              element(
                "allowed-methods",
                [["preflight-result-max-age", cors.allowedMethods.preflightResultMaxAge]],
                cors.allowedMethods.methods.map((method) => textElement("method", method))
              )
            ]),
        ...list("allowed-headers", "header", cors.allowedHeaders),
        ...list("expose-headers", "header", cors.exposeHeaders)
      ]
    ),
  ValidateJwt: (jwt) =>
    element(
      "validate-jwt",
      [
        ["header-name", jwt.headerName],
        ["failed-validation-httpcode", jwt.failedValidationHttpCode],
        ["failed-validation-error-message", jwt.failedValidationErrorMessage],
        ["require-scheme", jwt.requireScheme]
      ],
      [
        element("openid-config", [["url", jwt.openIdConfigUrl]]),
        ...list("audiences", "audience", jwt.audiences),
        ...list("issuers", "issuer", jwt.issuers),
        ...(jwt.requiredClaims.length === 0
          ? []
          : [
              element(
                "required-claims",
                [],
                jwt.requiredClaims.map((claim) =>
                  element(
                    "claim",
                    [["name", claim.name], ["match", claim.match]],
                    claim.values.map((value) => textElement("value", value))
                  )
                )
              )
            ])
      ]
    ),
  RateLimitByKey: (limit) =>
    element("rate-limit-by-key", [
      ["calls", limit.calls],
      ["renewal-period", limit.renewalPeriod],
      ["counter-key", counterKeyExpression(limit.counterKey)]
    ]),
  QuotaByKey: (quota) =>
    element("quota-by-key", [
      ["calls", quota.calls],
      ["renewal-period", quota.renewalPeriod],
      ["counter-key", counterKeyExpression(quota.counterKey)]
    ]),
  ValidateParameters: (validation) =>
    element(
      "validate-parameters",
      [
        ["specified-parameter-action", validation.specifiedParameterAction],
        ["unspecified-parameter-action", validation.unspecifiedParameterAction],
        ["errors-variable-name", validation.errorsVariableName]
      ],
      [...overrides("headers", validation.headers), ...overrides("query", validation.query)]
    ),
  ValidateContent: (validation) =>
    element(
      "validate-content",
      [
        ["unspecified-content-type-action", validation.unspecifiedContentTypeAction],
        ["max-size", validation.maxSize],
        ["size-exceeded-action", validation.sizeExceededAction],
        ["errors-variable-name", validation.errorsVariableName]
      ],
      validation.content.map((content) =>
        element("content", [
          ["type", content.type],
          ["validate-as", content.validateAs],
          ["action", content.action]
        ])
      )
    ),
  ValidateStatusCode: (validation) =>
    element("validate-status-code", [
      ["unspecified-status-code-action", validation.unspecifiedStatusCodeAction],
      ["errors-variable-name", validation.errorsVariableName]
    ]),
  ValidateHeaders: (validation) =>
    element("validate-headers", [
      ["specified-header-action", validation.specifiedHeaderAction],
      ["unspecified-header-action", validation.unspecifiedHeaderAction],
      ["errors-variable-name", validation.errorsVariableName]
    ]),
  IncludeFragment: (fragment) => element("include-fragment", [["fragment-id", fragment.fragmentId]])
})

/** The `<policies>` element of `doc`. */
export const policyTree = (doc: PolicyDocument): XmlElement =>
  element(
    "policies",
    [],
    policySectionNames.map((section) => element(section, [], doc[section].map(renderElement)))
  )

/**
 * APIM policy XML for `doc`, indented for people. Always well-formed: the XML library escapes every value, and
 * a character XML cannot carry (only possible in a document not built by `compilePolicy`) becomes U+FFFD.
 */
export const renderPolicyXml = (doc: PolicyDocument): string => buildXml(policyTree(doc), true)
