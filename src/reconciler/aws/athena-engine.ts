/**
 * The CUR query on Athena, through the AWS SDK's AthenaClient: StartQueryExecution, then
 * GetQueryExecution polled with exponential backoff inside the run's deadline, then every page
 * of GetQueryResults. The SQL is the Trino dialect of the one CUR query; the result cells are
 * text (`VarCharValue`), parsed by the same row parser the DuckDB engine uses.
 *
 * Faults: throttling and 5xx answers are retried with backoff (and counted); a FAILED query is an
 * error with Athena's reason; a query CANCELLED by the workgroup's bytes-scanned limit is an error
 * saying so; at the deadline the query is stopped (StopQueryExecution) and the run fails. Never a
 * partial result.
 */
import { randomUUID } from "node:crypto";

import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import type {
  AthenaClient,
  GetQueryResultsCommandOutput,
  QueryExecution,
} from "@aws-sdk/client-athena";

import { athenaQueryCost } from "../cur/athena-cost";
import { TRINO } from "../cur/dialect";
import { CurEngineError } from "../cur/engine";
import type { CurEngine, CurQueryStats, CurResult } from "../cur/engine";
import { buildCurSql, RESULT_COLUMNS } from "../cur/query";
import type { CurQuery } from "../cur/query";
import { parseCurValues } from "../cur/rows";
import type { CurRow } from "../cur/rows";

export interface AthenaEngineOptions {
  readonly client: AthenaClient;
  /** The Glue database and table over the CUR 2.0 export. */
  readonly database: string;
  readonly table: string;
  readonly workGroup: string;
  /** Results location; omit when the workgroup enforces its own. */
  readonly outputLocation?: string;
  /** Whole-run budget in ms (default 10 minutes): polling stops, and the query is stopped, past it. */
  readonly timeoutMs?: number;
  /** First poll delay (default 500 ms), doubled after each poll up to `maxPollMs` (default 5 s). */
  readonly firstPollMs?: number;
  readonly maxPollMs?: number;
  /** Rows per GetQueryResults page (1..1000, default 1000). */
  readonly pageSize?: number;
  /** Attempts per API call on throttling / 5xx (default 6), with backoff from `firstPollMs`. */
  readonly maxAttempts?: number;
}

export interface AthenaRequestCounts {
  start: number;
  polls: number;
  pages: number;
  /** Retries after throttling or a 5xx, all calls together. */
  retries: number;
}

export interface AthenaQueryStats extends CurQueryStats {
  readonly engine: "athena";
  readonly executionId: string;
  readonly requests: Readonly<AthenaRequestCounts>;
}

const FINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const RETRIED = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "InternalServerException",
]);

export class AthenaCurEngine implements CurEngine {
  readonly name = "athena" as const;

