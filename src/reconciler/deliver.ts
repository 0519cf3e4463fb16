/**
 * Outputs of a scheduled run, with "nothing lost, nothing doubled":
 *
 * 0. The run claims its date first (`./claim`): a second invocation of the same date stands
 *    down while the first holds it, so two at once neither double the digests nor pay Cost
 *    Explorer twice.
 * 1. The report for a run date is written once (`<prefix><date>/report.json`, conditional put).
 *    A retry reuses the stored report instead of recomputing it, so owners get the same
 *    figures and Cost Explorer is not paid twice.
 * 2. Every other output is recorded when done, and each is attempted whatever became of the
 *    others: `report.csv` (its object is its record), the metrics
 *    (`<prefix><date>/outputs/metrics.json`, written after they are emitted) and each message
 *    (`<prefix><date>/deliveries/<hash>.json`). A retry does only what has no record, so a CSV
 *    that failed to write does not cost the day its metrics, and metrics are emitted once.
 * 3. The outcome lists every output and message; the handler throws when any failed, so the
 *    retry (and then the dead-letter queue) takes over.
 *
 * At-least-once remains possible in one window: an output done (a message published, the
 * metrics emitted) whose record could not be written. That is logged as an error, not thrown,
 * because throwing would make the retry do it again.
 */
import { createHash, randomUUID } from "node:crypto";
import { claimRun, releaseRun } from "./claim";
import { composeMessages } from "./digest";
import type { Message } from "./digest";
import type { MetricsSink, Publisher, ReconcilerLog, ReportStore } from "./ports";
import type { Report } from "./types";
import type { Registry } from "../registry";

export type DeliveryStatus = DeliveryOutcome["status"];

interface DeliveryCommon {
  readonly kind: Message["kind"];
  /** Hash of the recipient: outcomes and logs never carry an address. */
  readonly recipient: string;
  readonly workflowIds: readonly string[];
}

/**
 * What became of one message. `error` exists exactly when something went wrong: the message
 * was not sent (`failed`), or was sent but its delivery record could not be written
 * (`sent-unrecorded`, so a retry may send it again).
 */
export type DeliveryOutcome = DeliveryCommon &
  (
    | { readonly status: "sent" | "already-sent" }
    | { readonly status: "failed"; readonly error: string }
    | { readonly status: "sent-unrecorded"; readonly error: string }
  );

/** The outcome of a message that was not delivered. */
export type FailedDelivery = DeliveryCommon & { readonly status: "failed"; readonly error: string };

/** The outputs of a run besides the report itself and the messages. */
export type OutputName = "report.csv" | "metrics";

/**
 * What became of one output: done by this run, by an earlier one, not done (`failed`: the
 * retry does it), or done without its record (`done-unrecorded`: a retry may do it again).
 */
export type OutputOutcome =
  | { readonly name: OutputName; readonly status: "done" | "already-done" }
  | {
      readonly name: OutputName;
      readonly status: "failed" | "done-unrecorded";
      readonly error: string;
    };

export type RunOutcome =
  /** Another invocation holds the run date (see `./claim`): this one did nothing. */
  | {
      readonly kind: "held";
      readonly reportKey: string;
      readonly heldBy: string;
      readonly until: string;
    }
  | {
      readonly kind: "published";
      readonly report: Report;
      /** True when this run computed and wrote the report; false when it reused a stored one. */
      readonly reportWritten: boolean;
      readonly reportKey: string;
      readonly outputs: readonly OutputOutcome[];
      readonly deliveries: readonly DeliveryOutcome[];
      /** True when every output and message is done (now or by an earlier attempt). */
      readonly complete: boolean;
    };

export interface PublishRunOptions {
  readonly runDate: string;
  /** Key prefix, e.g. `reports/` (ends with "/" or is empty). */
  readonly prefix: string;
  readonly registry: Registry;
  /** Computes the report; called only when no report is stored for the date. */
  readonly compute: () => Promise<Report>;
  readonly store: ReportStore;
  readonly publisher: Publisher;
  readonly metrics?: MetricsSink;
  /** Renders the CSV copy of the report (written next to the JSON). */
  readonly renderCsv?: (report: Report) => string;
  readonly log: ReconcilerLog;
  /** Salt of the recipient hashes (logs, delivery record keys); default none. */
  readonly hashSalt?: string;
  /** Who claims the run date (the Lambda's request id); default a random id. */
  readonly owner?: string;
  /** How long the claim holds, ms: the invocation's time limit plus a margin (default 16 min). */
  readonly leaseMs?: number;
  readonly now?: () => Date;
}

