/** The Athena engine through the real AthenaClient against the local Athena endpoint. */
import {
  AthenaClient,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { athenaHandler, trinoToDuckDb } from "../../src/local-aws/athena";
import type { AthenaHandlerOptions } from "../../src/local-aws/athena";
import { writeCurExport } from "../../src/local-aws/cur-export";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import { AthenaCurEngine } from "../../src/reconciler/aws/athena-engine";
import type { AthenaEngineOptions } from "../../src/reconciler/aws/athena-engine";
import { athenaQueryCost } from "../../src/reconciler/cur/athena-cost";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";
import { CurEngineError } from "../../src/reconciler/cur/engine";
import { curQuery } from "../../src/reconciler/cur/query";
import type { CurRow } from "../../src/reconciler/cur/rows";
import { toString } from "../../src/util/decimal";
import { SAMPLE_LINES, scratchDir } from "./fixtures";

const MAY = curQuery({
  start: "2026-05-01",
  end: "2026-06-01",
  metric: "UnblendedCost",
  tagKey: "workflow",
});
const credentials = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };

let scratch: ReturnType<typeof scratchDir>;
let aws: LocalAws | undefined;
let closeAthena: (() => void) | undefined;

beforeEach(async () => {
  scratch = scratchDir();
  await writeCurExport(scratch.dir, SAMPLE_LINES, { filesPerPeriod: 2 });
});
afterEach(async () => {
  await aws?.close();
  aws = undefined;
  closeAthena?.();
  closeAthena = undefined;
  scratch.remove();
});

async function serve(options: Omit<AthenaHandlerOptions, "tables"> = {}) {
  const athena = await athenaHandler({
    tables: [{ database: "cur", table: "cur2", dir: scratch.dir }],
    ...options,
  });
  closeAthena = athena.close;
  aws = await startLocalAws([athena.handler]);
  // maxAttempts 1: the engine's own retries are the ones under test.
  const client = new AthenaClient({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials,
    maxAttempts: 1,
  });
  return { client, athena, aws };
}

function engine(client: AthenaClient, options: Partial<AthenaEngineOptions> = {}): AthenaCurEngine {
  return new AthenaCurEngine({
    client,
    database: "cur",
    table: "cur2",
    workGroup: "primary",
    outputLocation: "s3://results/athena/",
    firstPollMs: 1,
    maxPollMs: 4,
    ...options,
  });
}

const plain = (rows: readonly CurRow[]) =>
  rows.map((r) => ({
    ...r,
    cost: toString(r.cost),
    usageAmount: toString(r.usageAmount),
    tokens: r.tokens && toString(r.tokens),
  }));

