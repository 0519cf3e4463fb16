import { describe, expect, it } from "vitest";
import {
  periodFor,
  renewalDueFlags,
  reviewQueueFlags,
  reworkRateFlags,
  unitPriceChanges,
  unitPriceFlags,
} from "../../src/reconciler";
import type { MetricResult, UsageTypeMonth, WorkflowOutcomes } from "../../src/reconciler";
import { parseRegistry } from "../../src/registry";

const workflowOf = (extra: string, stage = "run-rate\n    budget: { monthly: 100 }") =>
  parseRegistry(
    `version: 1
settings: { currency: USD, unownedSpendContact: finops@example.com }
workflows:
  w1:
    description: d
    owner: a@example.com
    stage: ${stage}
    risk: low
${extra}`,
    "workflows.yaml",
  ).workflows[0]!;

const PERIOD = periodFor("2026-11-28");
const queue = (max: string) =>
  workflowOf(`    review: { reviewer: r@example.com, share: 0.1, minutesPerItem: 1, hourlyRate: 10 }
    triggers: { reviewQueue: { metric: { namespace: Q, name: Depth }, ${max} } }
`);
const points = (values: Record<string, number>): MetricResult => ({
  kind: "read",
  series: [
    { label: null, points: Object.entries(values).map(([date, value]) => ({ date, value })) },
  ],
});

describe("review-queue", () => {
  it("fires above max only, on the latest day of the last week", () => {
    expect(reviewQueueFlags(queue("max: 100"), points({ "2026-11-27": 100 }), PERIOD)).toEqual([]);
    const [flag] = reviewQueueFlags(queue("max: 100"), points({ "2026-11-27": 101 }), PERIOD);
    expect(flag?.alsoTo).toEqual(["r@example.com"]);
    // A high reading from before the last week is old news.
    expect(reviewQueueFlags(queue("max: 100"), points({ "2026-11-10": 500 }), PERIOD)).toEqual([]);
  });

  it("fires at the growth multiple, and not without an earlier week", () => {
    const grew = points({ "2026-11-15": 10, "2026-11-22": 20 });
    expect(reviewQueueFlags(queue("growth: 2"), grew, PERIOD).map((f) => f.kind)).toEqual([
      "review-queue",
    ]);
    expect(reviewQueueFlags(queue("growth: 2.1"), grew, PERIOD)).toEqual([]);
    expect(reviewQueueFlags(queue("growth: 2"), points({ "2026-11-22": 20 }), PERIOD)).toEqual([]);
  });

  it("says when the queue could not be read, and stays quiet on a queue with no data", () => {
    const failed = reviewQueueFlags(
      queue("max: 1"),
      { kind: "failed", reason: "Forbidden" },
      PERIOD,
    );
    expect(failed[0]?.message).toContain("could not be read (Forbidden)");
    expect(reviewQueueFlags(queue("max: 1"), { kind: "read", series: [] }, PERIOD)).toEqual([]);
    expect(reviewQueueFlags(queue("max: 1"), undefined, PERIOD)).toEqual([]);
  });
});

describe("rework-rate", () => {
  const w = workflowOf(`    volume: { itemsPerMonth: 100 }
    outcomes:
      metrics: { namespace: N, accepted: A, reworked: R }
      expected: { acceptedShare: 0.8, reworkShare: 0.1 }
    review: { share: 0.1, minutesPerItem: 1, reworkMinutes: 5, hourlyRate: 10 }
    triggers: { reworkMargin: 0.05 }
`);
  const outcomes = (
    reworked: number,
    basis: "measured" | "estimated" = "measured",
  ): WorkflowOutcomes => ({
    basis,
    basisReason: null,
    accepted: 100 - reworked,
    reworked,
    escalated: 0,
    reviewCost: 0,
    reworkCost: 0,
    exceptionCost: 0,
    costPerAccepted: 1,
  });
  it("fires only above expected + margin, and only on measured outcomes", () => {
    expect(reworkRateFlags(w, outcomes(15))).toEqual([]); // exactly at the margin
    expect(reworkRateFlags(w, outcomes(16)).map((f) => f.kind)).toEqual(["rework-rate"]);
    expect(reworkRateFlags(w, outcomes(40, "estimated"))).toEqual([]);
    expect(reworkRateFlags(w, null)).toEqual([]);
  });
});

describe("renewal-due", () => {
  const learning = workflowOf("", "learning\n    reviewBy: 2026-12-12");
  it("asks for the renewal within 14 days of the review date, with figures to cite", () => {
    const [flag] = renewalDueFlags(
      learning,
      { spend: 12, lastMonthSpend: 30, outcomes: null },
      PERIOD,
      "USD",
    );
    expect(flag?.message).toContain("is in 14 day(s)");
    expect(flag?.message).toContain("renew, graduate (to run-rate) or retire");
    expect(flag?.message).toContain("spend 12.00 USD this month to date and 30.00 USD last month");
    expect(
      renewalDueFlags(
        learning,
        { spend: 1, lastMonthSpend: 1, outcomes: null },
        periodFor("2026-11-27"),
        "USD",
      ),
    ).toEqual([]);
    // Past the date is past-review-date's business.
    expect(
      renewalDueFlags(
        learning,
        { spend: 1, lastMonthSpend: 1, outcomes: null },
        periodFor("2026-12-13"),
        "USD",
      ),
    ).toEqual([]);
  });
});

describe("unit-price-change", () => {
  const month = (m: string, usageType: string, cost: string, usage: string): UsageTypeMonth => ({
    workflowId: "w1",
    usageType,
    month: m,
    cost,
    usage,
  });
  const months = [
    month("2026-10-01", "tokens-in", "10", "1000"),
    month("2026-11-01", "tokens-in", "11", "1000"),
    month("2026-10-01", "tokens-out", "10", "1000"),
    month("2026-11-01", "tokens-out", "10.5", "1000"),
    month("2026-11-01", "new-type", "3", "10"),
    month("2026-10-01", "gone", "3", "10"),
  ];
  it("compares cost / usage month on month, at or past the share", () => {
    expect(unitPriceChanges(months, "w1", PERIOD, 0.1)).toEqual([
      { usageType: "tokens-in", before: 0.01, after: 0.011, change: 0.1 },
    ]);
    expect(unitPriceChanges(months, "w1", PERIOD, 0.05).map((c) => c.usageType)).toEqual([
      "tokens-in",
      "tokens-out",
    ]);
    expect(unitPriceChanges(months, "other", PERIOD, 0.01)).toEqual([]);
  });
  it("flags only a workflow that sets the trigger", () => {
    const set = workflowOf("    triggers: { unitPrice: 0.1 }\n");
    expect(unitPriceFlags(set, months, PERIOD, "USD")[0]?.message).toContain(
      '"tokens-in" went up 10%',
    );
    expect(unitPriceFlags(workflowOf(""), months, PERIOD, "USD")).toEqual([]);
    expect(unitPriceFlags(set, undefined, PERIOD, "USD")).toEqual([]);
  });
});
