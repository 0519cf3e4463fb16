/**
 * The Cost Explorer source end to end: the real SDK v3 client against the local Cost Explorer
 * on 127.0.0.1, speaking JSON 1.1. Backoff waits are injected (recorded, not slept).
 */
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { afterEach, describe, expect, it } from "vitest";

import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import type { CostExplorerHandlerOptions } from "../../src/local-aws/cost-explorer";
import {
  datasetFromRows,
  datasetRows,
  syntheticDataset,
  UNREGISTERED_VALUE,
} from "../../src/local-aws/datasets";
import type { CostDataset } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import type { ServiceHandler } from "../../src/local-aws/types";
import {
  CostExplorerError,
  costExplorerSource,
  createCostExplorerClient,
} from "../../src/reconciler/aws";
import type { CostExplorerSourceOptions } from "../../src/reconciler/aws";
import type { CostRow } from "../../src/reconciler";
import { add, parseAmount, toString, ZERO } from "../../src/util/decimal";
import { CREDENTIALS, COST_QUERY as QUERY } from "./aws-fixture";

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

function bill(overrides: Partial<Parameters<typeof syntheticDataset>[0]> = {}): CostDataset {
  return syntheticDataset({
    start: "2027-02-01",
    days: 42,
    workflows: ["support-triage", "invoice-matching", "memo-pilot"],
    services: 4,
    ...overrides,
  });
}

interface Setup {
  readonly dataset?: CostDataset;
  readonly handler?: CostExplorerHandlerOptions;
  readonly source?: CostExplorerSourceOptions;
  /** Handlers asked before Cost Explorer (to inject other answers). */
  readonly before?: readonly ServiceHandler[];
  readonly sdkMaxAttempts?: number;
}

async function setUp(setup: Setup = {}) {
  const dataset = setup.dataset ?? bill();
  aws = await startLocalAws([...(setup.before ?? []), costExplorerHandler(dataset, setup.handler)]);
  const delays: number[] = [];
  const client =
    setup.sdkMaxAttempts === undefined
      ? createCostExplorerClient({ endpoint: aws.endpoint, credentials: CREDENTIALS })
      : new CostExplorerClient({
          endpoint: aws.endpoint,
          credentials: CREDENTIALS,
          region: "us-east-1",
          maxAttempts: setup.sdkMaxAttempts,
        });
  const source = costExplorerSource(client, {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...setup.source,
  });
  const local = aws;
  const ceRequests = () =>
    local.requests.filter((r) => r.headers["x-amz-target"]?.startsWith("AWSInsightsIndexService."));
  return { dataset, source, delays, ceRequests };
}

async function collect(fetch: AsyncIterable<readonly CostRow[]>): Promise<CostRow[][]> {
  const pages: CostRow[][] = [];
  for await (const page of fetch) pages.push([...page]);
  return pages;
}

/** Exact total of amounts, as text. */
function total(amounts: Iterable<string>): string {
  let sum = ZERO;
  for (const amount of amounts) sum = add(sum, parseAmount(amount));
  return toString(sum);
}

/** Groups (tag x service per day) the dataset has in the query window: what the pages carry. */
function groupCount(dataset: CostDataset, start: string, end: string): number {
  const keys = new Set<string>();
  for (const row of datasetRows(dataset, start, end)) {
    keys.add(`${row.date}|${row.tag ?? ""}|${row.service}`);
  }
  return keys.size;
}

