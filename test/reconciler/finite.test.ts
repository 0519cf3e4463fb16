import { describe, expect, it } from "vitest";
import { assertFiniteReport, NonFiniteReportError, runReconciliation } from "../../src/reconciler";
import type { Report } from "../../src/reconciler";
import { memorySource, row, testRegistry } from "./fixtures";

async function report(): Promise<Report> {
  return runReconciliation({
    registry: testRegistry(),
    source: memorySource([row("2026-11-03", "invoice-matching", "Amazon Bedrock", "600")]),
    runDate: "2026-11-28",
  });
}

describe("a report holds finite numbers only", () => {
  it("passes a real report", async () => {
    const real = await report();
    expect(() => assertFiniteReport(real)).not.toThrow();
  });

  it.each([Infinity, -Infinity, NaN])("refuses %s, naming where it is", async (value) => {
    const base = await report();
    const bad = {
      ...base,
      workflows: base.workflows.map((w, i) => (i === 1 ? { ...w, projectedSpend: value } : w)),
    };
    expect(() => assertFiniteReport(bad)).toThrow(NonFiniteReportError);
    expect(() => assertFiniteReport(bad)).toThrow(
      `the report's workflows[1].projectedSpend is ${String(value)}`,
    );
  });

  it("refuses one inside a map of services", async () => {
    const base = await report();
    const bad = { ...base, unowned: { spend: 0, byService: { "Amazon Bedrock": Infinity } } };
    expect(() => assertFiniteReport(bad)).toThrow(/unowned\.byService\.Amazon Bedrock is Infinity/);
  });
});
