/**
 * The terminal spend summary (`reconcile`, `demo`) as a finance partner reads it: nobody's spend
 * with parts that add up to it, and critical flags before everything else.
 */
import { describe, expect, it } from "vitest";
import { renderSpendSummary } from "../../src/cli/spend-summary";
import type { Report } from "../../src/reconciler";
import { memoryIo } from "../helpers/io";
import { FIXTURE_REPORT, OUTCOMES_FIXTURE_REPORT } from "../report/fixture";

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

  it("shows the cost per accepted outcome per workflow with its basis, in the digest's words", () => {
    const lines = renderSpendSummary(OUTCOMES_FIXTURE_REPORT, "CUR", memoryIo()).split("\n");
    const header = lines.findIndex(
      (l) => l.startsWith("WORKFLOW") && l.includes("COST PER ACCEPTED OUTCOME"),
    );
    expect(header).toBeGreaterThan(0);
    const row = (id: string) => lines.slice(header).find((l) => l.startsWith(`${id} `))!;
    const support = OUTCOMES_FIXTURE_REPORT.workflows[0]!.outcomes!.costPerAccepted!;
    expect(row("support-triage")).toContain(
      `${support.toFixed(2)} USD (25,000 accepted, measured)`,
    );
    expect(row("support-triage")).toContain(
      "1,950.00 USD (3,000 reworked) / 15,000.00 USD (500 escalated)",
    );
    expect(row("contract-review")).toContain("(1,190 accepted, estimated)");
    expect(row("invoice-matching")).toContain("none accepted (measured)");
    // No outcomes: no row, not a zero.
    expect(lines.slice(header, header + 5).some((l) => l.startsWith("fraud-screening "))).toBe(
      false,
    );
    // The reason for an estimate, printable (the bill's text cannot forge a line).
    expect(lines).toContain(
      "  contract-review: outcomes estimated: the registry names no outcome metrics: estimated from outcomes.expected <img src=x onerror=alert(1)>",
    );
  });

  it("shows the human cost teams absorb for workflows others own", () => {
    const lines = renderSpendSummary(OUTCOMES_FIXTURE_REPORT, "CUR", memoryIo()).split("\n");
    const at = lines.indexOf("Human cost absorbed by teams for workflows others own:");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(
      /^TEAM +ABSORBS \(USD\) +WORKFLOW +OWNER +REVIEW +REWORK +EXCEPTIONS$/,
    );
    expect(lines[at + 3]).toMatch(
      /^support-ops +2,515\.50 +invoice-matching +dana@example\.com +420\.00 +6\.50 +0\.00$/,
    );
    expect(lines[at + 4]).toMatch(
      /^ +contract-review +priya@example\.com +1,800\.00 +289\.00 +0\.00$/,
    );
    expect(lines[at + 5]).toMatch(/^tier2-support +2,100\.00 +contract-review/);
    expect(summary(FIXTURE_REPORT)).not.toContain(
      "Human cost absorbed by teams for workflows others own:",
    );
  });

  it("adds the cost per accepted outcome to the models table where models have one", () => {
    const text = renderSpendSummary(OUTCOMES_FIXTURE_REPORT, "CUR", memoryIo());
    const header = text.split("\n").find((l) => l.includes("PER 1M TOKENS"))!;
    expect(header).toMatch(/PER 1M TOKENS +PER ACCEPTED$/);
    expect(text).toMatch(/Nova2\.0Lite .* 0\.0634 +2\.14\n/);
    expect(summary(FIXTURE_REPORT).some((l) => l.includes("PER ACCEPTED"))).toBe(false);
  });
});
