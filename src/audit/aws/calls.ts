/**
 * How the audit and the doctor call AWS: each call retried on throttling, 5xx and network
 * faults with the Cost Explorer adapter's backoff (exponential, full jitter), counted by action
 * (what a run costs), and its refusals told apart: access denied (that check cannot run, the
 * others go on), a region not enabled, anything else (an AWS error).
 */
import { errorCode, errorMessage } from "../../reconciler/aws/cost-explorer/errors";
import {
  backoffDelay,
  classifyError,
  DEFAULT_RETRY,
} from "../../reconciler/aws/cost-explorer/retry";
import type { RetryPolicy } from "../../reconciler/aws/cost-explorer/retry";

export interface CallOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Waits between retries (tests pass one that returns at once). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1) jitter source (default Math.random). */
  readonly random?: () => number;
}

/** Requests made, by IAM action (`resource-explorer-2:Search`), retries included. */
export type CallCounts = Record<string, number>;

/** An AWS call that failed after its retries, naming the action. */
export class AwsCallError extends Error {
  override readonly name = "AwsCallError";
  constructor(
    readonly action: string,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${action} failed: ${code}: ${message}`, options);
  }
}

const DENIED = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnauthorizedOperation",
  "AuthorizationErrorException",
]);

/** The caller's credentials may not make this call. */
export function isAccessDenied(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return DENIED.has(errorCode(cause));
}

/**
 * A region the account has not enabled (an opt-in region): AWS does not know the caller's
 * credentials there, and says so with UnrecognizedClientException / InvalidClientTokenId.
 */
export function isRegionNotEnabled(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  const code = errorCode(cause);
  return code === "UnrecognizedClientException" || code === "InvalidClientTokenId";
}

export function errorCodeOf(error: unknown): string {
  return errorCode(error instanceof AwsCallError ? error.cause : error);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Makes calls with retries, counting each request under its action. */
export class Caller {
  readonly counts: CallCounts = {};
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: CallOptions = {}) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.counts[action] = (this.counts[action] ?? 0) + 1;
      try {
        return await request();
      } catch (error) {
        const kind = classifyError(error);
        const transient = kind === "throttle" || kind === "server" || kind === "network";
        if (transient && attempt < this.policy.maxAttempts) {
          await this.sleep(backoffDelay(attempt, this.policy, this.random));
          continue;
        }
        throw new AwsCallError(
          action,
          errorCode(error),
          transient ? `${errorMessage(error)} (after ${attempt} attempts)` : errorMessage(error),
          { cause: error },
        );
      }
    }
  }
}
