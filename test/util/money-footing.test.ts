import { describe, expect, it } from "vitest";
import { footedTotal, formatAmount, shownAmount } from "../../src/util/money";

describe("shownAmount and footedTotal", () => {
  it("round exactly as formatAmount shows an amount", () => {
    for (const amount of [302.874, 116.094, 0.125, -0.125, 1.005, 2.675, -12.345, 1234567.891]) {
      expect(shownAmount(amount).toFixed(2)).toBe(formatAmount(amount).replace(/,/g, ""));
    }
  });

  it("never gives -0 for a tiny credit", () => {
    expect(Object.is(shownAmount(-0.001), 0)).toBe(true);
  });

  it("adds amounts as shown, so the total foots to its parts", () => {
    expect(footedTotal([302.874, 116.098])).toBe(418.97); // 302.87 + 116.10
    // The exact sum, 418.972, would show as 418.97; the parts show 302.87 + 100.00 + 16.09.
    expect(footedTotal([302.874, 100.004, 16.094])).toBe(418.96);
    expect(footedTotal([0.125, 0.125])).toBe(0.26);
    expect(footedTotal([10.1, -0.3, 0.2])).toBe(10);
    expect(footedTotal([])).toBe(0);
  });
});
