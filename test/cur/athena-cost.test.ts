import { describe, expect, it } from "vitest";

import { athenaQueryCost, ATHENA_MINIMUM_BYTES } from "../../src/reconciler/cur/athena-cost";
import { toString } from "../../src/util/decimal";

describe("athenaQueryCost", () => {
  it.each([
    [0, "0.0000476837158203125"],
    [ATHENA_MINIMUM_BYTES, "0.0000476837158203125"],
    // Rounded up to the next MB: 10 MB + 1 byte bills as 11 MB.
    [ATHENA_MINIMUM_BYTES + 1, "0.00005245208740234375"],
    [2 ** 40, "5"],
    [3 * 2 ** 40, "15"],
  ])("%d bytes cost USD %s", (bytes, usd) => {
    expect(toString(athenaQueryCost(bytes))).toBe(usd);
  });

  it.each([[-1], [1.5], [Number.NaN]])("refuses %d bytes", (bytes) => {
    expect(() => athenaQueryCost(bytes)).toThrow(RangeError);
  });
});
