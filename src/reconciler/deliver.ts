/**
 * Outputs of a scheduled run, with "nothing lost, nothing doubled":
 *
 * 1. The report for a run date is written once (`<prefix><date>/report.json`, conditional put).
 *    A retry reuses the stored report instead of recomputing it, so owners get the same
 *    figures and Cost Explorer is not paid twice.
 * 2. Metrics are emitted only by the run that wrote the report (a retry would double them).
 * 3. Each message is recorded once sent (`<prefix><date>/deliveries/<hash>.json`); a retry
 *    sends only the messages without a record. One failed message never stops the others.
 * 4. The outcome lists every message; the handler throws when any failed, so the schedule's
 *    retry (and then its dead-letter queue) takes over.
 *
 * At-least-once remains possible in one window: a message published whose record could not be
 * written. That is logged as an error, not thrown, because throwing would make the retry send
 * it again.
 */
import { createHash } from "node:crypto";
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

export interface RunOutcome {
  readonly report: Report;
  /** True when this run computed and wrote the report; false when it reused a stored one. */
  readonly reportWritten: boolean;
  readonly reportKey: string;
  readonly deliveries: readonly DeliveryOutcome[];
  /** True when every message is delivered (now or by an earlier attempt). */
  readonly complete: boolean;
}

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
}

/** `<prefix><date>/<name>` */
export function runKey(prefix: string, runDate: string, name: string): string {
  return `${prefix}${runDate}/${name}`;
}

/**
 * A stable, address-free name for a recipient of a kind of message. Exact, not case-folded:
 * the SNS filter policy matches the `owner` attribute exactly, so `Dana@` and `dana@` are two
 * subscribers, and folding them would mark the second one's digest as already sent.
 */
export function recipientHash(kind: Message["kind"], recipient: string): string {
  return createHash("sha256").update(`${kind}\n${recipient}`).digest("hex").slice(0, 32);
}

export async function publishRun(options: PublishRunOptions): Promise<RunOutcome> {
  const { store, log, prefix, runDate } = options;
  const reportKey = runKey(prefix, runDate, "report.json");

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

  if (options.renderCsv !== undefined) {
    // Idempotent: a retry after a crash between the two writes completes the pair.
    await store.putIfAbsent(
      runKey(prefix, runDate, "report.csv"),
      options.renderCsv(report),
      "text/csv; charset=utf-8",
    );
  }
  if (reportWritten) options.metrics?.emit(report);

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
  return { report, reportWritten, reportKey, deliveries, complete: failed.length === 0 };
}

async function deliverOnce(message: Message, options: PublishRunOptions): Promise<DeliveryOutcome> {
  const { store, log } = options;
  const recipient = recipientHash(message.kind, message.recipient);
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
