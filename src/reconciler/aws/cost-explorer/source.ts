/**
 * The Cost Explorer `CostSource`: the queries of the plan (`plan.ts`: GetCostAndUsage, DAILY,
 * grouped by [TAG workflow, SERVICE], and with the principal route on, by [TAG
 * iamPrincipal/workflow, SERVICE] and by the pair of tags), every page to the end, streamed page
 * by page.
 *
 * Billing: each request costs $0.01, so the source makes exactly one request per page the data
 * needs, and counts every HTTP request that reaches the endpoint (`stats.requests`, see
 * `request-count.ts`), retries included. Retries are this module's, not the SDK's: the client
 * it builds has `maxAttempts: 1`. The deadline and the caller's signal are `deadline.ts`.
 *
 * Faults: throttling (`LimitExceededException`, `ThrottlingException`, HTTP 429), 5xx and
 * network faults are retried with exponential backoff and full jitter inside one total deadline.
 * Anything else, an invalid next-page token, the deadline or the caller's AbortSignal ends the
 * fetch with a `CostExplorerError` naming the page reached: never a partial, silent result.
 *
 * @example
 * const source = costExplorerSource(createCostExplorerClient());
 * const fetch = source.fetch(reconciliationQuery(registry, "2027-03-15"));
 * for await (const rows of fetch) aggregator.add(rows);
 * fetch.stats.requests; // billable requests made
 */
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetDimensionValuesCommand,
} from "@aws-sdk/client-cost-explorer";
import type {
  CostExplorerClientConfig,
  GetCostAndUsageCommandOutput,
  GetDimensionValuesCommandOutput,
} from "@aws-sdk/client-cost-explorer";

import type { CostFetch, CostQuery, CostRow, CostSource, FetchStats } from "../../ports";
import { abortableSleep, formatMs, Run } from "./deadline";
import { describeProgress, errorCode, errorMessage } from "./errors";
import { hintFor } from "./hints";
import { MalformedResponseError } from "./parse";
import { PlanRun, queryPlan, stepInput } from "./plan";
import { checkQuery } from "./query";
import { countRequests } from "./request-count";
import { backoffDelay, classifyError, DEFAULT_RETRY } from "./retry";
import type { RetryPolicy } from "./retry";

/** Cost Explorer's one endpoint is in us-east-1, whatever region the caller runs in. */
export const COST_EXPLORER_REGION = "us-east-1";

export interface CostExplorerSourceOptions {
  /** Total time for the whole fetch, all pages and retries, ms (default 120,000). */
  readonly deadlineMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Waits between retries (injected by tests so they run instantly). Must honour `signal`. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** [0, 1) source of jitter (default Math.random). */
  readonly random?: () => number;
  /** Clock for deadline arithmetic, ms (default Date.now). */
  readonly now?: () => number;
  /**
   * With `groupByAccount`, the linked accounts to query. Default: listed with
   * GetDimensionValues(LINKED_ACCOUNT) for the period (one more request per 1,000 accounts).
   */
  readonly accounts?: readonly string[];
}

/**
 * A Cost Explorer client fit for this source: us-east-1, and no SDK retries (the source retries,
 * inside its deadline). `config` adds credentials, an endpoint (tests), a request handler...
 */
export function createCostExplorerClient(
  config: CostExplorerClientConfig = {},
): CostExplorerClient {
  return new CostExplorerClient({ region: COST_EXPLORER_REGION, ...config, maxAttempts: 1 });
}

