/**
 * Behaviour of the reconciliation core that mutation testing found no test pinning down: rows
 * outside the period, last month's rows kept out of this month's figures, the order of
 * unregistered values and foreign currencies, the edges of every trigger (spend exactly at the
 * budget, growth exactly at its trigger, the forecast alert's default of 100%, a review date
 * still ahead), and the per-workflow figures that depend on what the registry gives.
 */
import { describe, expect, it } from "vitest";
import {
  createAggregator,
  periodFor,
  reportFlags,
  runReconciliation,
  workflowFlags,
} from "../../src/reconciler";
import type {
  CostRow,
  ReportFigures,
  Report,
  WorkflowFigures,
  WorkflowReport,
} from "../../src/reconciler";
import { parseRegistry } from "../../src/registry";
import type { Workflow } from "../../src/registry";
import { toNumber } from "../../src/util/decimal";
import { memorySource, row, testRegistry } from "./fixtures";

const RUN = "2026-11-28";
const BEDROCK = "Amazon Bedrock";
const period = periodFor(RUN); // 1-27 November reported, 3 days to go

async function reconcile(
  rows: readonly CostRow[],
  measured?: Map<string, number>,
  registry = testRegistry(),
) {
  return runReconciliation({
    registry,
    source: memorySource(rows),
    runDate: RUN,
    now: () => new Date("2026-11-28T06:00:00Z"),
    volume: measured === undefined ? undefined : { name: "fixed", measure: async () => measured },
  });
}

function workflowOf(report: Report, id: string): WorkflowReport {
  const found = report.workflows.find((w) => w.id === id);
  if (found === undefined) throw new Error(`no workflow ${id}`);
  return found;
}

describe("aggregation", () => {
  const aggregator = (isAiService?: (s: string) => boolean) =>
    createAggregator({ workflowIds: ["support-triage"], currency: "USD", period, isAiService });

  it("counts every row, and drops (and counts) rows outside the queried days", () => {
    const agg = aggregator();
    agg.add([
      row("2026-09-30", "support-triage", BEDROCK, "500"), // before last month
      row("2026-11-28", "support-triage", BEDROCK, "700"), // the run date: never counted
      row("2026-11-02", "support-triage", BEDROCK, "5"),
    ]);
    agg.add([row("not-a-date", null, BEDROCK, "1")]);
    const result = agg.finish();
    expect(result.rows).toBe(4);
    expect(result.rowsOutsidePeriod).toBe(3);
    expect(toNumber(result.totalSpend)).toBe(5);
    expect(toNumber(result.workflows.get("support-triage")!.monthToDate)).toBe(5);
  });

  it("classifies each service once, however many rows it has", () => {
    const asked: string[] = [];
    const agg = aggregator((s) => {
      asked.push(s);
      return s === BEDROCK;
    });
    agg.add([
      row("2026-11-02", null, BEDROCK, "1"),
      row("2026-11-03", null, BEDROCK, "1"),
      row("2026-11-03", null, "AWS Glue", "1"),
      row("2026-11-04", null, "AWS Glue", "1"),
    ]);
    agg.finish();
    expect(asked).toEqual([BEDROCK, "AWS Glue"]);
  });

  it("keeps last month's rows out of this month's total, services, estimates and currencies", async () => {
    const report = await reconcile([
      row("2026-10-20", "support-triage", "Amazon CloudWatch", "300", { estimated: true }),
      row("2026-10-21", "support-triage", BEDROCK, "80", { unit: "EUR" }),
      row("2026-11-10", "support-triage", BEDROCK, "5"),
    ]);
    const w = workflowOf(report, "support-triage");
    expect(w.spendByService).toEqual({ [BEDROCK]: 5 });
    expect(w.lastMonthSpend).toBe(300);
    expect(w.spend).toBe(5);
    expect(report.totals.spend).toBe(5);
    expect(report.flags.map((f) => f.kind)).toEqual([]);
  });

  it("lists estimated days in date order whatever the row order", () => {
    const agg = aggregator();
    agg.add([
      row("2026-11-20", null, BEDROCK, "1", { estimated: true }),
      row("2026-11-03", null, BEDROCK, "1", { estimated: true }),
      row("2026-11-11", null, BEDROCK, "1", { estimated: true }),
      row("2026-11-11", null, BEDROCK, "1", { estimated: true }),
    ]);
    expect(agg.finish().estimatedDays).toEqual(["2026-11-03", "2026-11-11", "2026-11-20"]);
  });
});

