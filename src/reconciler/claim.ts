/**
 * One run per run date at a time. EventBridge Scheduler invokes the function asynchronously,
 * and Lambda's async invocation may deliver an event twice or retry it while a manual replay
 * runs: two invocations of one date at once would each find no delivery record, send every
 * digest and pay Cost Explorer twice. Before it does anything billable or visible, a run
 * claims its date: a conditional put (`If-None-Match: *`) of `<prefix><date>/claim.json`
 * holding who claimed it and until when (the lease). A second invocation finds the claim and
 * stands down while the lease runs.
 *
 * The lease is the invocation's own time limit plus a margin: Lambda stops an invocation at its
 * timeout, so by the time the lease expires its holder is gone, and a retry may take the date
 * over. Taking over is a put conditional on the expired claim's ETag (`If-Match`), so of two
 * retries racing for an expired claim exactly one wins. A run that ends (finished or failed)
 * releases its claim the same way, so its retry does not wait for the lease.
 */
import type { ReportStore } from "./ports";

export interface ClaimRecord {
  /** Who holds the date: an invocation's request id, or a random id. */
  readonly owner: string;
  readonly runDate: string;
  /** ISO time after which the claim may be taken over. */
  readonly expiresAt: string;
  /** `released` by a run that ended: free to take at once. */
  readonly state: "running" | "released";
}

export type ClaimOutcome =
  /** This run holds the date; `etag` is what releasing it is conditional on. */
  | { readonly kind: "claimed"; readonly etag: string; readonly tookOver: boolean }
  /** Another run holds the date until `expiresAt`: stand down. */
  | { readonly kind: "held"; readonly owner: string; readonly expiresAt: string };

export interface ClaimOptions {
  readonly store: ReportStore;
  readonly key: string;
  readonly runDate: string;
  readonly owner: string;
  readonly leaseMs: number;
  readonly now: () => Date;
}

const JSON_TYPE = "application/json";

function body(record: ClaimRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function parse(text: string, key: string): ClaimRecord {
  const value = JSON.parse(text) as Partial<ClaimRecord> | null;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof value.owner !== "string" ||
    typeof value.expiresAt !== "string" ||
    Number.isNaN(Date.parse(value.expiresAt)) ||
    (value.state !== "running" && value.state !== "released")
  ) {
    throw new Error(`${key} is not a run claim: delete it to let the next run claim the date`);
  }
  return value as ClaimRecord;
}

/** Claims the run date (see the module comment). Store faults are thrown, never taken as free. */
export async function claimRun(options: ClaimOptions): Promise<ClaimOutcome> {
  const { store, key, owner } = options;
  const mine = (): ClaimRecord => ({
    owner,
    runDate: options.runDate,
    expiresAt: new Date(options.now().getTime() + options.leaseMs).toISOString(),
    state: "running",
  });
  // Two rounds: a claim released or deleted between our put and our read is tried once more.
  for (let round = 0; round < 2; round++) {
    if ((await store.putIfAbsent(key, body(mine()), JSON_TYPE)) === "written") {
      const written = await store.getVersioned(key);
      if (written !== undefined && parse(written.body, key).owner === owner) {
        return { kind: "claimed", etag: written.etag, tookOver: false };
      }
      continue;
    }
    const current = await store.getVersioned(key);
    if (current === undefined) continue;
    const claim = parse(current.body, key);
    const expired = Date.parse(claim.expiresAt) <= options.now().getTime();
    if (claim.state === "running" && !expired && claim.owner !== owner) {
      return { kind: "held", owner: claim.owner, expiresAt: claim.expiresAt };
    }
    if ((await store.replaceIfMatch(key, body(mine()), JSON_TYPE, current.etag)) === "written") {
      const written = await store.getVersioned(key);
      if (written !== undefined && parse(written.body, key).owner === owner) {
        return { kind: "claimed", etag: written.etag, tookOver: claim.owner !== owner };
      }
    }
  }
  const last = await store.getVersioned(key);
  const claim = last === undefined ? undefined : parse(last.body, key);
  return {
    kind: "held",
    owner: claim?.owner ?? "unknown",
    expiresAt: claim?.expiresAt ?? options.now().toISOString(),
  };
}

/**
 * Releases a claim this run holds, so a retry need not wait for the lease. "changed": someone
 * took the date over meanwhile (the lease had run out): nothing to release.
 */
export async function releaseRun(
  options: Omit<ClaimOptions, "leaseMs"> & { readonly etag: string },
): Promise<"released" | "changed"> {
  const record: ClaimRecord = {
    owner: options.owner,
    runDate: options.runDate,
    expiresAt: options.now().toISOString(),
    state: "released",
  };
  const result = await options.store.replaceIfMatch(
    options.key,
    body(record),
    JSON_TYPE,
    options.etag,
  );
  return result === "written" ? "released" : "changed";
}
