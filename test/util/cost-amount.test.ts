import { describe, expect, it } from "vitest";
import { MAX_AMOUNT_TEXT_LENGTH, parseCostAmount } from "../../src/util/cost-amount";
import { AmountError, toNumber, toString } from "../../src/util/decimal";

describe("parseCostAmount", () => {
  it.each([
    "0",
    "0.0000000035",
    "-12.5",
    "1.2E-9",
    "999999999999999",
    "-999999999999999.99",
    "9.99e14",
  ])("reads %s exactly", (text) => {
    const amount = parseCostAmount(text);
    expect(Number.isFinite(toNumber(amount))).toBe(true);
    expect(toNumber(amount)).toBe(Number(text));
  });

  it.each([
    ["10^15", "1000000000000000", /not below 10\^15/],
    ["-10^15", "-1000000000000000", /not below 10\^15/],
    ["1e15 by exponent", "1e15", /not below 10\^15/],
    ["0.1e16", "0.1e16", /not below 10\^15/],
    ["309 digits", "9".repeat(309), /309 characters long/],
    ["a long fraction", `0.${"0".repeat(70)}1`, /characters long/],
    ["Infinity", "Infinity", /malformed amount/],
    ["NaN", "NaN", /malformed amount/],
    ["an exponent past 64", "1e-65", /exponent/],
  ])("refuses %s", (_kind, text, message) => {
    expect(() => parseCostAmount(text)).toThrow(AmountError);
    expect(() => parseCostAmount(text)).toThrow(message);
  });

  it("accepts exactly the longest text allowed", () => {
    const text = `0.${"1".repeat(MAX_AMOUNT_TEXT_LENGTH - 2)}`;
    expect(toString(parseCostAmount(text))).toBe(text);
    expect(() => parseCostAmount(`${text}1`)).toThrow(/65 characters/);
  });
});
