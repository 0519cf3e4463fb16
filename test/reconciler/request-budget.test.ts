import { describe, expect, it } from "vitest";
import { ceRequestBudget, ceRequestCost } from "../../src/reconciler/request-budget";

describe("the Cost Explorer request budget", () => {
  it("follows the documented formula", () => {
    // 62 x (10 x 2 x 10 + 200) = 24,800 groups -> 25 pages -> 2 x 25 + 10 = 60, + 1 listing.
    expect(ceRequestBudget(10)).toBe(61);
    expect(ceRequestBudget(1)).toBe(2 * Math.ceil((62 * 220) / 1000) + 10 + 1);
    expect(ceRequestBudget(0)).toBe(ceRequestBudget(1));
  });

  it("grows with the accounts queried, and with the registry", () => {
    expect(ceRequestBudget(10, 50)).toBe(50 * 60 + 1);
    expect(ceRequestBudget(10, 2_000)).toBe(2_000 * 60 + 2);
    expect(ceRequestBudget(100)).toBeGreaterThan(ceRequestBudget(10));
  });

  it("prices requests at USD 0.01, in whole cents", () => {
    expect(ceRequestCost(61)).toBe(0.61);
    expect(ceRequestCost(66_090)).toBe(660.9);
  });
});