describe("Athena engine against the local Athena", () => {
  it("gives the same rows as DuckDB, every page read, the header skipped", async () => {
    const { client, aws } = await serve();
    const { rows, stats } = await engine(client, { pageSize: 2 }).run(MAY);
    const duck = await DuckDbCurEngine.open(scratch.dir);
    try {
      const local = await duck.run(MAY);
      expect(plain(rows)).toEqual(plain(local.rows));
      // The same query, the same columns and partitions: the same bytes.
      expect(stats.bytesScanned).toBe(local.stats.bytesScanned);
    } finally {
      duck.close();
    }
    // header + rows on pages of 2: ceil((rows + 1) / 2) pages.
    expect(stats.requests.pages).toBe(Math.ceil((rows.length + 1) / 2));
    expect(stats.requests.start).toBe(1);
    const targets = aws.requests.map((r) => r.headers["x-amz-target"]);
    expect(targets.filter((t) => t === "AmazonAthena.GetQueryResults")).toHaveLength(
      stats.requests.pages,
    );
    expect(stats.executionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records bytes scanned and the query's cost (10 MB minimum)", async () => {
    const { client } = await serve();
    const { stats } = await engine(client).run(MAY);
    expect(stats.bytesScanned).toBeGreaterThan(0);
    expect(toString(stats.cost)).toBe(toString(athenaQueryCost(0)));
    expect(toString(athenaQueryCost(0))).toBe("0.0000476837158203125");
  });

  it("polls a slow query to completion: QUEUED, RUNNING, then SUCCEEDED", async () => {
    const { client, aws } = await serve({ queryFaults: { 1: { kind: "slow", polls: 4 } } });
    const { rows, stats } = await engine(client).run(MAY);
    expect(rows.length).toBeGreaterThan(0);
    expect(stats.requests.polls).toBe(4);
    const polls = aws.requests.filter(
      (r) => r.headers["x-amz-target"] === "AmazonAthena.GetQueryExecution",
    );
    expect(polls).toHaveLength(4);
  });

  it("a FAILED query is an error with Athena's reason", async () => {
    const { client } = await serve({
      queryFaults: {
        1: { kind: "fail", reason: "COLUMN_NOT_FOUND: line 3:3: Column 'tags' cannot be resolved" },
      },
    });
    const error = await engine(client)
      .run(MAY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurEngineError);
    expect((error as CurEngineError).reason).toBe("query-failed");
    expect((error as Error).message).toMatch(
      /FAILED: COLUMN_NOT_FOUND: .*Column 'tags' cannot be resolved/,
    );
  });

  it("an SQL error from the engine itself comes back as FAILED with its message", async () => {
    const { client } = await serve();
    const error = await engine(client, { table: "no_such_table" })
      .run(MAY)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/FAILED: .*no_such_table/);
  });

  it("the workgroup's bytes-scanned limit cancels the query: a clear error", async () => {
    const { client } = await serve({ bytesScannedCutoffPerQuery: 10 });
    const error = await engine(client)
      .run(MAY)
      .catch((e: unknown) => e);
    expect((error as CurEngineError).reason).toBe("bytes-scanned-limit");
    expect((error as Error).message).toMatch(
      /CANCELLED by workgroup primary's bytes-scanned limit/,
    );
  });

  it("the limit reported as FAILED (seen on some engines) is the same clear error", async () => {
    const { client } = await serve({
      queryFaults: {
        1: { kind: "fail", reason: "Bytes scanned limit was exceeded: 10485760 bytes" },
      },
    });
    const error = await engine(client)
      .run(MAY)
      .catch((e: unknown) => e);
    expect((error as CurEngineError).reason).toBe("bytes-scanned-limit");
    expect((error as Error).message).toMatch(/FAILED on workgroup primary's bytes-scanned limit/);
  });

  it("a query cancelled by someone else", async () => {
    const { client } = await serve({ queryFaults: { 1: { kind: "cancel" } } });
    await expect(engine(client).run(MAY)).rejects.toMatchObject({ reason: "query-cancelled" });
  });

  it("throttling is retried with backoff and counted", async () => {
    const { client } = await serve({
      requestFaults: {
        1: { kind: "too-many-requests" },
        3: { kind: "throttling" },
        5: { kind: "server-error" },
      },
    });
    const { rows, stats } = await engine(client).run(MAY);
    expect(rows.length).toBeGreaterThan(0);
    expect(stats.requests.retries).toBe(3);
  });

  it("gives up after its attempts, naming the call", async () => {
    const faults = Object.fromEntries([1, 2, 3].map((n) => [n, { kind: "throttling" } as const]));
    const { client } = await serve({ requestFaults: faults });
    await expect(engine(client, { maxAttempts: 3 }).run(MAY)).rejects.toThrow(
      /StartQueryExecution failed after 3 attempts: ThrottlingException/,
    );
  });

  it("at the deadline the query is stopped and the run fails, never partial", async () => {
    const { client, aws } = await serve({ queryFaults: { 1: { kind: "slow", polls: 1_000_000 } } });
    const error = await engine(client, { timeoutMs: 50, firstPollMs: 5, maxPollMs: 5 })
      .run(MAY)
      .catch((e: unknown) => e);
    expect((error as CurEngineError).reason).toBe("deadline");
    expect(
      aws.requests.some((r) => r.headers["x-amz-target"] === "AmazonAthena.StopQueryExecution"),
    ).toBe(true);
  });
});

describe("the local Athena's wire format", () => {
  it("the header row first on the first page only, NULL as a Datum without a value, ColumnInfo types", async () => {
    const { client } = await serve();
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({
        QueryString: "SELECT 'a' AS x, CAST(NULL AS VARCHAR) AS y, COUNT(*) AS n FROM cur.cur2",
        WorkGroup: "primary",
      }),
    );
    const first = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 1 }),
    );
    expect(first.ResultSet?.Rows).toEqual([
      { Data: [{ VarCharValue: "x" }, { VarCharValue: "y" }, { VarCharValue: "n" }] },
    ]);
    expect(first.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => [c.Name, c.Type])).toEqual([
      ["x", "varchar"],
      ["y", "varchar"],
      ["n", "bigint"],
    ]);
    const second = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 1, NextToken: first.NextToken }),
    );
    expect(second.ResultSet?.Rows).toEqual([
      { Data: [{ VarCharValue: "a" }, {}, { VarCharValue: String(SAMPLE_LINES.length) }] },
    ]);
    expect(second.NextToken).toBeUndefined();
    await expect(
      client.send(
        new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 1, NextToken: "forged" }),
      ),
    ).rejects.toThrow(/NextToken is invalid/);
  });

  it("refuses an unknown workgroup", async () => {
    const { client } = await serve();
    await expect(engine(client, { workGroup: "nope" }).run(MAY)).rejects.toThrow(
      /WorkGroup nope is not found/,
    );
  });

  it("translates only element_at", () => {
    expect(trinoToDuckDb("SELECT element_at(tags, 'k'), my_element_at(x) FROM t")).toBe(
      "SELECT map_extract_value(tags, 'k'), my_element_at(x) FROM t",
    );
  });
});
