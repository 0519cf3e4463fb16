import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { GetCostAndUsageCommandOutput } from "@aws-sdk/client-cost-explorer";
import { describe, expect, it } from "vitest";

import { MalformedResponseError, parseCostPage } from "../../src/reconciler/aws";
import { checkQuery, costAndUsageInput, reconciliationQuery } from "../../src/reconciler/aws";
import { backoffDelay, classifyError, DEFAULT_RETRY } from "../../src/reconciler/aws";
import type { CostQuery } from "../../src/reconciler";
import { parseRegistry } from "../../src/registry";

const PAGE = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "cost-explorer", "tag-service-page.json"), "utf8"),
) as GetCostAndUsageCommandOutput;
const QUERY = { tagKey: "workflow", metric: "UnblendedCost" } as const;

describe("parseCostPage (the real GetCostAndUsage shape)", () => {
  const rows = parseCostPage(PAGE, QUERY);

  it("reads one row per group, keeping amounts as the strings sent", () => {
    expect(rows).toHaveLength(7);
    expect(rows[3]).toEqual({
      date: "2027-02-28",
      resourceTag: "support-triage",
      principalTag: null,
      service: "Amazon Bedrock",
      amount: "40.3543773134",
      unit: "USD",
      estimated: false,
    });
  });

  it("reads `workflow$` as untagged (tag null)", () => {
    expect(rows.filter((r) => r.resourceTag === null).map((r) => r.service)).toEqual([
      "Amazon Bedrock",
      "Amazon Elastic Compute Cloud - Compute",
    ]);
  });

  it("keeps case variants, unregistered values and a `$` inside a value verbatim", () => {
    expect(rows.map((r) => r.resourceTag)).toContain("Support-Triage");
    expect(rows.map((r) => r.resourceTag)).toContain("shadow-experiment");
    expect(rows.map((r) => r.resourceTag)).toContain("cost$center");
  });

  it("keeps credits negative and exponent amounts as sent", () => {
    expect(
      rows.find((r) => r.date === "2027-03-01" && r.resourceTag === "support-triage")?.amount,
    ).toBe("-12.5");
    expect(rows.find((r) => r.resourceTag === "shadow-experiment")?.amount).toBe("1.2E-9");
  });

  it("marks every row of an estimated day, and keeps the unit per row", () => {
    expect(rows.filter((r) => r.estimated).map((r) => r.date)).toEqual([
      "2027-03-01",
      "2027-03-01",
      "2027-03-01",
    ]);
    expect(rows.find((r) => r.resourceTag === "cost$center")?.unit).toBe("EUR");
  });

  it("finds keys by GroupDefinitions, whatever their order", () => {
    const swapped = {
      GroupDefinitions: [
        { Type: "DIMENSION" as const, Key: "SERVICE" },
        { Type: "TAG" as const, Key: "workflow" },
      ],
      ResultsByTime: [
        {
          TimePeriod: { Start: "2027-01-01", End: "2027-01-02" },
          Groups: [
            {
              Keys: ["Amazon Bedrock", "workflow$a"],
              Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } },
            },
          ],
        },
      ],
    };
    expect(parseCostPage(swapped, QUERY)[0]).toMatchObject({
      resourceTag: "a",
      service: "Amazon Bedrock",
    });
  });

  it("adds the account when the page was filtered to one", () => {
    expect(parseCostPage(PAGE, QUERY, "111122223333")[0]?.account).toBe("111122223333");
  });

  const day = (group: object, period = { Start: "2027-01-01", End: "2027-01-02" }) => ({
    ResultsByTime: [{ TimePeriod: period, Groups: [group] }],
  });
  const good = {
    Keys: ["workflow$a", "S"],
    Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } },
  };

  it.each([
    [
      "a key without the tag prefix",
      day({ ...good, Keys: ["owner$a", "S"] }),
      'ResultsByTime[0] (2027-01-01) Groups[0]: tag key "owner$a" does not start with "workflow$"',
    ],
    [
      "a missing metric",
      day({ Keys: ["workflow$a", "S"], Metrics: { AmortizedCost: { Amount: "1", Unit: "USD" } } }),
      "ResultsByTime[0] (2027-01-01) Groups[0]: no UnblendedCost Amount and Unit",
    ],
    [
      "a malformed amount",
      day({
        Keys: ["workflow$a", "S"],
        Metrics: { UnblendedCost: { Amount: "1,5", Unit: "USD" } },
      }),
      'ResultsByTime[0] (2027-01-01) Groups[0]: UnblendedCost malformed amount "1,5": expected a decimal number',
    ],
    [
      "one key",
      day({ ...good, Keys: ["workflow$a"] }),
      'ResultsByTime[0] (2027-01-01) Groups[0]: expected 2 keys [tag, service], got ["workflow$a"]',
    ],
    [
      "a monthly period",
      day(good, { Start: "2027-01-01", End: "2027-02-01" }),
      'ResultsByTime[0]: expected a one-day TimePeriod (DAILY), got {"Start":"2027-01-01","End":"2027-02-01"}',
    ],
  ])("rejects %s, naming where", (_, page, message) => {
    expect(() => parseCostPage(page, QUERY)).toThrow(MalformedResponseError);
    expect(() => parseCostPage(page, QUERY)).toThrow(message);
  });
});