  constructor(private readonly options: AthenaEngineOptions) {
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new RangeError(`pageSize must be a whole number from 1 to 1000, got ${pageSize}`);
    }
  }

  async run(
    query: CurQuery,
    runOptions: { readonly signal?: AbortSignal } = {},
  ): Promise<CurResult & { stats: AthenaQueryStats }> {
    const { client, database, table, workGroup } = this.options;
    const deadline = Date.now() + (this.options.timeoutMs ?? 600_000);
    const firstPollMs = this.options.firstPollMs ?? 500;
    const maxPollMs = this.options.maxPollMs ?? 5_000;
    const counts: AthenaRequestCounts = { start: 0, polls: 0, pages: 0, retries: 0 };
    const sql = buildCurSql(query, TRINO, { kind: "table", database, table });
    const signal = runOptions.signal;

    /** One API call, retried on throttling and 5xx inside the deadline. */
    const call = async <T>(what: keyof AthenaRequestCounts, send: () => Promise<T>): Promise<T> => {
      const attempts = this.options.maxAttempts ?? 6;
      for (let attempt = 1; ; attempt++) {
        signal?.throwIfAborted();
        if (what !== "retries") counts[what] += 1;
        try {
          return await send();
        } catch (error) {
          const name = (error as { name?: string }).name ?? "";
          const status =
            (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
          const retryable = RETRIED.has(name) || status >= 500;
          const wait = Math.min(maxPollMs, firstPollMs * 2 ** (attempt - 1));
          if (!retryable || attempt >= attempts || Date.now() + wait > deadline) {
            throw new CurEngineError(
              `Athena ${what === "start" ? "StartQueryExecution" : what === "polls" ? "GetQueryExecution" : "GetQueryResults"} failed${retryable ? ` after ${attempt} attempts` : ""}: ${name} ${(error as Error).message}`,
              "query-failed",
              { cause: error },
            );
          }
          counts.retries += 1;
          await sleep(wait, signal);
        }
      }
    };

    const started = await call("start", () =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          QueryExecutionContext: { Database: database },
          WorkGroup: workGroup,
          // The same token on a retried start: Athena runs the query once.
          ClientRequestToken: randomUUID(),
          ...(this.options.outputLocation === undefined
            ? {}
            : { ResultConfiguration: { OutputLocation: this.options.outputLocation } }),
        }),
        { abortSignal: signal },
      ),
    );
    const executionId = started.QueryExecutionId;
    if (executionId === undefined)
      throw new CurEngineError("Athena started a query without an id", "query-failed");

    let execution: QueryExecution | undefined;
    for (let poll = 0; ; poll++) {
      const answer = await call("polls", () =>
        client.send(new GetQueryExecutionCommand({ QueryExecutionId: executionId }), {
          abortSignal: signal,
        }),
      );
      execution = answer.QueryExecution;
      const state = execution?.Status?.State;
      if (state !== undefined && FINAL.has(state)) break;
      const wait = Math.min(maxPollMs, firstPollMs * 2 ** poll);
      if (Date.now() + wait > deadline) {
        await client
          .send(new StopQueryExecutionCommand({ QueryExecutionId: executionId }))
          .catch(() => undefined);
        throw new CurEngineError(
          `Athena query ${executionId} was still ${state ?? "unknown"} at the run's deadline (${this.options.timeoutMs ?? 600_000} ms): stopped it; no partial report`,
          "deadline",
        );
      }
      await sleep(wait, signal);
    }
    const status = execution!.Status!;
    const reason = [status.StateChangeReason, status.AthenaError?.ErrorMessage]
      .filter((text, i, all): text is string => text !== undefined && all.indexOf(text) === i)
      .join(": ");
    // The workgroup's bytes-scanned limit ends a query as CANCELLED on engine v3, and has been
    // seen as FAILED: the reason's text decides, either way.
    const limit = /bytes scanned|data usage|BytesScannedCutoff/i.test(reason);
    if (status.State === "FAILED" && limit) {
      throw new CurEngineError(
        `Athena query ${executionId} FAILED on workgroup ${workGroup}'s bytes-scanned limit: ${reason}. Raise the limit or narrow the dates`,
        "bytes-scanned-limit",
      );
    }
    if (status.State === "FAILED") {
      throw new CurEngineError(
        `Athena query ${executionId} FAILED: ${reason || "no reason given"}`,
        "query-failed",
      );
    }
    if (status.State === "CANCELLED") {
      throw new CurEngineError(
        limit
          ? `Athena query ${executionId} was CANCELLED by workgroup ${workGroup}'s bytes-scanned limit: ${reason}. Raise the limit or narrow the dates`
          : `Athena query ${executionId} was CANCELLED: ${reason || "no reason given"}`,
        limit ? "bytes-scanned-limit" : "query-cancelled",
      );
    }

    const rows: CurRow[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page: GetQueryResultsCommandOutput = await call("pages", () =>
        client.send(
          new GetQueryResultsCommand({
            QueryExecutionId: executionId,
            MaxResults: this.options.pageSize ?? 1000,
            NextToken: token,
          }),
          { abortSignal: signal },
        ),
      );
      const data = page.ResultSet?.Rows ?? [];
      let from = 0;
      if (first) {
        checkHeader(page, executionId);
        from = 1;
        first = false;
      }
      for (let i = from; i < data.length; i++) {
        const values = (data[i]!.Data ?? []).map((datum) => datum.VarCharValue ?? null);
        rows.push(parseCurValues(values, rows.length + 1));
      }
      token = page.NextToken;
    } while (token !== undefined);

    const bytesScanned = execution!.Statistics?.DataScannedInBytes ?? 0;
    return {
      rows,
      stats: {
        engine: "athena",
        bytesScanned,
        cost: athenaQueryCost(bytesScanned),
        files: 0,
        sql,
        executionId,
        requests: counts,
      },
    };
  }
}

/** The first page's first row is the header: it must name RESULT_COLUMNS, in order. */
function checkHeader(page: GetQueryResultsCommandOutput, executionId: string): void {
  const header = (page.ResultSet?.Rows?.[0]?.Data ?? []).map((d) => d.VarCharValue);
  const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name);
  const expected = [...RESULT_COLUMNS];
  if (
    JSON.stringify(header) !== JSON.stringify(expected) ||
    (info !== undefined && JSON.stringify(info) !== JSON.stringify(expected))
  ) {
    throw new CurEngineError(
      `Athena query ${executionId} returned columns ${JSON.stringify(header)}, expected ${JSON.stringify(expected)}`,
      "query-failed",
    );
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
