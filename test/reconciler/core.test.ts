import { describe, expect, it } from "vitest";
import { periodFor } from "../../src/reconciler";
import { runReconciliation } from "../../src/reconciler";
import type { Report, WorkflowReport } from "../../src/reconciler";
import { memorySource, row, testRegistry } from "./fixtures";
import type { CostRow } from "../../src/reconciler";

const RUN = "2026-11-28";
const BEDROCK = "Amazon Bedrock";

async function reconcile(rows: readonly CostRow[], measured?: Map<string, number>) {
  return runReconciliation({
    registry: testRegistry(),
    source: memorySource(rows),
    runDate: RUN,
    now: () => new Date("2026-11-28T06:00:00Z"),
    volume: measured === undefined ? undefined : { name: "fixed", measure: async () => measured },
  });
}

function workflow(report: Report, id: string): WorkflowReport {
  const found = report.workflows.find((w) => w.id === id);
  if (found === undefined) throw new Error(`no workflow ${id} in the report`);
  return found;
}

describe("periodFor", () => {
  it.each([
    ["2026-11-28", "2026-11-01", "2026-11-28", "2026-10-01", 27, 3],
    ["2026-12-01", "2026-11-01", "2026-12-01", "2026-10-01", 30, 0],
    ["2026-03-01", "2026-02-01", "2026-03-01", "2026-01-01", 28, 0],
    ["2026-01-02", "2026-01-01", "2026-01-02", "2025-12-01", 1, 30],
  ])(
    "a run on %s reports %s..%s (from %s), %i days elapsed, %i to go",
    (run, start, end, lastMonthStart, elapsed, remaining) => {
      const period = periodFor(run);
      expect(period).toMatchObject({
        start,
        end,
        lastMonthStart,
        elapsedDays: elapsed,
        remainingDays: remaining,
      });
    },
  );

  it("rejects a date that is not a calendar date", () => {
    expect(() => periodFor("2026-02-30")).toThrow(/"2026-02-30" is not a calendar date/);
  });

  it("puts both growth weeks inside the queried days", () => {
    const period = periodFor("2026-11-03");
    expect(period.priorWeek.start >= period.lastMonthStart).toBe(true);
    expect(period.lastWeek).toEqual({ start: "2026-10-27", end: "2026-11-03" });
  });
});