/** The Cost Explorer cost source over `client` (see `createCostExplorerClient`). */
export function costExplorerSource(
  client: CostExplorerClient,
  options: CostExplorerSourceOptions = {},
): CostSource {
  const deadlineMs = options.deadlineMs ?? 120_000;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
    throw new RangeError(`deadlineMs must be a positive number of milliseconds, got ${deadlineMs}`);
  }
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(
      `retry.maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`,
    );
  }
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  return {
    name: "cost-explorer",
    kind: "cost-explorer",
    fetch(query, fetchOptions = {}): CostFetch {
      checkQuery(query);
      const stats: FetchStats = { requests: 0, retries: 0, pages: 0, rows: 0 };
      const plan = new PlanRun(query);
      let started = false;
      return {
        stats,
        tagPairs: plan.tagPairs,
        [Symbol.asyncIterator]() {
          if (started) throw new Error("a CostFetch can be iterated once: call fetch() again");
          started = true;
          return pages(query, plan, stats, fetchOptions)[Symbol.asyncIterator]();
        },
      };
    },
  };

  async function* pages(
    query: CostQuery,
    plan: PlanRun,
    stats: FetchStats,
    fetchOptions: Parameters<CostSource["fetch"]>[1] & object,
  ): AsyncGenerator<readonly CostRow[]> {
    const run = new Run(stats, deadlineMs, now, fetchOptions.signal);
    try {
      const accounts: readonly (string | undefined)[] = query.groupByAccount
        ? (options.accounts ?? (await listAccounts(query, run)))
        : [undefined];
      for (const step of queryPlan(query, accounts)) {
        let token: string | undefined;
        do {
          const page = stats.pages + 1;
          const input = stepInput(query, step, token);
          const response = await send<GetCostAndUsageCommandOutput>(
            new GetCostAndUsageCommand(input),
            run,
            page,
          );
          let rows: readonly CostRow[];
          try {
            rows = plan.rowsOf(step, response);
            if (!response.NextPageToken) plan.endStep(step);
          } catch (error) {
            if (!(error instanceof MalformedResponseError)) throw error;
            throw run.fail(
              "malformed-response",
              page,
              `Cost Explorer sent a malformed response at ${describeProgress(page, stats)}: ${error.message}`,
              error,
            );
          }
          const next = response.NextPageToken || undefined;
          if (next !== undefined && next === token) {
            throw run.fail(
              "malformed-response",
              page,
              `Cost Explorer returned the same NextPageToken twice at ${describeProgress(page, stats)}: stopping rather than looping`,
            );
          }
          stats.pages += 1;
          stats.rows += rows.length;
          fetchOptions.onPage?.(stats.pages, rows.length);
          yield rows;
          token = next;
        } while (token !== undefined);
      }
    } finally {
      run.dispose();
    }
  }

  /** Linked accounts with cost in the period (GetDimensionValues, every page). */
  async function listAccounts(query: CostQuery, run: Run): Promise<string[]> {
    const accounts: string[] = [];
    let token: string | undefined;
    do {
      const response = await send<GetDimensionValuesCommandOutput>(
        new GetDimensionValuesCommand({
          TimePeriod: { Start: query.start, End: query.end },
          Dimension: "LINKED_ACCOUNT",
          Context: "COST_AND_USAGE",
          ...(token === undefined ? {} : { NextPageToken: token }),
        }),
        run,
        1,
      );
      for (const value of response.DimensionValues ?? []) {
        if (value.Value !== undefined) accounts.push(value.Value);
      }
      token = response.NextPageToken || undefined;
    } while (token !== undefined);
    return accounts.sort();
  }

  /** Sends one command, retrying transient faults; every attempt is counted as billable. */
  async function send<T>(
    command: GetCostAndUsageCommand | GetDimensionValuesCommand,
    run: Run,
    page: number,
  ): Promise<T> {
    countRequests(command, run.stats);
    for (let attempt = 1; ; attempt++) {
      run.check(page);
      try {
        // The clients' send() is overloaded per command; one cast keeps both commands here.
        return (await (client.send as (c: unknown, o: unknown) => Promise<unknown>).call(
          client,
          command,
          { abortSignal: run.signal },
        )) as T;
      } catch (error) {
        run.check(page, error);
        const kind = classifyError(error);
        const code = errorCode(error);
        if (code === "InvalidNextTokenException") {
          throw run.fail(
            "invalid-next-token",
            page,
            `Cost Explorer refused the next-page token at ${describeProgress(page, run.stats)}: the pages received cannot be completed; run again from the start`,
            error,
          );
        }
        if (code === "RequestChangedException") {
          throw run.fail(
            "request-changed",
            page,
            `Cost Explorer says the request changed between pages at ${describeProgress(page, run.stats)}; run again from the start`,
            error,
          );
        }
        if (kind === "fatal") {
          throw run.fail(
            "rejected",
            page,
            `Cost Explorer refused ${command.constructor.name.replace(/Command$/, "")} at ${describeProgress(page, run.stats)}: ${code}: ${errorMessage(error)}${hintFor(code)}`,
            error,
          );
        }
        if (attempt >= policy.maxAttempts) {
          throw run.fail(
            "retries-exhausted",
            page,
            `Cost Explorer still failing after ${attempt} attempts at ${describeProgress(page, run.stats)}: ${code}: ${errorMessage(error)}`,
            error,
          );
        }
        const delay = backoffDelay(attempt, policy, random);
        if (run.remaining() <= delay) {
          throw run.fail(
            "deadline",
            page,
            `Cost Explorer: the ${formatMs(deadlineMs)} deadline would pass while backing off after ${code} at ${describeProgress(page, run.stats)}; no partial result was used`,
            error,
          );
        }
        run.stats.retries += 1;
        try {
          await sleep(delay, run.signal);
        } catch (sleepError) {
          run.check(page, sleepError);
          throw sleepError;
        }
      }
    }
  }
}
