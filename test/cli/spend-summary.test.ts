/**
 * The terminal spend summary (`reconcile`, `demo`) as a finance partner reads it: nobody's spend
 * with parts that add up to it, and critical flags before everything else.
 */
import { describe, expect, it } from "vitest";
import { renderSpendSummary } from "../../src/cli/spend-summary";
import type { Report } from "../../src/reconciler";
import { memoryIo } from "../helpers/io";
import { FIXTURE_REPORT } from "../report/fixture";

const summary = (report: Report) =>
  renderSpendSummary(report, "Cost Explorer", memoryIo()).split("\n");

describe("renderSpendSummary", () => {
  it("shows nobody's spend as unowned + unregistered, adding up to the cent", () => {
    const report: Report = {
      ...FIXTURE_REPORT,
      unowned: { spend: 302.874, byService: {} },
      unregistered: [
        {
          value: "team-a",
          spend: 100.004,
          suggestion: null,
          caseOnly: false,
          route: "resourceTag",
        },
        { value: "team-b", spend: 16.094, suggestion: null, caseOnly: false, route: "resourceTag" },
      ],
    };
    const lines = summary(report);
    const totals = lines.find((l) => l.includes("; attributed "))!;
    expect(totals).toContain("nobody's 418.96 USD (unowned 302.87 USD + unregistered 116.09 USD)");
    expect(lines).toContain('  unregistered "team-a": 100.00 USD');
    expect(lines).toContain('  unregistered "team-b": 16.09 USD');
  });

  it("prints critical flags first, then warnings and notes", () => {
    const flagLines = summary(FIXTURE_REPORT).filter((l) => /^(critical|warning|info): /.test(l));
    expect(flagLines.map((l) => l.split(":")[0])).toEqual([
      "critical",
      "critical",
      "warning",
      "warning",
      "warning",
      "info",
      "info",
    ]);
    expect(flagLines[0]).toMatch(/^critical: support-triage: /);
    expect(flagLines[1]).toMatch(/^critical: memo-pilot: /);
  });
});
