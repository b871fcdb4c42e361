import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  fieldSelectorFields,
  formatLabelSelector,
  labelSelectorFromObject,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  unsupportedFieldLabel,
  type LabelRequirement
} from "../../../src/emulators/kube/Selectors.ts"
import { badRequestStatus, statusOf } from "./StatusOf.ts"

const badRequestMessage = (run: () => unknown): string | undefined => {
  const status = statusOf(run)
  expect(status).toMatchObject({ kind: "Status", status: "Failure", code: 400, reason: "BadRequest" })
  return status.message
}

const requirements = (text: string): ReadonlyArray<LabelRequirement> => parseLabelSelector(text).requirements

const nameRegex = "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const nameRule = `must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${nameRegex}`
const valueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

describe("label selector grammar", () => {
  it.each([
    ["", []],
    ["a=b", [{ key: "a", operator: "=", values: ["b"] }]],
    ["a==b", [{ key: "a", operator: "==", values: ["b"] }]],
    ["a!=b", [{ key: "a", operator: "!=", values: ["b"] }]],
    ["a in (b,c)", [{ key: "a", operator: "in", values: ["b", "c"] }]],
    ["a notin ( c , b, b )", [{ key: "a", operator: "notin", values: ["b", "c"] }]],
    ["a", [{ key: "a", operator: "exists", values: [] }]],
    ["!a", [{ key: "a", operator: "!", values: [] }]],
    ["  a =  b ,\tc\n", [{ key: "a", operator: "=", values: ["b"] }, { key: "c", operator: "exists", values: [] }]],
    ["a=", [{ key: "a", operator: "=", values: [""] }]],
    ["a>1,b<22", [{ key: "a", operator: "gt", values: ["1"] }, { key: "b", operator: "lt", values: ["22"] }]],
    ["z=1,example.com/app=web,a", [
      { key: "a", operator: "exists", values: [] },
      { key: "example.com/app", operator: "=", values: ["web"] },
      { key: "z", operator: "=", values: ["1"] }
    ]],
    // the grammar's own example: empty values inside sets, `in`/`notin` usable as plain words in values
    ["x in (foo,,baz),y,z notin ()", [
      { key: "x", operator: "in", values: ["", "baz", "foo"] },
      { key: "y", operator: "exists", values: [] },
      { key: "z", operator: "notin", values: [""] }
    ]],
    ["in in (in, notin)", [{ key: "in", operator: "in", values: ["in", "notin"] }]]
  ] as const)("parses %j", (text, expected) => {
    expect(requirements(text)).toEqual(expected)
  })

  it.each([
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a,", "found '', expected: identifier after ','"],
    ["a,,b", "found ',', expected: identifier after ','"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    ["!", "unable to parse requirement: found '', expected: identifier"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    ["a in b", "unable to parse requirement: found 'b' expected: '('"],
    ["a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ["a in (b", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ["a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier"],
    // messages a real cluster printed for these selectors
    ["app:monolith", `unable to parse requirement: <nil>: Invalid value: "app:monolith": name part ${nameRule}`],
    ["*bar", `unable to parse requirement: <nil>: Invalid value: "*bar": name part ${nameRule}`],
    [
      "app.kubernetes_io/name=vault",
      "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    ],
    [
      "a/b/c",
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key ${nameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`
    ],
    ["/a", "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty"],
    [`${"k".repeat(64)}`, `unable to parse requirement: <nil>: Invalid value: "${"k".repeat(64)}": name part must be no more than 63 bytes`],
    ["a=b@c", `unable to parse requirement: values[0][a]: Invalid value: "b@c": ${valueRule}`],
    // a negative bound is an integer but not a label value
    ["b<-5", `unable to parse requirement: values[0][b]: Invalid value: "-5": ${valueRule}`],
    ["a>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      "a in (y@,x@)",
      `unable to parse requirement: [values[0][a]: Invalid value: "x@": ${valueRule}, values[1][a]: Invalid value: "y@": ${valueRule}]`
    ]
  ] as const)("rejects %j with 400 %j", (text, message) => {
    expect(badRequestMessage(() => parseLabelSelector(text))).toBe(message)
  })

  it("formats like Selector.String(): sorted by key, set values sorted", () => {
    expect(formatLabelSelector(parseLabelSelector("x in (foo,,baz),y,!w, z notin (), a==b, c!=d, n>3"))).toBe(
      "a==b,c!=d,n>3,!w,x in (,baz,foo),y,z notin ()"
    )
  })
})

describe("label selector matching", () => {
  const labels = { app: "web", tier: "front", version: "12" }
  it.each([
    ["", true],
    ["app=web", true],
    ["app==api", false],
    ["app!=api", true],
    ["missing!=x", true],
    ["app in (api,web)", true],
    ["app notin (api,web)", false],
    ["missing in (x)", false],
    ["missing notin (x)", true],
    ["app", true],
    ["!app", false],
    ["!missing", true],
    ["version>11,version<13", true],
    ["version>12", false],
    ["app>1", false],
    ["missing<5", false],
    ["app=web,tier=back", false]
  ] as const)("%j matches %j", (text, expected) => {
    expect(matchesLabels(parseLabelSelector(text), labels)).toBe(expected)
  })

  it("treats an object without labels as having none", () => {
    expect(matchesLabels(parseLabelSelector("a notin (b),!c"), undefined)).toBe(true)
    expect(matchesLabels(parseLabelSelector("a"), undefined)).toBe(false)
  })

  it("property: `in` and `notin` over the same values always disagree", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/)
    fc.assert(
      fc.property(word, fc.uniqueArray(word, { minLength: 1, maxLength: 4 }), fc.dictionary(word, word), (key, values, labels) => {
        const list = values.join(",")
        const inside = matchesLabels(parseLabelSelector(`${key} in (${list})`), labels)
        const outside = matchesLabels(parseLabelSelector(`${key} notin (${list})`), labels)
        return inside !== outside && inside === (Object.hasOwn(labels, key) && values.includes(labels[key] ?? ""))
      })
    )
  })

  it("property: the canonical text parses back to the same selector", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/)
    const requirement = fc.oneof(
      fc.tuple(word, fc.constantFrom("=", "==", "!="), word).map(([k, op, v]) => `${k}${op}${v}`),
      fc.tuple(word, fc.constantFrom("in", "notin"), fc.array(word, { minLength: 1, maxLength: 3 })).map(([k, op, vs]) => `${k} ${op} (${vs.join(",")})`),
      word,
      word.map((k) => `!${k}`)
    )
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 4 }), (parts) => {
        const selector = parseLabelSelector(parts.join(","))
        expect(parseLabelSelector(formatLabelSelector(selector))).toEqual(selector)
      })
    )
  })
})

describe("metav1.LabelSelector objects", () => {
  it("a missing selector selects nothing, an empty one everything", () => {
    expect(matchesLabels(labelSelectorFromObject(undefined), {})).toBe(false)
    expect(matchesLabels(labelSelectorFromObject(null), { a: "b" })).toBe(false)
    expect(matchesLabels(labelSelectorFromObject({}), {})).toBe(true)
  })

  it("combines matchLabels and matchExpressions", () => {
    const selector = labelSelectorFromObject({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front", "edge"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "zone", operator: "NotIn", values: ["b"] },
        { key: "team", operator: "Exists" }
      ]
    })
    expect(formatLabelSelector(selector)).toBe("app=web,!canary,team,tier in (edge,front),zone notin (b)")
    expect(matchesLabels(selector, { app: "web", tier: "edge", team: "x" })).toBe(true)
    expect(matchesLabels(selector, { app: "web", tier: "edge", team: "x", canary: "1" })).toBe(false)
    expect(matchesLabels(selector, { app: "web", tier: "edge", team: "x", zone: "b" })).toBe(false)
  })

  it.each([
    [{ matchExpressions: [{ key: "a", operator: "Foo" }] }, "\"Foo\" is not a valid label selector operator"],
    [{ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }, "values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist"],
    [{ matchLabels: { "a@": "b" } }, `key: Invalid value: "a@": name part ${nameRule}`]
  ])("rejects %j", (selector, message) => {
    expect(badRequestMessage(() => labelSelectorFromObject(selector))).toBe(message)
  })
})

describe("field selectors", () => {
  it.each([
    ["", []],
    [",", []],
    ["metadata.name=a", [{ field: "metadata.name", operator: "=", value: "a" }]],
    ["a==b", [{ field: "a", operator: "==", value: "b" }]],
    ["a!=b", [{ field: "a", operator: "!=", value: "b" }]],
    ["b=2,a=1", [{ field: "a", operator: "=", value: "1" }, { field: "b", operator: "=", value: "2" }]],
    ["a=", [{ field: "a", operator: "=", value: "" }]],
    // no whitespace trimming: the spaces belong to the field and the value
    ["a = b", [{ field: "a ", operator: "=", value: " b" }]],
    ["a!b=c", [{ field: "a!b", operator: "=", value: "c" }]],
    // escaping: \, \= and \\ in values; an escaped comma does not split terms
    ["a=x\\,y,b=p\\=q", [{ field: "a", operator: "=", value: "x,y" }, { field: "b", operator: "=", value: "p=q" }]],
    ["a=back\\\\slash", [{ field: "a", operator: "=", value: "back\\slash" }]]
  ] as const)("parses %j", (text, expected) => {
    expect(parseFieldSelector(text).requirements).toEqual(expected)
  })

  it.each([
    ["abc", "invalid selector: 'abc'; can't understand 'abc'"],
    ["a=1,zzz", "invalid selector: 'a=1,zzz'; can't understand 'zzz'"],
    ["a=b=c", "invalid field selector: unescaped character in value: 61"],
    ["a=b\\,c,d=e,f", "invalid selector: 'a=b\\,c,d=e,f'; can't understand 'f'"],
    ["a=x\\y", "invalid field selector: invalid escape sequence: \\y"],
    ["a=x\\", "invalid field selector: invalid escape sequence: \\"]
  ] as const)("rejects %j with 400 %j", (text, message) => {
    expect(badRequestMessage(() => parseFieldSelector(text))).toBe(message)
  })

  it("matches with a missing field comparing as the empty string", () => {
    const fields: Record<string, string> = { "metadata.name": "a", "involvedObject.kind": "Foo" }
    const valueOf = (field: string) => fields[field]
    const matches = (text: string) => matchesFields(parseFieldSelector(text), valueOf)
    expect(matches("metadata.name=a,involvedObject.kind==Foo")).toBe(true)
    expect(matches("metadata.name!=a")).toBe(false)
    expect(matches("reason=")).toBe(true)
    expect(matches("reason!=")).toBe(false)
    expect(matches("reason!=Started")).toBe(true)
    expect(matches("")).toBe(true)
  })

  it("lists the field labels it uses, once each", () => {
    expect(fieldSelectorFields(parseFieldSelector("b=1,a=2,b!=3"))).toEqual(["a", "b"])
  })

  it("reports unsupported field labels as the apiserver does", () => {
    expect(unsupportedFieldLabel("spec.foo").status).toEqual(badRequestStatus("field label not supported: spec.foo"))
    expect(unsupportedFieldLabel("foo.bar", "metav1Default").message).toBe(
      "\"foo.bar\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
    )
  })
})
