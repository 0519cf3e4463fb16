/**
 * The demo's CUR 2.0 export (`examples/cur/`): what scripts/demo-cur.ts writes from the
 * scenario, agreeing with the recorded Cost Explorer bill on every day, workflow and service.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenarioCurLines } from "../../src/demo/cur-lines";
import { exampleFiles } from "../../src/demo/examples";
import { scenarioBillRows } from "../../src/demo/usage-lines";
import { AS_OF, BILL_START, TAG_KEY, scenarioRows } from "../../src/demo/scenario";
import { curQuery } from "../../src/reconciler/cur/query";
import type { CurRow } from "../../src/reconciler/cur/rows";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";
import { add, normalize, parseAmount, toString, ZERO } from "../../src/util/decimal";
import type { Amount } from "../../src/util/decimal";

const dir = exampleFiles().curExport;
const key = (date: string, tag: string | null, service: string) =>
  `${date}|${tag ?? ""}|${service}`;
const text = (amount: Amount) => toString(normalize(amount));

let engine: DuckDbCurEngine;
let rows: readonly CurRow[];
beforeAll(async () => {
  engine = await DuckDbCurEngine.open(dir);
  ({ rows } = await engine.run(
    curQuery({ start: BILL_START, end: AS_OF, metric: "UnblendedCost", tagKey: TAG_KEY }),
  ));
});
afterAll(() => engine.close());

function sums(entries: Iterable<readonly [string, Amount]>): Map<string, string> {
  const totals = new Map<string, Amount>();
  for (const [k, amount] of entries) totals.set(k, add(totals.get(k) ?? ZERO, amount));
  return new Map([...totals].map(([k, v]) => [k, text(v)]));
}

describe("examples/cur", () => {
  it("has the spend of the Cost Explorer bill on every day, workflow and service, exactly", () => {
    const fromExport = sums(rows.map((r) => [key(r.date, r.resourceTag, r.service), r.cost]));
    const fromBill = sums(
      scenarioRows().map((r) => [key(r.date, r.tag, r.service), parseAmount(r.amount)]),
    );
    expect(fromExport).toEqual(fromBill);
  });

  it("has the bill's usage types, quantities and costs on every day, tags and service, exactly", () => {
    const k = (
      date: string,
      tag: unknown,
      principal: unknown,
      service: string,
      usageType: string,
    ) => `${date}|${String(tag)}|${String(principal)}|${service}|${usageType}`;
    const fromLines = new Map<string, { cost: Amount; usage: Amount }>();
    for (const l of scenarioCurLines()) {
      const id = k(
        l.usageStart,
        l.resourceTags?.[`user_${TAG_KEY}`] ?? null,
        l.tags?.[`iamPrincipal/${TAG_KEY}`] ?? null,
        l.productName!,
        l.usageType,
      );
      const so = fromLines.get(id) ?? { cost: ZERO, usage: ZERO };
      fromLines.set(id, {
        cost: add(so.cost, parseAmount(l.unblendedCost)),
        usage: add(so.usage, parseAmount(l.usageAmount)),
      });
    }
    const bill = scenarioBillRows();
    expect(fromLines.size).toBe(bill.length);
    for (const r of bill) {
      const id = k(r.date, r.tag, r.principalTag, r.service, r.usageType!);
      const line = fromLines.get(id);
      expect(line, id).toBeDefined();
      expect(toString(normalize(line!.cost)), id).toBe(toString(normalize(parseAmount(r.amount))));
      expect(toString(normalize(line!.usage)), id).toBe(
        toString(normalize(parseAmount(r.amounts!.UsageQuantity!))),
      );
    }
  });

  it("is exactly the scenario's line items (regenerate it with scripts/demo-cur.ts after a change)", () => {
    const lines = scenarioCurLines();
    expect(rows.reduce((n, r) => n + r.lineItems, 0)).toBe(lines.length);
    const fromLines = sums(
      lines.map((l) => [
        `${key(l.usageStart, l.resourceTags?.[`user_${TAG_KEY}`] ?? null, l.productName!)}|${l.usageType}|${l.lineItemType ?? "Usage"}`,
        parseAmount(l.unblendedCost),
      ]),
    );
    const fromExport = sums(
      rows.map((r) => [
        `${key(r.date, r.resourceTag, r.service)}|${r.usageType}|${r.lineItemType}`,
        r.cost,
      ]),
    );
    expect(fromExport).toEqual(fromLines);
  });

  it("names a model and a token class on every line of a model's spend", () => {
    const ai = rows.filter((r) => /Bedrock/.test(r.service) && r.lineItemType === "Usage");
    expect(ai.length).toBeGreaterThan(0);
    for (const row of ai) {
      expect(row.model, row.usageType).not.toBeNull();
      expect(row.tokens, row.usageType).not.toBeNull();
    }
    expect(new Set(ai.map((r) => r.model))).toEqual(
      new Set([
        "Nova2.0Lite",
        "Nova2.0Pro",
        "Claude Sonnet 4.5",
        "Claude Haiku 4.5",
        "Claude 3 Haiku",
      ]),
    );
  });

  it("keeps a credit as its own line", () => {
    expect(
      rows
        .filter((r) => r.lineItemType === "Credit")
        .map((r) => [r.date, r.resourceTag, r.principalTag, text(r.cost)]),
    ).toEqual([["2026-11-01", null, "invoice-matching", "-60"]]);
  });

  it("stays small enough to ship (tens of kB)", () => {
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) =>
        statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)],
      );
    const bytes = walk(dir).reduce((n, f) => n + statSync(f).size, 0);
    expect(bytes).toBeLessThan(100_000);
  });
});
