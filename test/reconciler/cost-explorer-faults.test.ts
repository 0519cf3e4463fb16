/**
 * Hostile answers from Cost Explorer, through the real SDK v3 client against the local Cost
 * Explorer: 200s without the documented shape, amounts no bill can have, page-token cycles and
 * runaway paging, a connection reset after the 200's headers. Each must end in a retry or a
 * clear error, never in rows that add up to less than the bill.
 */
import { afterEach, describe, expect, it } from "vitest";

import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import type {
  CostExplorerFault,
  CostExplorerHandlerOptions,
} from "../../src/local-aws/cost-explorer";
import { syntheticDataset } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import {
  CostExplorerError,
  costExplorerSource,
  createCostExplorerClient,
} from "../../src/reconciler/aws";
import type { CostExplorerSourceOptions } from "../../src/reconciler/aws";
import type { CostRow } from "../../src/reconciler";
import { CREDENTIALS, COST_QUERY as QUERY } from "./aws-fixture";

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

async function setUp(
  handler: CostExplorerHandlerOptions = {},
  source: CostExplorerSourceOptions = {},
  accounts?: readonly string[],
) {
  const dataset = syntheticDataset({
    start: "2027-02-01",
    days: 42,
    workflows: ["support-triage", "invoice-matching"],
    services: 3,
    ...(accounts === undefined ? {} : { accounts: [...accounts] }),
  });
  aws = await startLocalAws([costExplorerHandler(dataset, handler)]);
  const local = aws;
  const client = createCostExplorerClient({ endpoint: aws.endpoint, credentials: CREDENTIALS });
  const delays: number[] = [];
  const fetcher = costExplorerSource(client, {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...source,
  });
  const ceRequests = () =>
    local.requests.filter((r) => r.headers["x-amz-target"]?.startsWith("AWSInsightsIndexService."))
      .length;
  return { source: fetcher, ceRequests, delays };
}

async function collect(fetch: AsyncIterable<readonly CostRow[]>): Promise<CostRow[]> {
  const rows: CostRow[] = [];
  for await (const page of fetch) rows.push(...page);
  return rows;
}