describe("the report", () => {
  it("orders unregistered values by spend, then by value", async () => {
    const report = await reconcile([
      row("2026-11-03", "zeta", BEDROCK, "5"),
      row("2026-11-03", "mu", BEDROCK, "5"),
      row("2026-11-03", "big", BEDROCK, "9"),
      row("2026-11-03", "alpha", BEDROCK, "5"),
      row("2026-11-03", "nu", BEDROCK, "2"),
    ]);
    expect(report.unregistered.map((u) => u.value)).toEqual(["big", "alpha", "mu", "zeta", "nu"]);
    expect(
      report.flags.filter((f) => f.kind === "unregistered-tag").map((f) => f.message.slice(10, 17)),
    ).toEqual(['"big" i', '"alpha"', '"mu" is', '"zeta" ', '"nu" is']);
  });

  it("flags foreign currencies in code order whatever the row order", async () => {
    const report = await reconcile([
      row("2026-11-05", "invoice-matching", BEDROCK, "3", { unit: "JPY" }),
      row("2026-11-05", "invoice-matching", BEDROCK, "2", { unit: "GBP" }),
      row("2026-11-05", "invoice-matching", BEDROCK, "1", { unit: "EUR" }),
    ]);
    const units = report.flags
      .filter((f) => f.kind === "currency-mismatch")
      .map((f) => /^\d+ "([A-Z]+)"/.exec(f.message)?.[1]);
    expect(units).toEqual(["EUR", "GBP", "JPY"]);
  });

  it("keeps each workflow's spend by service, and no budget share without a budget", async () => {
    const report = await reconcile([
      row("2026-11-05", "memo-pilot", BEDROCK, "4"),
      row("2026-11-06", "memo-pilot", "Amazon S3", "1"),
    ]);
    const memo = workflowOf(report, "memo-pilot");
    expect(memo.spendByService).toEqual({ [BEDROCK]: 4, "Amazon S3": 1 });
    expect(memo.budget).toBeNull();
    expect(memo.budgetUsed).toBeNull();
    expect(workflowOf(report, "quiet-one").spendByService).toEqual({});
  });

  it("lists services by name (deterministic JSON), leaving out those that net to zero", async () => {
    const report = await reconcile([
      row("2026-11-05", "memo-pilot", "Amazon S3", "2"),
      row("2026-11-05", "memo-pilot", "AWS Lambda", "1"),
      row("2026-11-05", "memo-pilot", BEDROCK, "4"),
      row("2026-11-06", "memo-pilot", "AWS Lambda", "-1"),
    ]);
    const memo = workflowOf(report, "memo-pilot");
    expect(Object.keys(memo.spendByService)).toEqual([BEDROCK, "Amazon S3"]);
    expect(JSON.stringify(memo.spendByService)).toBe('{"Amazon Bedrock":4,"Amazon S3":2}');
  });

  it("sees spend on the last reported day, and a credit as spend seen", async () => {
    const last = await reconcile([row("2026-11-27", "memo-pilot", BEDROCK, "1")]);
    expect(workflowOf(last, "memo-pilot").flags.map((f) => f.kind)).not.toContain("no-spend");
    const credit = await reconcile([row("2026-11-04", "memo-pilot", BEDROCK, "-3")]);
    expect(workflowOf(credit, "memo-pilot").flags.map((f) => f.kind)).not.toContain("no-spend");
    const lastMonthOnly = await reconcile([row("2026-10-31", "memo-pilot", BEDROCK, "3")]);
    expect(workflowOf(lastMonthOnly, "memo-pilot").flags.map((f) => f.kind)).toContain("no-spend");
  });

  const REVIEWS = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  volume-only:
    description: Items but nobody reviews
    owner: dana@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 100 }
    volume: { itemsPerMonth: 3000 }
  review-only:
    description: Reviewed, volume unknown
    owner: dana@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 100 }
    review: { share: 1, minutesPerItem: 6, hourlyRate: 60 }
  measured:
    description: Measured volume
    owner: dana@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 100 }
    review: { share: 1, minutesPerItem: 6, hourlyRate: 60 }
    volume:
      itemsPerMonth: 3000
      metric: { namespace: X, name: Items }
