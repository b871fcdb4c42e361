import { describe, expect, it } from "vitest"
import { generatedSection, metrics, parseTables, readme, unquote } from "./ReadmeTables.ts"

/** The README's metrics reference says what src/Metrics.ts exports (`npm run docs` rewrites it). */

const FIX = "README.md disagrees with src/Metrics.ts: run npm run docs"

const rows = (): ReadonlyArray<Readonly<Record<string, string>>> => {
  const table = parseTables(generatedSection(readme(), "metrics") ?? "").find((t) => t[0] !== undefined && "Metric" in t[0])
  if (table === undefined) throw new Error("README.md has no generated metrics table")
  return table
}

describe("README: Metrics", () => {
  it("reads every metric the module exports: name, type, description and the labels the code attaches", () => {
    const all = new Map(metrics().map((m) => [m.name, m]))
    // what issue 6 asks to be measured, so the reader below is known to see them
    for (const name of ["operator_reconcile_total", "operator_reconcile_duration_seconds", "operator_workqueue_depth", "operator_arm_requests_total", "operator_arm_throttled_total", "operator_exposedapi_time_to_ready_seconds", "operator_drift_found_total", "operator_drift_corrected_total"]) {
      expect(all.has(name), name).toBe(true)
    }
    expect(all.get("operator_reconcile_total")).toMatchObject({ type: "counter", labels: ["controller", "result"] })
    expect(all.get("operator_reconcile_duration_seconds")?.type).toBe("histogram")
    expect(all.get("operator_workqueue_depth")?.type).toBe("gauge")
    expect(all.get("operator_arm_requests_total")?.labels).toEqual(["operation", "status"])
  })

  it("lists every exported metric, and no other", () => {
    const documented = rows().map((row) => unquote(row["Metric"] ?? "") ?? "")
    const exported = metrics().map((m) => m.name)
    expect(exported.filter((name) => !documented.includes(name)), `${FIX}: metrics missing from the README`).toEqual([])
    expect(documented.filter((name) => !exported.includes(name)), `${FIX}: metrics the code no longer has`).toEqual([])
  })

  it("gives each metric its type, labels and meaning", () => {
    const documented = new Map(rows().map((row) => [unquote(row["Metric"] ?? "") ?? "", row]))
    for (const metric of metrics()) {
      const row = documented.get(metric.name)
      const labels = row?.["Labels"] === "—" ? [] : (row?.["Labels"] ?? "").split(",").map((label) => unquote(label.trim()) ?? "")
      expect({ name: metric.name, type: row?.["Type"], labels, meaning: row?.["Meaning"] }, FIX).toEqual({
        name: metric.name,
        type: metric.type,
        labels: metric.labels,
        meaning: metric.description
      })
    }
  })
})
