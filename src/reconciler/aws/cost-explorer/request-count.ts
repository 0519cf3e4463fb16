/**
 * Counting billable Cost Explorer requests ($0.01 each): a middleware on each command counts
 * every attempt that reaches the endpoint, inside the SDK's own retry loop, so even a
 * caller-supplied client that retries on its own is counted right. A request that never left
 * (connection refused, no DNS) is not billed and not counted.
 */
import type { FetchStats } from "../../ports";
import { neverSent } from "./retry";

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

/** Adds the counter to `command`; `stats.requests` then counts each of its attempts. */
export function countRequests(command: object, stats: FetchStats): void {
  (command as Countable).middlewareStack.add(
    (next) => async (args) => {
      stats.requests += 1;
      try {
        return await next(args);
      } catch (error) {
        if (neverSent(error)) stats.requests -= 1;
        throw error;
      }
    },
    // Inside the SDK's own retry loop (finalizeRequest) and next to the wire: once per attempt.
    { step: "deserialize", priority: "low", name: "aiSpendGuardCountRequests" },
  );
}
