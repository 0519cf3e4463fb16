import { afterEach, describe, expect, it, vi } from "vitest";
import { composeMessages, subjectLine, SUBJECT_LIMIT } from "../../src/reconciler/digest";
import { emfMetrics } from "../../src/reconciler/emf-metrics";
import { runReconciliation } from "../../src/reconciler/reconcile";
import type { Flag } from "../../src/reconciler/types";
import { memorySource, row, testRegistry } from "./fixtures";

afterEach(() => vi.restoreAllMocks());

async function sampleReport() {
  return runReconciliation({
    registry: testRegistry(),
    source: memorySource([
      row("2026-11-03", "invoice-matching", "Amazon Bedrock", "600"),
      row("2026-11-03", "support-triage", "Amazon Bedrock", "10"),
      row("2026-11-04", null, "Amazon Bedrock", "5"),
    ]),
    runDate: "2026-11-28",
    now: () => new Date("2026-11-28T06:00:00Z"),
  });
}

describe("subjectLine", () => {
  const flag = (severity: Flag["severity"], kind: Flag["kind"] = "no-spend"): Flag => ({
    kind,
    severity,
    message: "m",
  });

  it("names the most serious flag and counts the rest", () => {
    const subject = subjectLine(
      [
        { flag: flag("warning") },
        { flag: flag("critical", "unowned-share") },
        { flag: flag("info") },
      ],
      "fallback",
      "2026-11",
    );
    expect(subject).toBe("[CRITICAL] unowned AI spend above the alert +1 more - AI spend 2026-11");
  });

  it("falls back when there is nothing to act on", () => {
    expect(subjectLine([{ flag: flag("info") }], "all quiet", "2026-11")).toBe(
      "all quiet - AI spend 2026-11",
    );
  });

  it("stays within SNS's 100 printable ASCII characters", () => {
    const subject = subjectLine([], `caf\u00e9 \n${"x".repeat(200)}`, "2026-11");
    expect(subject).toHaveLength(SUBJECT_LIMIT);
    expect(subject).toMatch(/^caf\? \?x+\.\.\.$/);
  });
});

describe("composeMessages", () => {
  it("writes one digest per owner, most serious flag first, and a summary for the contact", async () => {
    const messages = composeMessages(await sampleReport(), testRegistry());
    expect(messages.map((m) => [m.kind, m.recipient, m.workflowIds])).toEqual([
      ["owner-digest", "dana@example.com", ["support-triage", "memo-pilot"]],
      ["owner-digest", "priya@example.com", ["invoice-matching"]],
      ["owner-digest", "sam@example.com", ["quiet-one"]],
      ["unowned-summary", "finops@example.com", []],
    ]);
    const priya = messages[1]!;
    expect(priya.subject).toBe(
      "[CRITICAL] invoice-matching over budget (120% used) - AI spend 2026-11",
    );
    expect(priya.body).toContain(
      "NEEDS ATTENTION\n- [CRITICAL] invoice-matching: Spent 600.00 USD",
    );
    expect(priya.body).toContain("  Cloud spend this month    600.00 USD  of 500.00 USD (120%)");
    expect(priya.body).toContain(
      "  Human review              5,400.00 USD (2,700 items, estimated)",
    );
    expect(priya.body.split("\n").every((line) => line.length <= 80)).toBe(true);
    const summary = messages[3]!;
    expect(summary.subject).toBe("99% of AI spend attributed - AI spend 2026-11");
    expect(summary.body).toContain("  Unowned (untagged)        5.00 USD");
  });
});

describe("emfMetrics", () => {
  it("writes one EMF line per workflow with the workflow dimension, and one for the run", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const report = await sampleReport();
    emfMetrics("AiSpendGuardTest").emit(report);
    const emf = lines
      .join("")
      .split("\n")
      .filter((l) => l.includes("_aws"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf).toHaveLength(report.workflows.length + 1);
    const invoice = emf.find((e) => e.workflow === "invoice-matching")!;
    expect(invoice).toMatchObject({ Spend: 600, BudgetUsed: 120, service: "ai-spend-guard" });
    const directive = (
      invoice._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }
    ).CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe("AiSpendGuardTest");
    expect(directive.Dimensions[0]).toContain("workflow");
    expect(emf[emf.length - 1]).toMatchObject({ UnownedSpend: 5, CostExplorerRequests: 1 });
    expect(lines.join("")).not.toMatch(/@example\.com/);
  });
});