`;

  it("has no review cost without a review, nor without a volume", async () => {
    const report = await reconcile(
      [
        row("2026-11-05", "volume-only", BEDROCK, "9"),
        row("2026-11-05", "review-only", BEDROCK, "9"),
      ],
      undefined,
      parseRegistry(REVIEWS, "w"),
    );
    const volumeOnly = workflowOf(report, "volume-only");
    expect(volumeOnly.reviewCost).toBe(0);
    expect(volumeOnly.items).toBe(2700);
    expect(volumeOnly.costPerItem).toBeCloseTo(9 / 2700, 6);
    const reviewOnly = workflowOf(report, "review-only");
    expect(reviewOnly.reviewCost).toBe(0);
    expect(reviewOnly.items).toBeNull();
    expect(reviewOnly.costPerItem).toBeNull();
  });

  it("has no cost per item when no item was processed", async () => {
    const report = await reconcile(
      [row("2026-11-05", "measured", BEDROCK, "9")],
      new Map([["measured", 0]]),
      parseRegistry(REVIEWS, "w"),
    );
    const measured = workflowOf(report, "measured");
    expect(measured.items).toBe(0);
    expect(measured.reviewCostBasis).toBe("measured");
    expect(measured.costPerItem).toBeNull();
  });
});

describe("workflow triggers at their edges", () => {
  const registry = testRegistry();
  const byId = (id: string): Workflow => registry.workflows.find((w) => w.id === id)!;
  // support-triage: budget 1000, forecastAlert 100, growth trigger 2.0; invoice-matching: budget
  // 500, no forecastAlert, no growth trigger; memo-pilot: learning, reviewBy 2026-11-15.
  const figures = (over: Partial<WorkflowFigures> = {}): WorkflowFigures => ({
    spend: 100,
    spendSeen: true,
    lastMonthSpend: 0,
    projectedSpend: 100,
    lastWeekSpend: 10,
    priorWeekSpend: 10,
    growth: 1,
    conflicts: [],
    ...over,
  });
  const kinds = (workflow: Workflow, over: Partial<WorkflowFigures>, p = period) =>
    workflowFlags(workflow, figures(over), p, "USD", "workflow").map(
      (f) => `${f.kind}/${f.severity}`,
    );

  it("spend exactly at the budget is not over it; a cent above is, and says so", () => {
    expect(kinds(byId("invoice-matching"), { spend: 500, projectedSpend: 500 })).toEqual([]);
    const flags = workflowFlags(
      byId("invoice-matching"),
      figures({ spend: 600, projectedSpend: 700 }),
      period,
      "USD",
      "workflow",
    );
    expect(flags.map((f) => `${f.kind}/${f.severity}`)).toEqual(["over-budget/critical"]);
    expect(flags[0]!.message).toContain(
      "Spent 600.00 USD of its 500.00 USD monthly budget (120%) with 3 day(s)",
    );
  });

  it("over budget in a finished month does not mention days to go", () => {
    const done = periodFor("2026-12-01");
    const [flag] = workflowFlags(
      byId("invoice-matching"),
      figures({ spend: 600 }),
      done,
      "USD",
      "workflow",
    );
    expect(flag!.message).toContain("(120%): cut usage");
  });

  it("the forecast alert defaults to 100% of the budget: exactly at it is quiet, above warns", () => {
    expect(kinds(byId("invoice-matching"), { projectedSpend: 500 })).toEqual([]);
    const flags = workflowFlags(
      byId("invoice-matching"),
      figures({ projectedSpend: 550 }),
      period,
      "USD",
      "workflow",
    );
    expect(flags.map((f) => `${f.kind}/${f.severity}`)).toEqual(["forecast-over-budget/warning"]);
    expect(flags[0]!.message).toContain(
      "On track to spend 550.00 USD this month, 110% of its 500.00 USD budget",
    );
  });

  it("a forecast alert below 100% warns from that share of the budget", () => {
    const text = REGISTRY_WITH_FORECAST(80);
    const w = parseRegistry(text, "w").workflows[0]!;
    expect(kinds(w, { projectedSpend: 800 })).toEqual([]);
    expect(kinds(w, { projectedSpend: 850 })).toEqual(["forecast-over-budget/warning"]);
  });

  it("no forecast warning once the month is complete", () => {
    expect(
      kinds(byId("invoice-matching"), { projectedSpend: 550 }, periodFor("2026-12-01")),
    ).toEqual([]);
  });

  it("growth exactly at its trigger flags; just under does not; no trigger or no figure never does", () => {
    expect(kinds(byId("support-triage"), { growth: 2 })).toEqual(["growth/warning"]);
    expect(kinds(byId("support-triage"), { growth: 1.999 })).toEqual([]);
    expect(kinds(byId("support-triage"), { growth: null })).toEqual([]);
    expect(kinds(byId("invoice-matching"), { growth: 50 })).toEqual([]);
  });

  it("past its review date: critical for a learning workflow, a warning for a run-rate one", () => {
    const after = periodFor("2026-11-16");
    expect(kinds(byId("memo-pilot"), {}, after)).toEqual(["past-review-date/critical"]);
    const runRate = { ...byId("invoice-matching"), reviewBy: "2026-11-15" } as Workflow;
    expect(kinds(runRate, { spend: 100 }, after)).toEqual(["past-review-date/warning"]);
  });

  it("no past-review flag for a date still ahead or today, nor without spend", () => {
    expect(kinds(byId("memo-pilot"), {}, periodFor("2026-11-14"))).toEqual([]);
    expect(kinds(byId("memo-pilot"), {}, periodFor("2026-11-15"))).toEqual([]);
    expect(
      kinds(byId("memo-pilot"), { spendSeen: false, spend: 0 }, periodFor("2026-11-16")),
    ).toEqual(["no-spend/warning"]);
  });

  it("no spend says what last month was, when there was any", () => {
    const [withLast] = workflowFlags(
      byId("memo-pilot"),
      figures({ spendSeen: false, lastMonthSpend: 12 }),
      period,
      "USD",
      "workflow",
    );
    expect(withLast!.message).toContain("(last month: 12.00 USD)");
    const [none] = workflowFlags(
      byId("memo-pilot"),
      figures({ spendSeen: false }),
      period,
      "USD",
      "workflow",
    );
    expect(none!.message).toContain("No spend seen this month or last");
  });
});

describe("report triggers at their edges", () => {
  const base: ReportFigures = {
    currency: "USD",
    aiSpend: 100,
    unownedSpend: 0,
    unownedShareAlert: 0.05,
    unregistered: [],
    estimatedDays: [],
    foreign: new Map(),
    principalTags: false,
    conflicts: [],
    tagKey: "workflow",
  };
  const flags = (over: Partial<ReportFigures>) => reportFlags({ ...base, ...over });

  it("unowned share exactly at the alert is quiet; above it warns", () => {
    expect(flags({ unownedSpend: 5 })).toEqual([]);
    expect(flags({ unownedSpend: 6 }).map((f) => `${f.kind}/${f.severity}`)).toEqual([
      "unowned-share/warning",
    ]);
  });

  it("no share without AI spend, even when credits leave unowned spend above zero", () => {
    expect(flags({ aiSpend: 0, unownedSpend: 3 })).toEqual([]);
    expect(flags({ aiSpend: -1, unownedSpend: 3 })).toEqual([]);
  });

  it("an unregistered value with no suggestion reads without a gap; every such flag is a warning", () => {
    const [flag] = flags({
      unregistered: [
        { value: "etl", spend: 2, suggestion: null, caseOnly: false, route: "resourceTag" },
      ],
    });
    expect(flag!.severity).toBe("warning");
    expect(flag!.message).toContain('"etl" is not a registered workflow and spent 2.00 USD');
    const [caseOnly] = flags({
      unregistered: [
        { value: "Etl", spend: 2, suggestion: "etl", caseOnly: true, route: "resourceTag" },
      ],
    });
    expect(caseOnly!.message).toContain(
      'workflow (differs only in letter case from "etl": tag values are case-sensitive) and spent',
    );
  });

  it("a foreign currency is a warning; estimates of one day name that day", () => {
    expect(flags({ foreign: new Map([["EUR", 3]]) }).map((f) => f.severity)).toEqual(["warning"]);
    const [one] = flags({ estimatedDays: ["2026-11-26"] });
    expect(one).toMatchObject({ kind: "estimated-data", severity: "info" });
    expect(one!.message).toContain("Figures for 2026-11-26 are still estimates");
  });
});

function REGISTRY_WITH_FORECAST(percent: number): string {
  return `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  forecasted:
    description: Forecast alert below 100
    owner: dana@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 1000, forecastAlert: ${percent} }
`;
}
