/**
 * One fetch's deadline and cancellation: a total time for every page and retry, combined with
 * the caller's AbortSignal into the one signal the requests and the backoff waits honour. When
 * either fires, the fetch ends with a `CostExplorerError` naming the page reached.
 */
import type { FetchStats } from "../../ports";
import { ceRequestCost } from "../../request-budget";
import { formatMoney } from "../../../util/money";
import { LAMBDA_ENVIRONMENT } from "../deployment-contract";
import { CostExplorerError, describeProgress } from "./errors";
import type { CostExplorerFailure } from "./errors";

/** One fetch's shared state: the stats, the deadline and the combined abort signal. */
export class Run {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly deadlineAt: number;
  private readonly onCallerAbort = () => this.controller.abort(new AbortReason("aborted"));
  readonly signal = this.controller.signal;
  /** Billable requests this fetch may make (see `CostExplorerSourceOptions.maxRequests`). */
  budget = Number.POSITIVE_INFINITY;

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

  /** Throws the `request-budget` error when the next request would pass the budget. */
  checkBudget(page: number): void {
    if (this.stats.requests < this.budget) return;
    throw this.fail(
      "request-budget",
      page,
      `Cost Explorer: stopped at the budget of ${this.budget.toLocaleString("en-US")} billable requests (${formatMoney(ceRequestCost(this.budget), "USD")}) while fetching ${describeProgress(page, this.stats)}; no partial result was used. Either the bill needs a larger budget (the source's maxRequests; the Lambda's ${LAMBDA_ENVIRONMENT.maxRequests.name}) or Cost Explorer is paging without end`,
    );
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

class AbortReason extends Error {
  constructor(readonly why: "deadline" | "aborted") {
    super(why === "deadline" ? "deadline passed" : "aborted by the caller");
  }
}

/** A wait that ends early, rejecting with the signal's reason, when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
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

/** "120 s", or "1500 ms" when not whole seconds. */
export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