/** The fetch's error (it must fail). */
async function failure(fetch: AsyncIterable<readonly CostRow[]>): Promise<CostExplorerError> {
  const error = await collect(fetch).then(
    () => new Error("the fetch succeeded"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CostExplorerError);
  return error as CostExplorerError;
}

const body = (text: string): CostExplorerFault => ({ kind: "body", body: text });

/** A one-day result in Cost Explorer's shape. */
const day = (date: string, groups: unknown[] = []) => ({
  TimePeriod: {
    Start: date,
    End: `${date.slice(0, 8)}${String(Number(date.slice(8)) + 1).padStart(2, "0")}`,
  },
  Total: {},
  Groups: groups,
  Estimated: false,
});
const group = (amount: string) => ({
  Keys: ["workflow$support-triage", "Amazon Bedrock"],
  Metrics: { UnblendedCost: { Amount: amount, Unit: "USD" } },
});

describe("a 200 without the documented shape is a fault, not zero spend", () => {
  it.each([
    ["an empty body", ""],
    ["an empty object", "{}"],
    ["ResultsByTime null", '{"ResultsByTime":null}'],
    ["ResultsByTime not a list", '{"ResultsByTime":{"a":1}}'],
    [
      "a result without Groups",
      JSON.stringify({ ResultsByTime: [{ ...day("2027-02-01"), Groups: undefined }] }),
    ],
    [
      "a result with Groups null",
      JSON.stringify({ ResultsByTime: [{ ...day("2027-02-01"), Groups: null }] }),
    ],
    [
      "a group without Metrics",
      JSON.stringify({ ResultsByTime: [day("2027-02-01", [{ Keys: ["workflow$a", "S"] }])] }),
    ],
  ])("retries %s, then fails naming the shape", async (_kind, text) => {
    const { source, ceRequests } = await setUp(
      { faults: () => body(text) },
      { retry: { maxAttempts: 3 } },
    );
    const fetch = source.fetch(QUERY);
    const error = await failure(fetch);
    expect(error.failure).toBe("malformed-response");
    expect(error.message).toMatch(/^Cost Explorer sent a malformed response .*after 3 attempts/);
    expect(ceRequests()).toBe(3);
    expect(fetch.stats.requests).toBe(3);
    expect(fetch.stats.rows).toBe(0);
  });

  it("recovers when the retry answers with the real page", async () => {
    const { source } = await setUp({ groupsPerPage: 100, faults: { 1: body(""), 3: body("{}") } });
    const fetch = source.fetch(QUERY);
    const rows = await collect(fetch);
    expect(rows.length).toBeGreaterThan(0);
    expect(fetch.stats.retries).toBe(2);
  });

  it("fails when the pages leave days of the period out (a shapely but short answer)", async () => {
    const short = JSON.stringify({
      ResultsByTime: [day("2027-02-01", [group("5")])],
      GroupDefinitions: [
        { Type: "TAG", Key: "workflow" },
        { Type: "DIMENSION", Key: "SERVICE" },
      ],
    });
    const { source } = await setUp({ faults: { 1: body(short) } });
    const error = await failure(source.fetch(QUERY));
    expect(error.failure).toBe("malformed-response");
    expect(error.message).toMatch(/41 of the 42 days .*2027-02-02.*missing/);
  });

  it.each([
    ["no DimensionValues", "{}"],
    ["DimensionValues null", '{"DimensionValues":null}'],
    ["an empty account list", '{"DimensionValues":[],"ReturnSize":0,"TotalSize":0}'],
    ["a value without Value", '{"DimensionValues":[{"Attributes":{}}]}'],
  ])("with LINKED_ACCOUNT, %s is a fault", async (_kind, text) => {
    const { source, ceRequests } = await setUp(
      { faults: () => body(text) },
      { retry: { maxAttempts: 2 } },
      ["111122223333"],
    );
    const error = await failure(source.fetch({ ...QUERY, groupByAccount: true }));
    expect(error.failure).toBe("malformed-response");
    expect(error.message).toMatch(/GetDimensionValues/);
    expect(ceRequests()).toBe(2);
  });
});

describe("amounts no bill can have", () => {
  it.each([
    ["309 digits (Infinity as a number)", "9".repeat(309)],
    ["a quadrillion", "1000000000000000"],
    ["a huge negative", "-1e20"],
    ["Infinity", "Infinity"],
    ["NaN", "NaN"],
    ["a hex number", "0x10"],
    ["a 100-digit fraction", `0.${"1".repeat(100)}`],
  ])("refuses %s, naming where it was", async (_kind, amount) => {
    const page = JSON.stringify({
      ResultsByTime: [day("2027-02-01", [group("1"), group(amount)])],
    });
    const { source } = await setUp({ faults: { 1: body(page) } }, { retry: { maxAttempts: 1 } });
    const error = await failure(source.fetch(QUERY));
    expect(error.failure).toBe("malformed-response");
    expect(error.message).toContain("ResultsByTime[0] (2027-02-01) Groups[1]");
    expect(error.message).toContain(JSON.stringify(amount).slice(0, 20));
  });

  it("accepts the amounts a real bill has: tiny, negative, exponent, a billion", async () => {
    const page = JSON.stringify({
      ResultsByTime: [
        day("2027-02-01", [
          group("0.0000000035"),
          group("-12.5"),
          group("1.2E-9"),
          group("999999999.99"),
        ]),
      ],
    });
    const { source } = await setUp({ faults: { 1: body(page) } });
    const error = await failure(source.fetch(QUERY)); // the days after the first are missing
    expect(error.message).toMatch(/days .* missing/);
    expect(error.stats.rows).toBe(4);
  });
});

describe("paging that does not end", () => {
  const cyclePage = (token: string) =>
    body(JSON.stringify({ ResultsByTime: [day("2027-02-01")], NextPageToken: token }));

  it("stops at a token cycle A -> B -> A, naming it, before a third page", async () => {
    const tokens = ["A", "B", "A", "B"];
    const { source, ceRequests } = await setUp({ faults: (n) => cyclePage(tokens[n - 1] ?? "C") });
    const fetch = source.fetch(QUERY);
    const error = await failure(fetch);
    expect(error.failure).toBe("malformed-response");
    expect(error.message).toMatch(
      /NextPageToken it had already sent \(first on page 1\) at page 3/,
    );
    expect(ceRequests()).toBe(3);
  });

  it("stops at the request budget, saying what it cost", async () => {
    const { source, ceRequests } = await setUp(
      { faults: (n) => cyclePage(`token-${n}`) },
      { maxRequests: 25 },
    );
    const error = await failure(source.fetch(QUERY));
    expect(error.failure).toBe("request-budget");
    expect(error.message).toMatch(/budget of 25 billable requests \(0\.25 USD\)/);
    expect(ceRequests()).toBe(25);
  });

  it("counts retries against the budget", async () => {
    const { source, ceRequests } = await setUp(
      { faults: () => ({ kind: "server-error" }) },
      { maxRequests: 4, retry: { maxAttempts: 6 } },
    );
    const error = await failure(source.fetch(QUERY));
    expect(error.failure).toBe("request-budget");
    expect(ceRequests()).toBe(4);
  });

  it("scales a budget given per account with the accounts listed", async () => {
    const accounts = ["111122223333", "444455556666"];
    const seen: number[] = [];
    const { source } = await setUp(
      { groupsPerPage: 100_000 },
      {
        maxRequests: (n) => {
          seen.push(n);
          return 1 + n;
        },
      },
      accounts,
    );
    const fetch = source.fetch({ ...QUERY, groupByAccount: true });
    const rows = await collect(fetch);
    expect(new Set(rows.map((r) => r.account)).size).toBe(2);
    // 1 for the listing, then budget(2) = 3: one page per account fits exactly; budget(1) would not.
    expect(seen).toEqual([1, 2]);
    expect(fetch.stats.requests).toBe(3);
  });
});

describe("a connection reset after the 200's headers", () => {
  it("is retried, and the page read again in full", async () => {
    const { source, ceRequests } = await setUp({
      groupsPerPage: 100,
      faults: { 2: { kind: "reset-after-headers" } },
    });
    const fetch = source.fetch(QUERY);
    const rows = await collect(fetch);
    expect(fetch.stats.retries).toBe(1);
    expect(ceRequests()).toBe(fetch.stats.pages + 1);
    const clean = await setUpAgain();
    expect(rows.length).toBe(clean);
  });
});

/** Rows of the same bill fetched without faults (a second server). */
async function setUpAgain(): Promise<number> {
  await aws?.close();
  const { source } = await setUp({ groupsPerPage: 100 });
  return (await collect(source.fetch(QUERY))).length;
}
