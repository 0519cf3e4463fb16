import { describe, expect, it } from "vitest";
import { longestGapSeconds, missedRunWindow } from "../../stacks/components/missed-runs";

describe("missed-run window", () => {
  it("reads the longest gap from a rate or an every-day cron", () => {
    expect(longestGapSeconds("rate(1 day)")).toBe(86_400);
    expect(longestGapSeconds("rate(3 days)")).toBe(259_200);
    expect(longestGapSeconds("rate(12 hours)")).toBe(43_200);
    expect(longestGapSeconds("rate(30 minutes)")).toBe(1_800);
    expect(longestGapSeconds("cron(0 6 * * ? *)")).toBe(86_400);
    expect(longestGapSeconds("cron(15 */4 ? * * *)")).toBe(86_400);
  });

  it("derives nothing from a one-time schedule or a cron that skips days", () => {
    expect(longestGapSeconds("at(2027-01-01T06:00:00)")).toBeUndefined();
    expect(longestGapSeconds("cron(0 6 ? * MON-FRI *)")).toBeUndefined();
    expect(longestGapSeconds("cron(0 6 1 * ? *)")).toBeUndefined();
    expect(longestGapSeconds("cron(0 6 * 1 ? *)")).toBeUndefined();
    expect(longestGapSeconds("cron(0 6 * * ? 2027)")).toBeUndefined();
    expect(longestGapSeconds("rate(0 days)")).toBeUndefined();
    expect(longestGapSeconds("rate(1 week)")).toBeUndefined();
  });

  it("adds two hours of slack, in hourly periods", () => {
    expect(missedRunWindow("cron(0 6 * * ? *)")).toEqual({ period: 3600, evaluationPeriods: 26 });
    expect(missedRunWindow("rate(5 minutes)")).toEqual({ period: 3600, evaluationPeriods: 3 });
  });

  it("stays within CloudWatch's 7-day evaluation window, or gives up", () => {
    expect(missedRunWindow("rate(6 days)")).toEqual({ period: 3600, evaluationPeriods: 146 });
    expect(missedRunWindow("rate(7 days)")).toBeUndefined();
    expect(missedRunWindow("at(2027-01-01T06:00:00)")).toBeUndefined();
  });
});