describe("fetching every page", () => {
  it("streams page by page, and the rows add up to the bill exactly", async () => {
    const { dataset, source, ceRequests } = await setUp({ handler: { groupsPerPage: 100 } });
    const seen: [number, number][] = [];
    const fetch = source.fetch(QUERY, { onPage: (page, rows) => seen.push([page, rows]) });
    const pages = await collect(fetch);
    const rows = pages.flat();

    expect(pages.length).toBeGreaterThan(5);
    expect(seen.map(([page]) => page)).toEqual(pages.map((_, i) => i + 1));
    expect(total(rows.map((r) => r.amount))).toBe(
      total([...datasetRows(dataset, QUERY.start, QUERY.end)].map((r) => r.amount)),
    );
    expect(fetch.stats).toEqual({
      requests: pages.length,
      retries: 0,
      pages: pages.length,
      rows: rows.length,
    });
    expect(ceRequests()).toHaveLength(fetch.stats.requests);
  });

  it("sends DAILY, the metric, GroupBy [TAG workflow, SERVICE], signed for ce", async () => {
    const { source, ceRequests } = await setUp();
    await collect(source.fetch({ ...QUERY, metric: "NetAmortizedCost" }));
    const [request] = ceRequests();
    expect(request?.headers["x-amz-target"]).toBe("AWSInsightsIndexService.GetCostAndUsage");
    expect(request?.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(request?.headers["authorization"]).toMatch(/\/us-east-1\/ce\/aws4_request/);
    expect(JSON.parse(request!.body.toString())).toEqual({
      TimePeriod: { Start: "2027-02-01", End: "2027-03-15" },
      Granularity: "DAILY",
      Metrics: ["NetAmortizedCost"],
      GroupBy: [
        { Type: "TAG", Key: "workflow" },
        { Type: "DIMENSION", Key: "SERVICE" },
      ],
    });
  });

  it.each([3, 7, 100, 499, 500, 10_000])(
    "makes exactly as many requests as the data needs pages (%i groups a page)",
    async (groupsPerPage) => {
      const { dataset, source, ceRequests } = await setUp({ handler: { groupsPerPage } });
      const fetch = source.fetch(QUERY);
      await collect(fetch);
      const needed = Math.ceil(groupCount(dataset, QUERY.start, QUERY.end) / groupsPerPage);
      expect(fetch.stats.requests).toBe(needed);
      expect(fetch.stats.pages).toBe(needed);
      expect(ceRequests()).toHaveLength(needed);
      // Each request but the last carried the previous page's token: none was repeated.
      const tokens = ceRequests().map((r) => JSON.parse(r.body.toString()).NextPageToken);
      expect(tokens[0]).toBeUndefined();
      expect(new Set(tokens).size).toBe(tokens.length);
    },
  );

  it("reads the awkward rows of a real bill", async () => {
    const { source } = await setUp();
    const rows = (await collect(source.fetch(QUERY))).flat();
    // Untagged spend: `workflow$` -> tag null.
    expect(rows.filter((r) => r.resourceTag === null && r.date === "2027-02-10")).toHaveLength(2);
    // An unregistered value and a case variant arrive verbatim (routing is the core's job).
    expect(rows.some((r) => r.resourceTag === UNREGISTERED_VALUE)).toBe(true);
    expect(rows.some((r) => r.resourceTag === "Support-Triage")).toBe(true);
    // The credit on the 1st makes that group negative, and it is kept.
    const credit = rows.find(
      (r) =>
        r.date === "2027-03-01" &&
        r.resourceTag === "support-triage" &&
        r.service === "Amazon Bedrock",
    );
    expect(credit?.amount.startsWith("-")).toBe(true);
    // The current month is estimated, the previous one final.
    expect(rows.filter((r) => r.estimated).every((r) => r.date >= "2027-03-01")).toBe(true);
    expect(rows.filter((r) => !r.estimated).every((r) => r.date < "2027-03-01")).toBe(true);
    expect(new Set(rows.map((r) => r.unit))).toEqual(new Set(["USD"]));
  });

  it("passes a foreign currency through per row (the core reports it)", async () => {
    const { source } = await setUp({ dataset: bill({ unit: "EUR" }) });
    const rows = (await collect(source.fetch(QUERY))).flat();
    expect(new Set(rows.map((r) => r.unit))).toEqual(new Set(["EUR"]));
  });

  it("sums 1,000 amounts of 0.1000000001 to exactly 100.0000001", async () => {
    const rowsOfDataset = Array.from({ length: 1000 }, (_, i) => ({
      date: "2027-02-01",
      tag: `wf-${i}`,
      service: "Amazon Bedrock",
      account: "111122223333",
      amount: "0.1000000001",
    }));
    const { source } = await setUp({
      dataset: datasetFromRows({ name: "tenths", tagKey: "workflow", rows: rowsOfDataset }),
      handler: { groupsPerPage: 300 },
    });
    const fetch = source.fetch({ ...QUERY, end: "2027-02-02" });
    const rows = (await collect(fetch)).flat();
    expect(rows).toHaveLength(1000);
    expect(total(rows.map((r) => r.amount))).toBe("100.0000001");
    expect(fetch.stats.requests).toBe(4);
  });

  it("reads untagged when the bill's tags are under another key", async () => {
    const { source } = await setUp();
    const rows = (await collect(source.fetch({ ...QUERY, tagKey: "team" }))).flat();
    expect(rows.every((r) => r.resourceTag === null)).toBe(true);
  });
});

describe("LINKED_ACCOUNT", () => {
  it("lists accounts once, then one filtered query per account, rows carrying the account", async () => {
    const accounts = ["111122223333", "444455556666"];
    const { dataset, source, ceRequests } = await setUp({
      dataset: bill({ accounts, workflows: 4 }),
      handler: { groupsPerPage: 200 },
    });
    const fetch = source.fetch({ ...QUERY, groupByAccount: true });
    const rows = (await collect(fetch)).flat();

    const targets = ceRequests().map((r) => r.headers["x-amz-target"]);
    expect(targets[0]).toBe("AWSInsightsIndexService.GetDimensionValues");
    expect(targets.slice(1).every((t) => t === "AWSInsightsIndexService.GetCostAndUsage")).toBe(
      true,
    );
    expect(new Set(rows.map((r) => r.account))).toEqual(new Set(accounts));
    expect(total(rows.map((r) => r.amount))).toBe(
      total([...datasetRows(dataset, QUERY.start, QUERY.end)].map((r) => r.amount)),
    );
    // Cost: 1 listing request + the pages each account's data needs.
    const perAccount = accounts.map((account) => {
      const keys = new Set<string>();
      for (const row of datasetRows(dataset, QUERY.start, QUERY.end)) {
        if (row.account === account) keys.add(`${row.date}|${row.tag ?? ""}|${row.service}`);
      }
      return Math.ceil(keys.size / 200);
    });
    expect(fetch.stats.requests).toBe(1 + perAccount[0]! + perAccount[1]!);
    expect(ceRequests()).toHaveLength(fetch.stats.requests);
  });

  it("skips the listing when the accounts are given", async () => {
    const { source, ceRequests } = await setUp({
      dataset: bill({ accounts: ["111122223333"] }),
      source: { accounts: ["111122223333"] },
    });
    const fetch = source.fetch({ ...QUERY, groupByAccount: true });
    await collect(fetch);
    expect(ceRequests().map((r) => r.headers["x-amz-target"])).toEqual([
      "AWSInsightsIndexService.GetCostAndUsage",
    ]);
  });
});

describe("faults", () => {
  it.each([
    ["LimitExceededException", { kind: "limit-exceeded" }],
    ["a namespaced ThrottlingException", { kind: "throttling" }],
    ["a 500", { kind: "server-error" }],
    ["a 503", { kind: "server-error", status: 503 }],
  ] as const)("retries %s with backoff, and counts the failed request", async (_, fault) => {
    const { source, delays, ceRequests } = await setUp({
      handler: { groupsPerPage: 100, faults: { 2: fault, 3: fault } },
      source: { retry: { baseDelayMs: 1_000, maxDelayMs: 20_000 } },
    });
    const fetch = source.fetch(QUERY);
    const pages = await collect(fetch);
    expect(fetch.stats.retries).toBe(2);
    expect(fetch.stats.requests).toBe(pages.length + 2);
    expect(ceRequests()).toHaveLength(fetch.stats.requests);
    // Full jitter at random() = 0.5: half of 1 s, then half of 2 s.
    expect(delays).toEqual([500, 1_000]);
  });

  it("gives up after the attempts allowed, naming the page", async () => {
    const fault = { kind: "server-error" } as const;
    const { source, ceRequests } = await setUp({
      handler: { groupsPerPage: 100, faults: { 2: fault, 3: fault, 4: fault } },
      source: { retry: { maxAttempts: 3 } },
    });
    const fetch = source.fetch(QUERY);
    const error = await collect(fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostExplorerError);
    expect(error).toMatchObject({ failure: "retries-exhausted", page: 2 });
    expect((error as Error).message).toMatch(
      /^Cost Explorer still failing after 3 attempts at page 2 \(1 page, \d+ rows received; 4 billable requests\): InternalFailure/,
    );
    expect(ceRequests()).toHaveLength(4);
    expect(fetch.stats.requests).toBe(4);
  });

  it("fails on an invalid next token without retrying, naming the page", async () => {
    const { source, ceRequests } = await setUp({
      handler: { groupsPerPage: 100, faults: { 3: { kind: "invalid-next-token" } } },
    });
    const fetch = source.fetch(QUERY);
    const error = await collect(fetch).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "invalid-next-token", page: 3 });
    expect((error as Error).message).toContain(
      "Cost Explorer refused the next-page token at page 3 (2 pages,",
    );
    expect((error as Error).message).toContain("run again from the start");
    expect((error as CostExplorerError).stats.pages).toBe(2);
    expect(ceRequests()).toHaveLength(3);
  });

  it("fails at the deadline when an answer is too slow, naming the page", async () => {
    const { source, ceRequests } = await setUp({
      handler: { groupsPerPage: 100, faults: { 2: { kind: "slow", delayMs: 60_000 } } },
      source: { deadlineMs: 400 },
    });
    const fetch = source.fetch(QUERY);
    const error = await collect(fetch).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "deadline", page: 2 });
    expect((error as Error).message).toMatch(
      /^Cost Explorer: the 400 ms deadline passed while fetching page 2 \(1 page, \d+ rows received; 2 billable requests\); no partial result was used$/,
    );
    // The slow request reached the endpoint: it is billed and counted.
    expect(ceRequests()).toHaveLength(2);
    expect(fetch.stats.requests).toBe(2);
  });

  it("does not back off past the deadline", async () => {
    const { source, delays } = await setUp({
      handler: { faults: { 1: { kind: "limit-exceeded" } } },
      source: { deadlineMs: 5_000, retry: { baseDelayMs: 60_000 }, random: () => 0.9 },
    });
    const error = await collect(source.fetch(QUERY)).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "deadline", page: 1 });
    expect((error as Error).message).toContain(
      "deadline would pass while backing off after LimitExceededException at page 1",
    );
    expect(delays).toEqual([]);
  });

  it("stops when the caller aborts", async () => {
    const { source, ceRequests } = await setUp({ handler: { groupsPerPage: 100 } });
    const controller = new AbortController();
    const fetch = source.fetch(QUERY, {
      signal: controller.signal,
      onPage: (page) => {
        if (page === 2) controller.abort();
      },
    });
    const error = await collect(fetch).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "aborted", page: 3 });
    expect(ceRequests()).toHaveLength(2);
  });

  it("does not retry a refusal, and says what to do", async () => {
    const denied: ServiceHandler = (request) =>
      request.headers["x-amz-target"] === undefined
        ? undefined
        : {
            status: 400,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: JSON.stringify({
              __type: "AccessDeniedException",
              message: "User: arn:aws:iam::111122223333:user/x is not authorized",
            }),
          };
    const { source, ceRequests } = await setUp({ before: [denied] });
    const error = await collect(source.fetch(QUERY)).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "rejected", page: 1 });
    expect((error as Error).message).toContain(
      "Cost Explorer refused GetCostAndUsage at page 1 (0 pages, 0 rows received; 1 billable request): AccessDeniedException: User: arn:aws:iam::111122223333:user/x is not authorized — the caller needs ce:GetCostAndUsage",
    );
    expect(ceRequests()).toHaveLength(1);
  });

  it("counts every attempt even when the SDK client retries on its own", async () => {
    const { source, ceRequests } = await setUp({
      handler: { faults: { 1: { kind: "throttling" } } },
      sdkMaxAttempts: 3,
    });
    const fetch = source.fetch(QUERY);
    await collect(fetch);
    expect(ceRequests()).toHaveLength(2);
    expect(fetch.stats.requests).toBe(2);
  });

  it("refuses a bad query before any request, and a second iteration", async () => {
    const { source, ceRequests } = await setUp();
    expect(() => source.fetch({ ...QUERY, end: QUERY.start })).toThrow(
      "cost query start 2027-02-01 must be before end 2027-02-01",
    );
    expect(ceRequests()).toHaveLength(0);
    const fetch = source.fetch(QUERY);
    await collect(fetch);
    await expect(collect(fetch)).rejects.toThrow("a CostFetch can be iterated once");
  });
});