/** Lambda's longest timeout (15 min) plus a minute. */
const DEFAULT_LEASE_MS = 16 * 60_000;

/** `<prefix><date>/<name>` */
export function runKey(prefix: string, runDate: string, name: string): string {
  return `${prefix}${runDate}/${name}`;
}

/**
 * A stable, address-free name for a recipient of a kind of message. Exact, not case-folded:
 * the SNS filter policy matches the `owner` attribute exactly, so `Dana@` and `dana@` are two
 * subscribers, and folding them would mark the second one's digest as already sent.
 */
export function recipientHash(kind: Message["kind"], recipient: string, salt = ""): string {
  // Salted per deployment (the stack makes the salt): unsalted, the hash of a guessable address
  // is found by hashing a list of guesses.
  return createHash("sha256").update(`${salt}\n${kind}\n${recipient}`).digest("hex").slice(0, 32);
}

export async function publishRun(options: PublishRunOptions): Promise<RunOutcome> {
  const { store, log, prefix, runDate } = options;
  const reportKey = runKey(prefix, runDate, "report.json");
  const claimKey = runKey(prefix, runDate, "claim.json");
  const owner = options.owner ?? randomUUID();
  const now = options.now ?? (() => new Date());

  const claim = await claimRun({
    store,
    key: claimKey,
    runDate,
    owner,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    now,
  });
  if (claim.kind === "held") {
    log.warn("another invocation holds this run date: standing down", {
      key: claimKey,
      heldBy: claim.owner,
      until: claim.expiresAt,
    });
    return { kind: "held", reportKey, heldBy: claim.owner, until: claim.expiresAt };
  }
  if (claim.tookOver) log.warn("took over an expired claim on this run date", { key: claimKey });
  try {
    return await publishClaimed(options, reportKey);
  } finally {
    try {
      await releaseRun({ store, key: claimKey, runDate, owner, now, etag: claim.etag });
    } catch (error) {
      // The lease still ends the claim; a retry waits for it rather than run twice.
      log.warn("could not release the run date's claim: a retry waits for the lease", {
        key: claimKey,
        error: describe(error),
      });
    }
  }
}

async function publishClaimed(options: PublishRunOptions, reportKey: string): Promise<RunOutcome> {
  const { store, log, prefix, runDate } = options;
  let report: Report;
  let reportWritten = false;
  const stored = await store.get(reportKey);
  if (stored !== undefined) {
    report = parseStoredReport(stored, reportKey);
    log.info("report already stored for this run date: reusing it", { key: reportKey });
  } else {
    const computed = await options.compute();
    const result = await store.putIfAbsent(
      reportKey,
      `${JSON.stringify(computed, null, 2)}\n`,
      "application/json",
    );
    if (result === "written") {
      report = computed;
      reportWritten = true;
      log.info("report written", { key: reportKey });
    } else {
      // Another attempt won the race: its report is the one of record.
      const winner = await store.get(reportKey);
      if (winner === undefined) throw new Error(`${reportKey} exists but cannot be read back`);
      report = parseStoredReport(winner, reportKey);
      log.info("report written by a concurrent attempt: reusing it", { key: reportKey });
    }
  }

  // Each output on its own: one failing never costs the day the others.
  const outputs: OutputOutcome[] = [];
  if (options.renderCsv !== undefined) {
    const renderCsv = options.renderCsv;
    outputs.push(
      await attempt("report.csv", async () =>
        (await store.putIfAbsent(
          runKey(prefix, runDate, "report.csv"),
          renderCsv(report),
          "text/csv; charset=utf-8",
        )) === "written"
          ? "done"
          : "already-done",
      ),
    );
  }
  if (options.metrics !== undefined) {
    outputs.push(await emitMetricsOnce(options.metrics, report, options));
  }

  const deliveries: DeliveryOutcome[] = [];
  for (const message of composeMessages(report, options.registry)) {
    deliveries.push(await deliverOnce(message, options));
  }
  const failed = deliveries.filter(isFailed);
  for (const d of failed) {
    log.error("message not delivered", {
      kind: d.kind,
      recipient: d.recipient,
      workflows: d.workflowIds,
      error: d.error,
    });
  }
  for (const output of outputs) {
    if (output.status === "failed") {
      log.error("output not done", { output: output.name, error: output.error });
    }
  }
  const outputsDone = outputs.every((o) => o.status !== "failed");
  return {
    kind: "published",
    report,
    reportWritten,
    reportKey,
    outputs,
    deliveries,
    complete: failed.length === 0 && outputsDone,
  };
}

