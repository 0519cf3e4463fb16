import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAggregator } from "../../src/reconciler";
import { periodFor } from "../../src/reconciler";
import { runReconciliation } from "../../src/reconciler";
import type { CostRow } from "../../src/reconciler";
import { add, parseAmount, toString, ZERO } from "../../src/util/decimal";
import type { Amount } from "../../src/util/decimal";
import { memorySource, testRegistry } from "./fixtures";

const RUN = "2026-11-28";
const AI = ["Amazon Bedrock", "Amazon SageMaker", "Claude Haiku 4.5 (Amazon Bedrock Edition)"];
const OTHER = ["Amazon Simple Storage Service", "AWS Lambda"];
const TAGS = [
  null,
  "",
  "support-triage",
  "invoice-matching",
  "memo-pilot",
  "Support-Triage",
  "stray",
  "etl",
];

const amountText = fc
  .tuple(fc.integer({ min: -500_000, max: 5_000_000 }), fc.integer({ min: 0, max: 10 }))
  .map(([units, scale]) => toString({ units: BigInt(units), scale }));

const costRow: fc.Arbitrary<CostRow> = fc.record({
  date: fc.integer({ min: 1, max: 27 }).map((d) => `2026-11-${String(d).padStart(2, "0")}`),
  tag: fc.constantFrom(...TAGS),
  service: fc.constantFrom(...AI, ...OTHER),
  amount: amountText,
  unit: fc.constantFrom("USD", "USD", "USD", "EUR"),
  estimated: fc.boolean(),
});

const sumOf = (amounts: Iterable<Amount>) => {
  let total = ZERO;
  for (const a of amounts) total = add(total, a);
  return toString(total);
};

describe("reconciliation core (properties)", () => {
  const registry = testRegistry();
  const ids = new Set(registry.workflows.map((w) => w.id));

  it("attributed + unowned + unregistered equals the AI spend, exactly, whatever the rows and pages", () => {
    fc.assert(
      fc.property(
        fc.array(costRow, { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, pageSize) => {
          const aggregator = createAggregator({
            workflowIds: ids,
            currency: "USD",
            period: periodFor(RUN),
          });
          for (let i = 0; i < rows.length; i += pageSize)
            aggregator.add(rows.slice(i, i + pageSize));
          const result = aggregator.finish();

          // Independent oracle, straight from the rows.
          const usd = rows.filter((r) => r.unit === "USD");
          const isAi = (s: string) => AI.includes(s);
          const aiTagValues = new Set(
            usd.filter((r) => r.tag && isAi(r.service)).map((r) => r.tag),
          );
          const expectedAi = usd.filter((r) =>
            r.tag ? ids.has(r.tag) || aiTagValues.has(r.tag) : isAi(r.service),
          );
          const parts = [
            ...[...result.workflows.values()].map((b) => b.monthToDate),
            result.unowned.monthToDate,
            ...[...result.unregistered.values()].map((b) => b.monthToDate),
          ];
          expect(sumOf(parts)).toBe(sumOf(expectedAi.map((r) => parseAmount(r.amount))));
          expect(toString(result.totalSpend)).toBe(sumOf(usd.map((r) => parseAmount(r.amount))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the report's parts add up to its AI total, and the attributed share stays within 0..1 for positive spend", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          costRow.map((r) => ({ ...r, amount: r.amount.replace("-", "") })),
          { maxLength: 200 },
        ),
        async (rows) => {
          const report = await runReconciliation({
            registry,
            source: memorySource(rows, 37),
            runDate: RUN,
          });
          const parts =
            report.workflows.reduce((s, w) => s + w.spend, 0) +
            report.unowned.spend +
            report.unregistered.reduce((s, u) => s + u.spend, 0);
          expect(parts).toBeCloseTo(report.totals.aiSpend, 6);
          expect(report.totals.attributedShare).toBeGreaterThanOrEqual(0);
          expect(report.totals.attributedShare).toBeLessThanOrEqual(1);
          expect(report.totals.aiSpend).toBeLessThanOrEqual(report.totals.spend + 1e-9);
          for (const w of report.workflows) {
            expect(w.daily).toHaveLength(27);
            expect(w.fullyLoaded).toBeCloseTo(w.spend + w.reviewCost, 6);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
