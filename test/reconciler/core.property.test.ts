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

/** A line: a resource tag or none, a caller's principal tag or none (each may be ""). */
const costRow: fc.Arbitrary<CostRow> = fc.record({
  date: fc.integer({ min: 1, max: 27 }).map((d) => `2026-11-${String(d).padStart(2, "0")}`),
  resourceTag: fc.constantFrom(...TAGS),
  principalTag: fc.constantFrom(...TAGS, null, null),
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

  it("attributed + unregistered + unowned = AI spend exactly, each line in one bucket, whatever the lines and pages", () => {
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

          // Independent oracle, straight from the lines: the first non-empty tag decides.
          const usd = rows.filter((r) => r.unit === "USD");
          const isAi = (s: string) => AI.includes(s);
          const decide = (r: CostRow): { route: string; value: string } | null =>
            r.resourceTag
              ? { route: "resourceTag", value: r.resourceTag }
              : r.principalTag
                ? { route: "principalTag", value: r.principalTag }
                : null;
          const expected = new Map<string, Amount[]>();
          const put = (key: string, amount: Amount) =>
            expected.set(key, [...(expected.get(key) ?? []), amount]);
          const aiValues = new Set(
            usd
              .filter((r) => isAi(r.service))
              .flatMap((r) => {
                const d = decide(r);
                return d === null ? [] : [`${d.route}:${d.value}`];
              }),
          );
          for (const r of usd) {
            const d = decide(r);
            const amount = parseAmount(r.amount);
            if (d === null) {
              if (isAi(r.service)) put("unowned", amount);
            } else if (ids.has(d.value)) {
              put(`workflow:${d.value}`, amount);
              put(`workflow:${d.value}:${d.route}`, amount);
            } else if (aiValues.has(`${d.route}:${d.value}`)) {
              put(`unregistered:${d.route}:${d.value}`, amount);
            }
            if (r.resourceTag && r.principalTag && r.resourceTag !== r.principalTag) {
              put(`conflict:${r.resourceTag}|${r.principalTag}`, amount);
            }
          }
          const sumKey = (key: string) => sumOf(expected.get(key) ?? []);

          // Every bucket holds exactly its lines (so no line is counted twice)...
          for (const [id, bucket] of result.workflows) {
            expect(toString(bucket.monthToDate)).toBe(sumKey(`workflow:${id}`));
            expect(toString(bucket.byRoute.resourceTag)).toBe(sumKey(`workflow:${id}:resourceTag`));
            expect(toString(bucket.byRoute.principalTag)).toBe(
              sumKey(`workflow:${id}:principalTag`),
            );
          }
          expect(toString(result.unowned.monthToDate)).toBe(sumKey("unowned"));
          const seen = new Set<string>();
          for (const { value, route, bucket } of result.unregistered) {
            const key = `unregistered:${route}:${value}`;
            expect(seen.has(key)).toBe(false);
            seen.add(key);
            expect(toString(bucket.monthToDate)).toBe(sumKey(key));
          }
          expect(seen).toEqual(
            new Set([...expected.keys()].filter((k) => k.startsWith("unregistered:"))),
          );
          for (const c of result.conflicts) {
            expect(toString(c.amount)).toBe(sumKey(`conflict:${c.resourceTag}|${c.principalTag}`));
          }
          expect(result.conflicts.length).toBe(
            [...expected.keys()].filter((k) => k.startsWith("conflict:")).length,
          );

          // ...and the parts add up to the AI spend, exactly.
          const parts = [
            ...[...result.workflows.values()].map((b) => b.monthToDate),
            result.unowned.monthToDate,
            ...result.unregistered.map((u) => u.bucket.monthToDate),
          ];
          const expectedAi = usd.filter((r) => {
            const d = decide(r);
            if (d === null) return isAi(r.service);
            return ids.has(d.value) || aiValues.has(`${d.route}:${d.value}`);
          });
          expect(sumOf(parts)).toBe(sumOf(expectedAi.map((r) => parseAmount(r.amount))));
          // Per route: resource + principal + none = AI spend.
          const byRoute = [
            ...[...result.workflows.values()].flatMap((b) => [
              b.byRoute.resourceTag,
              b.byRoute.principalTag,
            ]),
            ...result.unregistered.flatMap((u) => [
              u.bucket.byRoute.resourceTag,
              u.bucket.byRoute.principalTag,
            ]),
            result.unowned.monthToDate,
          ];
          expect(sumOf(byRoute)).toBe(sumOf(parts));
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
          const { attribution } = report;
          expect(attribution.resourceTag + attribution.principalTag + attribution.none).toBeCloseTo(
            report.totals.aiSpend,
            6,
          );
          expect(attribution.none).toBe(report.unowned.spend);
          const spends = attribution.conflicts.map((c) => c.spend);
          expect(spends).toEqual([...spends].sort((a, b) => b - a));
          expect(report.totals.attributedShare).toBeGreaterThanOrEqual(0);
          expect(report.totals.attributedShare).toBeLessThanOrEqual(1);
          expect(report.totals.aiSpend).toBeLessThanOrEqual(report.totals.spend + 1e-9);
          for (const w of report.workflows) {
            expect(w.daily).toHaveLength(27);
            expect(w.fullyLoaded).toBeCloseTo(w.spend + w.reviewCost, 6);
            expect(w.attribution.resourceTag + w.attribution.principalTag).toBeCloseTo(w.spend, 6);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