async function attempt(
  name: OutputName,
  work: () => Promise<"done" | "already-done">,
): Promise<OutputOutcome> {
  try {
    return { name, status: await work() };
  } catch (error) {
    return { name, status: "failed", error: describe(error) };
  }
}

/** Emits the metrics unless a record says an earlier attempt did; then records them. */
async function emitMetricsOnce(
  metrics: MetricsSink,
  report: Report,
  options: PublishRunOptions,
): Promise<OutputOutcome> {
  const key = runKey(options.prefix, options.runDate, "outputs/metrics.json");
  try {
    if ((await options.store.get(key)) !== undefined) {
      return { name: "metrics", status: "already-done" };
    }
    metrics.emit(report);
  } catch (error) {
    return { name: "metrics", status: "failed", error: describe(error) };
  }
  try {
    await options.store.putIfAbsent(
      key,
      `${JSON.stringify({ output: "metrics", runDate: options.runDate, workflows: report.workflows.length }, null, 2)}\n`,
      "application/json",
    );
    return { name: "metrics", status: "done" };
  } catch (error) {
    options.log.error(
      "metrics emitted but their record was not written: a retry may emit them again",
      {
        key,
        error: describe(error),
      },
    );
    return { name: "metrics", status: "done-unrecorded", error: describe(error) };
  }
}

async function deliverOnce(message: Message, options: PublishRunOptions): Promise<DeliveryOutcome> {
  const { store, log } = options;
  const recipient = recipientHash(message.kind, message.recipient, options.hashSalt);
  const base = { kind: message.kind, recipient, workflowIds: message.workflowIds };
  const recordKey = runKey(options.prefix, options.runDate, `deliveries/${recipient}.json`);
  try {
    if ((await store.get(recordKey)) !== undefined) {
      log.info("already delivered by an earlier attempt", { ...base, workflows: base.workflowIds });
      return { ...base, status: "already-sent" };
    }
  } catch (error) {
    return { ...base, status: "failed", error: `reading ${recordKey}: ${describe(error)}` };
  }
  let messageId: string;
  try {
    ({ messageId } = await options.publisher.publish(message));
  } catch (error) {
    return { ...base, status: "failed", error: describe(error) };
  }
  const record = {
    kind: message.kind,
    recipient,
    workflowIds: message.workflowIds,
    subject: message.subject,
    messageId,
    runDate: options.runDate,
  };
  try {
    await store.putIfAbsent(recordKey, `${JSON.stringify(record, null, 2)}\n`, "application/json");
  } catch (error) {
    log.error("message sent but its delivery record was not written: a retry may send it again", {
      ...base,
      workflows: base.workflowIds,
      error: describe(error),
    });
    return { ...base, status: "sent-unrecorded", error: describe(error) };
  }
  log.info("message sent", { kind: base.kind, recipient, workflows: base.workflowIds, messageId });
  return { ...base, status: "sent" };
}

/** True for a message that was not sent (and must be retried). */
export function isFailed(outcome: DeliveryOutcome): outcome is FailedDelivery {
  return outcome.status === "failed";
}

function parseStoredReport(text: string, key: string): Report {
  try {
    const value = JSON.parse(text) as Partial<Report>;
    if (typeof value !== "object" || value === null || !Array.isArray(value.workflows)) {
      throw new Error("not a report");
    }
    return value as Report;
  } catch (error) {
    throw new Error(
      `${key} is not a readable report (${describe(error)}): delete it to let the run recompute it`,
      { cause: error },
    );
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
