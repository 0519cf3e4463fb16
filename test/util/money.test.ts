import { describe, expect, it } from "vitest";
import { formatAmount, formatMoney, formatUnitMoney } from "../../src/util/money";

// One style for every output (digests, flags, terminal, HTML): the amount, then the code.
describe("money", () => {
  it.each([
    [1234.5, "USD", "1,234.50 USD"],
    [-12, "USD", "-12.00 USD"],
    [-0.001, "USD", "0.00 USD"],
    [0, "EUR", "0.00 EUR"],
    [1234.5, "XQZ1", "1,234.50 XQZ1"],
  ])("%s %s -> %s", (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it("writes a bare amount for a column whose header names the currency", () => {
    expect(formatAmount(1234.5)).toBe("1,234.50");
    expect(formatAmount(-0.004)).toBe("0.00");
  });

  it("keeps four decimals for amounts under one unit (cost per item)", () => {
    expect(formatUnitMoney(0.012345, "USD")).toBe("0.0123 USD");
    expect(formatUnitMoney(12.3456, "USD")).toBe("12.35 USD");
  });
});
