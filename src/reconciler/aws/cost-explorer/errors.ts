/**
 * Why a Cost Explorer fetch failed, as a typed value. A fetch that fails never yields a partial
 * result silently: the error names the page it reached and what had been received, and the
 * caller (which may have consumed earlier pages) must discard them.
 */
import type { FetchStats } from "../../ports";

export type CostExplorerFailure =
  /** The total deadline passed (a slow answer, or retries that would outlast it). */
  | "deadline"
  /** The caller's AbortSignal fired. */
  | "aborted"
  /** Cost Explorer refused the next-page token (expired or corrupted): start the run again. */
  | "invalid-next-token"
  /** The request changed between pages (RequestChangedException). */
  | "request-changed"
  /** Throttling or faults persisted through every attempt. */
  | "retries-exhausted"
  /** Cost Explorer refused the request for good (access denied, validation, no data...). */
  | "rejected"
  /** The response did not have the documented shape (after every attempt allowed). */
  | "malformed-response"
  /** The fetch reached its budget of billable requests (runaway paging, or a budget too small). */
  | "request-budget";

export class CostExplorerError extends Error {
  override readonly name = "CostExplorerError";
  constructor(
    readonly failure: CostExplorerFailure,
    /** The 1-based page being fetched when it failed. */
    readonly page: number,
    /** What had been done by then (a copy). */
    readonly stats: Readonly<FetchStats>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** "page 3 (2 pages, 10,400 rows received; 5 billable requests)" */
export function describeProgress(page: number, stats: Readonly<FetchStats>): string {
  const n = (value: number) => value.toLocaleString("en-US");
  return (
    `page ${n(page)} (${n(stats.pages)} ${stats.pages === 1 ? "page" : "pages"}, ` +
    `${n(stats.rows)} rows received; ${n(stats.requests)} billable ` +
    `${stats.requests === 1 ? "request" : "requests"})`
  );
}

/** The error's code as the SDK names it (`ThrottlingException`, `ECONNRESET`...). */
export function errorCode(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown } | null;
  if (typeof e?.name === "string" && e.name !== "Error") return e.name;
  if (typeof e?.code === "string") return e.code;
  return "Error";
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
