/**
 * When to retry a Cost Explorer call, and how long to wait: exponential backoff with full
 * jitter (a random wait between 0 and min(cap, base x 2^attempt)), so that many runs throttled
 * together do not come back together.
 */

export interface RetryPolicy {
  /** Attempts per request, the first included (default 6). */
  readonly maxAttempts: number;
  /** Backoff base, ms (default 1,000: Cost Explorer's rate limit is per second). */
  readonly baseDelayMs: number;
  /** Longest single wait, ms (default 20,000). */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
};

/** The wait before retry number `retry` (1 = the first retry); `random` returns [0, 1). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Error codes that mean "slow down and try again". */
const THROTTLES = new Set([
  "LimitExceededException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
]);

/** Transient faults on the way (the request may not have been served). */
const TRANSIENT_NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
]);

/** `malformed`: a 200 whose body could not be read, or did not have the documented shape. */
export type ErrorClass = "throttle" | "server" | "network" | "malformed" | "fatal";

/** How an error thrown by the SDK client should be handled. */
export function classifyError(error: unknown): ErrorClass {
  if (typeof error !== "object" || error === null) return "fatal";
  const e = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: boolean };
  };
  if (typeof e.name === "string" && THROTTLES.has(e.name)) return "throttle";
  if (e.$retryable?.throttling === true) return "throttle";
  // Before the status: a connection reset while the body of a 200 was read carries the 200
  // (the headers had arrived) and the network code.
  if (typeof e.code === "string" && TRANSIENT_NETWORK.has(e.code)) return "network";
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number") {
    if (status === 429) return "throttle";
    if (status >= 500) return "server";
    // A 2xx that failed anyway: the body did not deserialise (truncated, not JSON).
    if (status >= 200 && status < 300) return "malformed";
    return "fatal";
  }
  if (e.name === "TimeoutError") return "network";
  return "fatal";
}

/** Network errors that mean the request never reached the endpoint (so it was not billed). */
export function neverSent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}