describe("the query", () => {
  const registry = parseRegistry(
    `version: 1
settings:
  tagKeys: { workflow: ai-workflow }
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  memo-pilot:
    description: Board memo experiment
    owner: dana@example.com
    stage: learning
    risk: low
    reviewBy: 2027-06-30
`,
    "workflows.yaml",
  );

  it.each([
    ["2027-03-15", "2027-02-01", "2027-03-15"],
    // On the 1st the reported month is the one just ended: its whole, and the month before.
    ["2027-03-01", "2027-01-01", "2027-03-01"],
    ["2027-01-10", "2026-12-01", "2027-01-10"],
  ])("a run on %s queries %s .. %s (end exclusive)", (runDate, start, end) => {
    expect(reconciliationQuery(registry, runDate)).toEqual({
      start,
      end,
      metric: "UnblendedCost",
      tagKey: "ai-workflow",
      principalTagKey: "iamPrincipal/ai-workflow",
      groupByAccount: false,
    });
  });

  it("builds DAILY, one metric, GroupBy [TAG, SERVICE], and a filter per account", () => {
    const query = reconciliationQuery(registry, "2027-03-15", { metric: "AmortizedCost" });
    expect(costAndUsageInput(query)).toEqual({
      TimePeriod: { Start: "2027-02-01", End: "2027-03-15" },
      Granularity: "DAILY",
      Metrics: ["AmortizedCost"],
      GroupBy: [
        { Type: "TAG", Key: "ai-workflow" },
        { Type: "DIMENSION", Key: "SERVICE" },
      ],
    });
    expect(costAndUsageInput(query, "111122223333", "tok")).toMatchObject({
      Filter: { Dimensions: { Key: "LINKED_ACCOUNT", Values: ["111122223333"] } },
      NextPageToken: "tok",
    });
  });

  const base: CostQuery = {
    start: "2027-02-01",
    end: "2027-03-01",
    metric: "UnblendedCost",
    tagKey: "workflow",
    principalTagKey: null,
    groupByAccount: false,
  };
  it.each([
    [{ start: "2027-02-30" }, 'cost query start "2027-02-30" is not a calendar date'],
    [{ end: "2027-02-01" }, "cost query start 2027-02-01 must be before end 2027-02-01"],
    [{ metric: "BlendedCost" }, 'cost query metric "BlendedCost" is not one of UnblendedCost'],
    [{ tagKey: "" }, 'cost query tagKey "" must be a non-empty cost allocation tag key'],
  ])("refuses %o before any request", (change, message) => {
    expect(() => checkQuery({ ...base, ...change } as CostQuery)).toThrow(message);
  });
  it("refuses a bad run date", () => {
    expect(() => reconciliationQuery(registry, "2027-13-01")).toThrow("not a calendar date");
  });
});

describe("retry policy", () => {
  it("waits a random share of an exponentially growing, capped ceiling (full jitter)", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it.each([
    [{ name: "LimitExceededException", $metadata: { httpStatusCode: 400 } }, "throttle"],
    [{ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }, "throttle"],
    [{ name: "Whatever", $metadata: { httpStatusCode: 429 } }, "throttle"],
    [{ name: "InternalFailure", $metadata: { httpStatusCode: 500 } }, "server"],
    [{ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } }, "server"],
    [{ name: "Error", code: "ECONNRESET" }, "network"],
    [{ name: "TimeoutError" }, "network"],
    [{ name: "InvalidNextTokenException", $metadata: { httpStatusCode: 400 } }, "fatal"],
    [{ name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } }, "fatal"],
    ["not an error", "fatal"],
  ])("classifies %o as %s", (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});
