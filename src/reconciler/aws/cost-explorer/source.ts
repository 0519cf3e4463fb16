/**
 * The Cost Explorer `CostSource`: GetCostAndUsage, DAILY, grouped by [TAG workflow, SERVICE],
 * every page to the end, streamed page by page.
 *
 * Billing: each request costs $0.01, so the source makes exactly one request per page the data
 * needs, and counts every HTTP request that reaches the endpoint (`stats.requests`), retries
 * included. Retries are this module's, not the SDK's: the client it builds has `maxAttempts: 1`,
 * and a middleware counts each attempt, so even a caller-supplied client that retries on its own
 * is counted right.
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
import { CostExplorerError, describeProgress } from "./errors";
import type { CostExplorerFailure } from "./errors";
import { MalformedResponseError, parseCostPage } from "./parse";
import { checkQuery, costAndUsageInput } from "./query";
import { backoffDelay, classifyError, DEFAULT_RETRY, neverSent } from "./retry";
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
    fetch(query, fetchOptions = {}): CostFetch {
      checkQuery(query);
      const stats: FetchStats = { requests: 0, retries: 0, pages: 0, rows: 0 };
      let started = false;
      return {
        stats,
        [Symbol.asyncIterator]() {
          if (started) throw new Error("a CostFetch can be iterated once: call fetch() again");
          started = true;
          return pages(query, stats, fetchOptions)[Symbol.asyncIterator]();
        },
      };
    },
  };

  async function* pages(
    query: CostQuery,
    stats: FetchStats,
    fetchOptions: Parameters<CostSource["fetch"]>[1] & object,
  ): AsyncGenerator<readonly CostRow[]> {
    const run = new Run(stats, deadlineMs, now, fetchOptions.signal);
    try {
      const accounts: readonly (string | undefined)[] = query.groupByAccount
        ? (options.accounts ?? (await listAccounts(query, run)))
        : [undefined];
      for (const account of accounts) {
        let token: string | undefined;
        do {
          const page = stats.pages + 1;
          const input = costAndUsageInput(query, account, token);
          const response = await send<GetCostAndUsageCommandOutput>(
            new GetCostAndUsageCommand(input),
            run,
            page,
          );
          let rows: CostRow[];
          try {
            rows = parseCostPage(response, query, account);
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
    (command as unknown as Countable).middlewareStack.add(
      (next) => async (args) => {
        run.stats.requests += 1;
        try {
          return await next(args);
        } catch (error) {
          if (neverSent(error)) run.stats.requests -= 1;
          throw error;
        }
      },
      // Inside the SDK's own retry loop (finalizeRequest) and next to the wire: once per attempt.
      { step: "deserialize", priority: "low", name: "aiSpendGuardCountRequests" },
    );
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

/** One fetch's shared state: the stats, the deadline and the combined abort signal. */
class Run {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly deadlineAt: number;
  private readonly onCallerAbort = () => this.controller.abort(new AbortReason("aborted"));
  readonly signal = this.controller.signal;

  constructor(
    readonly stats: FetchStats,
    private readonly deadline: number,
    private readonly clock: () => number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.deadlineAt = clock() + deadline;
    this.timer = setTimeout(() => this.controller.abort(new AbortReason("deadline")), deadline);
    this.timer.unref?.();
    if (callerSignal?.aborted === true) this.onCallerAbort();
    callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
  }

  remaining(): number {
    return this.deadlineAt - this.clock();
  }

  /** Throws the deadline / abort error when either has happened (`cause`: what it interrupted). */
  check(page: number, cause?: unknown): void {
    const reason: unknown = this.signal.aborted ? this.signal.reason : undefined;
    const why = reason instanceof AbortReason ? reason.why : undefined;
    const passed = why === "deadline" || (why === undefined && this.remaining() <= 0);
    if (passed) {
      throw this.fail(
        "deadline",
        page,
        `Cost Explorer: the ${formatMs(this.deadline)} deadline passed while fetching ${describeProgress(page, this.stats)}; no partial result was used`,
        cause,
      );
    }
    if (why === "aborted") {
      throw this.fail(
        "aborted",
        page,
        `Cost Explorer fetch aborted by the caller while fetching ${describeProgress(page, this.stats)}`,
        cause ?? this.callerSignal?.reason,
      );
    }
  }

  fail(
    failure: CostExplorerFailure,
    page: number,
    message: string,
    cause?: unknown,
  ): CostExplorerError {
    return new CostExplorerError(
      failure,
      page,
      { ...this.stats },
      message,
      cause === undefined ? undefined : { cause },
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
  }
}

/** The slice of a command's middleware stack the request counter needs. */
interface Countable {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
      ) => (args: unknown) => Promise<unknown>,
      options: { step: "deserialize"; priority: "low"; name: string },
    ): void;
  };
}

class AbortReason extends Error {
  constructor(readonly why: "deadline" | "aborted") {
    super(why === "deadline" ? "deadline passed" : "aborted by the caller");
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function errorCode(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown } | null;
  if (typeof e?.name === "string" && e.name !== "Error") return e.name;
  if (typeof e?.code === "string") return e.code;
  return "Error";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What to do about the refusals a first-time user meets. */
function hintFor(code: string): string {
  switch (code) {
    case "AccessDeniedException":
      return " — the caller needs ce:GetCostAndUsage (and ce:GetDimensionValues with --by-account)";
    case "DataUnavailableException":
      return " — Cost Explorer has no data for the period yet (a new account takes about 24 hours after enabling Cost Explorer)";
    case "BillExpirationException":
      return " — the period is older than Cost Explorer keeps (14 months at DAILY granularity)";
    case "ValidationException":
      return " — check the dates and that the workflow tag key is an activated cost allocation tag";
    default:
      return "";
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
