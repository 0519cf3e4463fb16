import { describe, expect, it } from "vitest";

import { RESULT_COLUMNS } from "../../src/reconciler/cur/query";
import { cellsOf, CurRowError, parseCurRow } from "../../src/reconciler/cur/rows";
import type { CurCells } from "../../src/reconciler/cur/rows";
import { toString } from "../../src/util/decimal";

const GOOD: CurCells = {
  usage_date: "2026-05-02",
  resource_workflow: null,
  principal_workflow: "invoice-matching",
  unattributed_principal: null,
  unattributed_resource: null,
  product_name: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
  product_code: "prod-abc123",
  usage_type: "USE1-MP:USE1_InputTokenCount-Units",
  pricing_unit: "1K tokens",
  line_item_type: "Usage",
  currency: "USD",
  cost: "3.6015000000",
  usage_amount: "1200.5000000000",
  line_items: "3",
};

describe("parseCurRow", () => {
  it("types a row: exact amounts, tokens, model, AI classification", () => {
    const row = parseCurRow(GOOD, 1);
    expect(toString(row.cost)).toBe("3.6015");
    expect(toString(row.tokens!)).toBe("1200500");
    expect(row.model).toBe("Claude Sonnet 4.5");
    expect(row.serviceClass).toMatchObject({ kind: "ai", basis: "bedrock-edition-suffix" });
    expect(row).toMatchObject({
      principalTag: "invoice-matching",
      resourceTag: null,
      lineItems: 3,
    });
  });

  it("falls back to the product code when a line has no product name, and says so", () => {
    const row = parseCurRow({ ...GOOD, product_name: null, product_code: "AmazonBedrock" }, 1);
    expect(row).toMatchObject({ service: "AmazonBedrock", serviceFrom: "product_code" });
  });

  it("an unknown pricing unit leaves tokens unknown, not guessed", () => {
    const row = parseCurRow({ ...GOOD, pricing_unit: "Units" }, 1);
    expect(row.tokens).toBeNull();
    expect(row.pricingUnit.kind).toBe("unknown");
  });

  it("an unknown usage type has no model and no tokens", () => {
    const row = parseCurRow({ ...GOOD, usage_type: "USE1-MP:USE1_Mystery-Units" }, 1);
    expect(row).toMatchObject({ model: null, tokens: null, usage: { kind: "unknown" } });
  });

  it.each<[Partial<CurCells>, RegExp]>([
    [{ usage_date: null }, /result row 7: usage_date null/],
    [{ usage_date: "2026-13-01" }, /usage_date "2026-13-01"/],
    [{ cost: "1,5" }, /result row 7: cost: malformed amount "1,5"/],
    [{ usage_amount: null }, /usage_amount is null/],
    [{ line_items: "0" }, /line_items "0" is not a count/],
    [{ product_name: "", product_code: null }, /neither a product name nor a product code/],
  ])("refuses %j", (change, message) => {
    expect(() => parseCurRow({ ...GOOD, ...change }, 7)).toThrow(message);
    expect(() => parseCurRow({ ...GOOD, ...change }, 7)).toThrow(CurRowError);
  });

  it("cellsOf checks the column count", () => {
    expect(() => cellsOf(["2026-05-02"], 2)).toThrow(/result row 2 has 1 columns, expected 14/);
    expect(
      cellsOf(
        [...RESULT_COLUMNS].map(() => "x"),
        1,
      ).currency,
    ).toBe("x");
  });
});