describe("runReconciliation", () => {
  it("asks the source for one query: last month and this month to date, by the workflow tag", async () => {
    const source = memorySource([]);
    await runReconciliation({ registry: testRegistry(), source, runDate: RUN });
    expect(source.queries).toEqual([
      {
        start: "2026-10-01",
        end: "2026-11-28",
        metric: "UnblendedCost",
        tagKey: "workflow",
        principalTagKey: "iamPrincipal/workflow",
        groupByAccount: false,
      },
    ]);
  });

  it("sums 1,000 amounts of 0.1000000001 exactly", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) =>
      row(
        `2026-11-${String((i % 27) + 1).padStart(2, "0")}`,
        "support-triage",
        BEDROCK,
        "0.1000000001",
      ),
    );
    const report = await reconcile(rows);
    expect(workflow(report, "support-triage").spend).toBe(100.0000001);
    expect(report.totals.aiSpend).toBe(100.0000001);
    expect(report.totals.spend).toBe(100.0000001);
  });

  it("routes untagged AI spend to unowned, untagged other spend to the total only", async () => {
    const report = await reconcile([
      row("2026-11-02", null, BEDROCK, "40"),
      row("2026-11-02", "", "Claude Sonnet 4.5 (Amazon Bedrock Edition)", "10"),
      row("2026-11-02", null, "Amazon Simple Storage Service", "1000"),
      row("2026-11-02", "support-triage", BEDROCK, "50"),
    ]);
    expect(report.unowned).toEqual({
      spend: 50,
      byService: { [BEDROCK]: 40, "Claude Sonnet 4.5 (Amazon Bedrock Edition)": 10 },
    });
    expect(report.totals).toEqual({
      spend: 1100,
      aiSpend: 100,
      attributedShare: 0.5,
      byStage: { "run-rate": 50, learning: 0 },
    });
    expect(report.flags.map((f) => f.kind)).toContain("unowned-share");
    expect(report.flags.find((f) => f.kind === "unowned-share")?.message).toMatch(
      /Unowned AI spend is 50% of AI spend \(50\.00 USD of 100\.00 USD\), above the 5\.0% alert/,
    );
  });

  it("reports unregistered tag values with a did-you-mean, and calls out case-only variants", async () => {
    const report = await reconcile([
      row("2026-11-03", "Support-Triage", BEDROCK, "7"),
      row("2026-11-03", "invoce-matching", BEDROCK, "3"),
      row("2026-11-03", "zebra\nforged line", BEDROCK, "1"),
      // Only ever on a non-AI service: someone else's use of the tag key, not AI spend.
      row("2026-11-03", "etl-nightly", "AWS Glue", "99"),
    ]);
    expect(report.unregistered).toEqual([
      {
        value: "Support-Triage",
        spend: 7,
        suggestion: "support-triage",
        caseOnly: true,
        route: "resourceTag",
      },
      {
        value: "invoce-matching",
        spend: 3,
        suggestion: "invoice-matching",
        caseOnly: false,
        route: "resourceTag",
      },
      {
        value: "zebra\nforged line",
        spend: 1,
        suggestion: null,
        caseOnly: false,
        route: "resourceTag",
      },
    ]);
    const messages = report.flags
      .filter((f) => f.kind === "unregistered-tag")
      .map((f) => f.message);
    expect(messages[0]).toContain(
      '"Support-Triage" is not a registered workflow (differs only in letter case from "support-triage"',
    );
    expect(messages[1]).toContain('(did you mean "invoice-matching"?)');
    expect(messages[2]).toContain('"zebra\\nforged line"');
    expect(messages[2]).not.toContain("\n");
    expect(report.totals).toEqual({
      spend: 110,
      aiSpend: 11,
      attributedShare: 0,
      byStage: { "run-rate": 0, learning: 0 },
    });
  });

  it("keeps credits, so a refund lowers the workflow's spend", async () => {
    const report = await reconcile([
      row("2026-11-05", "invoice-matching", BEDROCK, "120.50"),
      row("2026-11-06", "invoice-matching", BEDROCK, "-20.25"),
    ]);
    const w = workflow(report, "invoice-matching");
    expect(w.spend).toBe(100.25);
    expect(w.daily.find((d) => d.date === "2026-11-06")?.amount).toBe(-20.25);
  });

  it("never mixes a foreign currency into totals, and flags it", async () => {
    const report = await reconcile([
      row("2026-11-05", "invoice-matching", BEDROCK, "100"),
      row("2026-11-05", "invoice-matching", BEDROCK, "80", { unit: "EUR" }),
      row("2026-11-05", null, BEDROCK, "0", { unit: "N/A" }),
    ]);
    expect(workflow(report, "invoice-matching").spend).toBe(100);
    expect(report.totals.spend).toBe(100);
    const flags = report.flags.filter((f) => f.kind === "currency-mismatch");
    expect(flags).toHaveLength(1);
    expect(flags[0]?.message).toMatch(/^80 "EUR" of spend is not in the registry's currency USD/);
  });

  it("marks estimated days", async () => {
    const report = await reconcile([
      row("2026-11-26", "invoice-matching", BEDROCK, "1", { estimated: true }),
      row("2026-11-27", "invoice-matching", BEDROCK, "1", { estimated: true }),
      row("2026-11-25", "invoice-matching", BEDROCK, "1"),
    ]);
    expect(report.flags).toContainEqual({
      kind: "estimated-data",
      severity: "info",
      message:
        "Figures for 2026-11-26 to 2026-11-27 are still estimates and may change when AWS finalises them.",
    });
  });

  it("zero-fills the daily series and splits last month from this month", async () => {
    const report = await reconcile([
      row("2026-10-15", "support-triage", BEDROCK, "300"),
      row("2026-11-10", "support-triage", BEDROCK, "5"),
    ]);
    const w = workflow(report, "support-triage");
    expect(w.daily).toHaveLength(27);
    expect(w.daily[0]).toEqual({ date: "2026-11-01", amount: 0 });
    expect(w.daily[26]).toEqual({ date: "2026-11-27", amount: 0 });
    expect(w.daily.reduce((s, d) => s + d.amount, 0)).toBe(5);
    expect(w.lastMonthSpend).toBe(300);
    expect(w.spend).toBe(5);
  });

  it("projects month end from the last 7 days' run rate and flags growth at the trigger", async () => {
    const rows: CostRow[] = [];
    for (let day = 7; day <= 20; day++)
      rows.push(row(`2026-11-${String(day).padStart(2, "0")}`, "support-triage", BEDROCK, "10"));
    for (let day = 21; day <= 27; day++)
      rows.push(row(`2026-11-${day}`, "support-triage", BEDROCK, "30"));
    const w = workflow(await reconcile(rows), "support-triage");
    expect(w.spend).toBe(350);
    expect(w.growth).toBe(3);
    expect(w.projectedSpend).toBe(350 + 30 * 3);
    expect(w.budgetUsed).toBe(0.35);
    expect(w.flags.map((f) => f.kind)).toEqual(["growth"]);
    expect(w.flags[0]?.message).toBe(
      "Spend in the last 7 days (210.00 USD) is 3.0x the 7 days before (70.00 USD), at or above its 2.0x trigger: find out what changed.",
    );
  });

  it("has no growth figure when the earlier week had no spend", async () => {
    const w = workflow(
      await reconcile([row("2026-11-27", "support-triage", BEDROCK, "10")]),
      "support-triage",
    );
    expect(w.growth).toBeNull();
  });

  it("flags over budget (critical) ahead of forecast, and forecast over budget on its own", async () => {
    const over = workflow(
      await reconcile([row("2026-11-03", "invoice-matching", BEDROCK, "600")]),
      "invoice-matching",
    );
    expect(over.flags.map((f) => [f.kind, f.severity])).toEqual([["over-budget", "critical"]]);
    expect(over.flags[0]?.message).toMatch(
      /^Spent 600\.00 USD of its 500\.00 USD monthly budget \(120%\) with 3 day\(s\) of the month to go/,
    );

    const rows = Array.from({ length: 7 }, (_, i) =>
      row(`2026-11-2${i + 1}`, "support-triage", BEDROCK, "120"),
    );
    const forecast = workflow(await reconcile(rows), "support-triage");
    expect(forecast.spend).toBe(840);
    expect(forecast.projectedSpend).toBe(1200);
    expect(forecast.flags.map((f) => f.kind)).toEqual(["forecast-over-budget"]);
  });

  it("flags a learning workflow past its review date that still spends, and a registered one with no spend", async () => {
    const report = await reconcile([row("2026-11-20", "memo-pilot", BEDROCK, "2")]);
    expect(workflow(report, "memo-pilot").flags).toEqual([
      {
        kind: "past-review-date",
        severity: "critical",
        message:
          "Its review date 2026-11-15 has passed and it still spent 2.00 USD this month: renew the date in the registry after a review, or retire the workflow.",
      },
    ]);
    expect(workflow(report, "quiet-one").flags.map((f) => f.kind)).toEqual(["no-spend"]);
    expect(workflow(report, "quiet-one").spend).toBe(0);
  });

  it("computes review cost from measured volume when the registry names a metric, else estimates it", async () => {
    const report = await reconcile(
      [
        row("2026-11-02", "support-triage", BEDROCK, "100"),
        row("2026-11-02", "invoice-matching", BEDROCK, "540"),
      ],
      new Map([["support-triage", 1000]]),
    );
    const triage = workflow(report, "support-triage");
    expect(triage).toMatchObject({
      items: 1000,
      reviewCostBasis: "measured",
      reviewCost: 400, // 1000 x 0.2 x 2 min / 60 x 60/h
      fullyLoaded: 500,
      costPerItem: 0.5,
    });
    const invoices = workflow(report, "invoice-matching");
    expect(invoices).toMatchObject({
      items: 2700, // 3000 a month x 27/30 days
      reviewCostBasis: "estimated",
      reviewCost: 5400, // 2700 x 0.5 x 3 / 60 x 80
      fullyLoaded: 5940,
      costPerItem: 2.2,
    });
    expect(workflow(report, "memo-pilot")).toMatchObject({
      items: null,
      reviewCost: 0,
      costPerItem: null,
    });
  });

  it("falls back to the estimate, and says so in the log, when measuring fails", async () => {
    const warnings: string[] = [];
    const report = await runReconciliation({
      registry: testRegistry(),
      source: memorySource([]),
      runDate: RUN,
      volume: { name: "broken", measure: () => Promise.reject(new Error("InternalFailure")) },
      log: { info: () => undefined, warn: (message) => warnings.push(message) },
    });
    expect(workflow(report, "support-triage")).toMatchObject({
      reviewCostBasis: "estimated",
      items: 27000,
    });
    expect(warnings).toEqual(["measuring volumes failed: review cost estimated from the registry"]);
  });

  it("fails loudly on an amount that is not a decimal", async () => {
    await expect(
      reconcile([row("2026-11-02", "support-triage", BEDROCK, "1,000.00")]),
    ).rejects.toThrow(/malformed amount "1,000.00"/);
  });

  it("reports the cost source's request count", async () => {
    const rows = Array.from({ length: 250 }, () =>
      row("2026-11-02", "support-triage", BEDROCK, "1"),
    );
    const report = await runReconciliation({
      registry: testRegistry(),
      source: memorySource(rows, 100),
      runDate: RUN,
    });
    expect(report.ceRequests).toBe(3);
  });
});
