import { describe, expect, it } from "vitest";
import {
  longDate,
  multiple,
  percent,
  periodInWords,
  timestampInWords,
} from "../../src/report/format";

describe("ratios", () => {
  it.each([
    [1.0184, "101.8%"],
    [0.25, "25%"],
    [0, "0%"],
  ])("percent(%s) = %s", (ratio, expected) => {
    expect(percent(ratio)).toBe(expected);
  });

  it("writes growth as a multiple", () => {
    expect(multiple(2.04)).toBe("2.0×");
    expect(multiple(0.5)).toBe("0.5×");
  });
});

describe("periodInWords", () => {
  it.each([
    ["2026-11-01", "2026-11-28", "1–27 November 2026"],
    ["2026-11-01", "2026-11-02", "1 November 2026"],
    ["2026-10-25", "2026-11-04", "25 October – 3 November 2026"],
    ["2026-12-28", "2027-01-04", "28 December 2026 – 3 January 2027"],
    ["2026-11-01", "2026-12-01", "1–30 November 2026"],
    ["2026-11-05", "2026-11-05", "no days (5 November 2026)"],
    ["last month", "now", "last month to now"],
  ])("%s to %s (end exclusive) -> %s", (start, end, expected) => {
    expect(periodInWords({ start, end })).toBe(expected);
  });
});

describe("dates", () => {
  it("writes a date and a timestamp in words, in UTC", () => {
    expect(longDate("2027-03-31")).toBe("31 March 2027");
    expect(longDate("2027-02-29")).toBe("2027-02-29");
    expect(timestampInWords("2026-11-28T06:00:12.345Z")).toBe("28 November 2026, 06:00 UTC");
    expect(timestampInWords("2026-11-28T06:00:00+02:00")).toBe("28 November 2026, 04:00 UTC");
    expect(timestampInWords("soon")).toBe("soon");
  });
});
