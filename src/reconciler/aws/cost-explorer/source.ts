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
import { DEFAULT_MAX_REQUESTS } from "../../request-budget";
import { DaysSeen } from "./days-seen";
import { abortableSleep, formatMs, Run } from "./deadline";
import { describeProgress, errorCode, errorMessage } from "./errors";
import { hintFor } from "./hints";
import { PlanRun, queryPlan, stepInput } from "./plan";
import { checkQuery } from "./query";
import { accountsOf, MalformedResponseError } from "./response-shape";
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
  /**
   * Billable requests one fetch may make, retries and the account listing included: past it
   * the fetch stops with a `request-budget` error saying what was spent. A number, or a
   * function of the number of accounts queried (1 without `groupByAccount`). Default
   * `DEFAULT_MAX_REQUESTS`; the handler derives it from the registry (`ceRequestBudget`).
   */
  readonly maxRequests?: number | ((accounts: number) => number);
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
      // The budget before the listing is the one-account budget; then it is set for the count.
      run.budget = budgetFor(1);
      const accounts: readonly (string | undefined)[] = query.groupByAccount
        ? (options.accounts ?? (await listAccounts(query, run)))
        : [undefined];
      if (query.groupByAccount) run.budget = budgetFor(accounts.length);
      for (const step of queryPlan(query, accounts)) {
        let token: string | undefined;
        // Every token this query has followed: a repeat (A -> A, or a cycle A -> B -> A) would
        // page forever at $0.01 a request.
        const followed = new Map<string, number>();
        // The conflict query (tag pairs) is MONTHLY over the reported month: no day to miss.
        const days = step.kind === "tag-pairs" ? undefined : new DaysSeen(query);
        do {
          const page = stats.pages + 1;
          const input = stepInput(query, step, token);
          // `rowsOf` parses the whole page before it records anything, so a malformed page that
          // is retried leaves no trace in the plan.
          const { rows, next, periods } = await send(
            new GetCostAndUsageCommand(input),
            run,
            page,
            (r) => ({
              rows: plan.rowsOf(step, r),
              next: r.NextPageToken || undefined,
              periods: (r.ResultsByTime ?? []).map((result) => result.TimePeriod?.Start ?? ""),
            }),
          );
          const first = next === undefined ? undefined : followed.get(next);
          if (first !== undefined) {
            throw run.fail(
              "malformed-response",
              page,
              `Cost Explorer returned a NextPageToken it had already sent (first on page ${first}) at ${describeProgress(page, stats)}: a page-token cycle; stopping rather than looping`,
            );
          }
          if (next !== undefined) followed.set(next, page);
          if (next === undefined) {
            try {
              plan.endStep(step);
            } catch (error) {
              if (!(error instanceof MalformedResponseError)) throw error;
              throw run.fail(
                "malformed-response",
                page,
                `Cost Explorer's answers disagree at ${describeProgress(page, stats)}: ${error.message}`,
                error,
              );
            }
          }
          days?.add(periods);
          stats.pages += 1;
          stats.rows += rows.length;
          fetchOptions.onPage?.(stats.pages, rows.length);
          yield rows;
          token = next;
        } while (token !== undefined);
        const missing = days?.missing() ?? [];
        if (days !== undefined && missing.length > 0) {
          const account = step.kind === "tag-pairs" ? undefined : step.account;
          throw run.fail(
            "malformed-response",
            stats.pages,
            `Cost Explorer sent a malformed response: ${missing.length} of the ${days.total} days in the query (first ${missing[0]}${account === undefined ? "" : `, account ${account}`}) are missing from every page; they would read as no spend`,
          );
        }
      }
    } finally {
      run.dispose();
    }
  }

  function budgetFor(accounts: number): number {
    const budget = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
    return typeof budget === "function" ? budget(accounts) : budget;
  }

  /** Linked accounts with cost in the period (GetDimensionValues, every page). */
  async function listAccounts(query: CostQuery, run: Run): Promise<string[]> {
    const accounts: string[] = [];
    let token: string | undefined;
    const followed = new Set<string>();
    do {
      const { values, next } = await send(
        new GetDimensionValuesCommand({
          TimePeriod: { Start: query.start, End: query.end },
          Dimension: "LINKED_ACCOUNT",
          Context: "COST_AND_USAGE",
          ...(token === undefined ? {} : { NextPageToken: token }),
        }),
        run,
        1,
        (response) => {
          const values = accountsOf(response);
          const next = response.NextPageToken || undefined;
          if (accounts.length === 0 && values.length === 0 && next === undefined) {
            throw new MalformedResponseError(
              "GetDimensionValues listed no linked account for the period (there is always at least the one the reconciler runs in); querying none would report no spend",
            );
          }
          return { values, next };
        },
      );
      accounts.push(...values);
      if (next !== undefined && followed.has(next)) {
        throw run.fail(
          "malformed-response",
          1,
          "Cost Explorer GetDimensionValues returned a NextPageToken already followed: a page-token cycle; stopping rather than looping",
        );
      }
      if (next !== undefined) followed.add(next);
      token = next;
    } while (token !== undefined);
    return accounts.sort();
  }

  /**
   * Sends one command and reads its answer with `read`, retrying transient faults and answers
   * `read` finds malformed (`MalformedResponseError`); every attempt is counted as billable and
   * held to the request budget.
   */
  async function send<R>(
    command: GetCostAndUsageCommand,
    run: Run,
    page: number,
    read: (output: GetCostAndUsageCommandOutput) => R,
  ): Promise<R>;
  async function send<R>(
    command: GetDimensionValuesCommand,
    run: Run,
    page: number,
    read: (output: GetDimensionValuesCommandOutput) => R,
  ): Promise<R>;
  async function send<R>(
    command: GetCostAndUsageCommand | GetDimensionValuesCommand,
    run: Run,
    page: number,
    read: (output: never) => R,
  ): Promise<R> {
    countRequests(command, run.stats);
    for (let attempt = 1; ; attempt++) {
      run.check(page);
      run.checkBudget(page);
      try {
        // The clients' send() is overloaded per command; one cast keeps both commands here.
        const output = await (client.send as (c: unknown, o: unknown) => Promise<unknown>).call(
          client,
          command,
          { abortSignal: run.signal },
        );
        return (read as (output: unknown) => R)(output);
      } catch (error) {
        run.check(page, error);
        const kind = error instanceof MalformedResponseError ? "malformed" : classifyError(error);
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
        if (attempt >= policy.maxAttempts && kind === "malformed") {
          throw run.fail(
            "malformed-response",
            page,
            `Cost Explorer sent a malformed response at ${describeProgress(page, run.stats)} after ${attempt} ${attempt === 1 ? "attempt" : "attempts"}: ${errorMessage(error)}`,
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
