import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  AmountError,
  ZERO,
  add,
  compare,
  fromNumber,
  isNegative,
  normalize,
  parseAmount,
  round,
  subtract,
  sum,
  toNumber,
  toString,
  tryParseAmount,
} from "../../src/util/decimal";

describe("parseAmount", () => {
  it.each([
    ["0.1000000001", 1000000001n, 10],
    ["-0.0000000138", -138n, 10],
    ["40.3543773134", 403543773134n, 10],
    ["12", 12n, 0],
    ["+3.50", 350n, 2],
    ["1.2E-9", 12n, 10],
    ["-4e-10", -4n, 10],
    ["1.5e3", 1500n, 0],
    ["0", 0n, 0],
  ])("reads %s exactly", (text, units, scale) => {
    expect(parseAmount(text)).toEqual({ units, scale });
  });

  it.each(["", " 1", "1 ", ".5", "5.", "1,000.00", "0x10", "NaN", "Infinity", "1e", "--1", "abc"])(
    "rejects %j with a message quoting it",
    (text) => {
      expect(() => parseAmount(text)).toThrow(AmountError);
      expect(() => parseAmount(text)).toThrow(`malformed amount ${JSON.stringify(text)}`);
      expect(tryParseAmount(text)).toBeUndefined();
    },
  );

  it("rejects absurd exponents instead of building huge integers", () => {
    expect(() => parseAmount("1e100000")).toThrow("exponent beyond ±64");
  });
});

describe("sums", () => {
  it("adds 1,000 x 0.1000000001 to exactly 100.0000001", () => {
    let total = ZERO;
    for (let i = 0; i < 1000; i++) total = add(total, parseAmount("0.1000000001"));
    expect(toString(total)).toBe("100.0000001");
    expect(toNumber(total)).toBe(100.0000001);
  });

  it("keeps credits: amounts and their negatives cancel exactly", () => {
    const amounts = ["12.3456789012", "-12.3456789012", "0.1", "-0.3", "0.2"].map(parseAmount);
    expect(toString(sum(amounts))).toBe("0");
    expect(isNegative(parseAmount("-0.01"))).toBe(true);
  });

  it("adds amounts of different scales", () => {
    expect(toString(add(parseAmount("1.5"), parseAmount("0.0000000001")))).toBe("1.5000000001");
    expect(toString(add(parseAmount("0.0000000001"), parseAmount("2")))).toBe("2.0000000001");
    expect(toString(subtract(parseAmount("1"), parseAmount("1.25")))).toBe("-0.25");
  });

  it("compares regardless of scale", () => {
    expect(compare(parseAmount("1.10"), parseAmount("1.1"))).toBe(0);
    expect(compare(parseAmount("-1"), parseAmount("0.0001"))).toBe(-1);
    expect(compare(parseAmount("2e-9"), parseAmount("0.000000001"))).toBe(1);
  });

  it("is exact where floating point drifts (property)", () => {
    // Integers of cents scaled to 10 places: the exact sum is known independently.
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n })), (units) => {
        const texts = units.map((u) => toString({ units: u, scale: 10 }));
        const total = sum(texts.map(parseAmount));
        expect(compare(total, { units: units.reduce((a, b) => a + b, 0n), scale: 10 })).toBe(0);
      }),
    );
  });
});

describe("formatting", () => {
  it.each([
    [{ units: 0n, scale: 5 }, "0"],
    [{ units: -5n, scale: 1 }, "-0.5"],
    [{ units: 123n, scale: 5 }, "0.00123"],
    [{ units: 1000n, scale: 2 }, "10"],
    [{ units: -1230n, scale: 0 }, "-1230"],
  ])("writes %o as %s", (amount, text) => {
    expect(toString(amount)).toBe(text);
  });

  it("round-trips through text (property)", () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.integer({ min: 0, max: 30 }), (units, scale) => {
        const amount = { units, scale };
        expect(parseAmount(toString(amount))).toEqual(normalize(amount));
      }),
    );
  });

  it("rounds half away from zero", () => {
    expect(toString(round(parseAmount("0.125"), 2))).toBe("0.13");
    expect(toString(round(parseAmount("-0.125"), 2))).toBe("-0.13");
    expect(toString(round(parseAmount("0.124999"), 2))).toBe("0.12");
    expect(toString(round(parseAmount("7"), 2))).toBe("7");
    expect(() => round(ZERO, -1)).toThrow("places must be a whole number");
  });

  it("makes exact amounts from numbers via their shortest text", () => {
    expect(fromNumber(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(() => fromNumber(Number.NaN)).toThrow("not a finite number");
  });
});
