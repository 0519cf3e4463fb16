/**
 * The scheduled Lambda: reconcile, store the report, notify owners, emit metrics. A thin
 * adapter: configuration and SDK clients in, `runReconciliation` + `publishRun` do the work.
 *
 * Event: an EventBridge scheduled event (its `time` fixes the run date, so the schedule's
 * retries of one event share one run) or `{ "runDate": "YYYY-MM-DD" }` to replay a date.
 * The function throws when any message was not delivered, so the retry and the dead-letter
 * queue take over; a retry sends only what is missing.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import type { AuditClients } from "../../audit/aws/clients";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { Logger } from "@aws-lambda-powertools/logger";
import type { LogAttributes } from "@aws-lambda-powertools/logger/types";
import { AthenaCurEngine } from "./athena-engine";
import type { AthenaEngineOptions } from "./athena-engine";
import { accountChecksRunner } from "./account-checks-loader";
import { readConfig } from "./config";
import type { HandlerConfig } from "./config";
import {
  costExplorerSource,
  costExplorerUsageTypes,
  createCostExplorerClient,
} from "./cost-explorer";
import type { CostExplorerSourceOptions } from "./cost-explorer";
import { emfMetrics } from "./emf-metrics";
import { handlerRegistry } from "./handler-registry";
import { s3ReportStore } from "./s3-store";
import { snsPublisher } from "./sns-publisher";
import { cloudWatchVolume } from "./volume-cloudwatch";
import { cloudWatchMetrics } from "./metrics-cloudwatch";
import { ceRequestBudget, curCostSource, isFailed, publishRun, runReconciliation } from "..";
import type {
  CostSource,
  DeliveryStatus,
  FailedDelivery,
  MetricsSink,
  OutputName,
  OutputOutcome,
  ReconcilerLog,
} from "..";
import type { Registry } from "../../registry";
import { renderCsv } from "../../report";
import { isCalendarDate } from "../../util/dates";

export interface ScheduledEvent {
  /** EventBridge: the scheduled time, ISO 8601. */
  readonly time?: string;
  /** Explicit run date (a replay), `YYYY-MM-DD`. */
  readonly runDate?: string;
}

export type RunSummary =
  | {
      readonly kind: "ran";
      readonly runDate: string;
      readonly reportKey: string;
      readonly reportWritten: boolean;
      readonly ceRequests: number;
      /** Each output besides report.json: done now, done before, failed, done unrecorded. */
      readonly outputs: Readonly<Partial<Record<OutputName, OutputOutcome["status"]>>>;
      readonly deliveries: Readonly<Record<DeliveryStatus, number>>;
    }
  /** Another invocation holds the run date: this one stood down (a duplicate delivery). */
  | {
      readonly kind: "held";
      readonly runDate: string;
      readonly reportKey: string;
      readonly heldBy: string;
      readonly until: string;
    };

/** Thrown when a message or an output was not done: the run must be retried. */
export class DeliveryIncompleteError extends Error {
  override readonly name = "DeliveryIncompleteError";
  constructor(
    readonly failed: readonly FailedDelivery[],
    readonly failedOutputs: readonly OutputName[] = [],
  ) {
    const parts: string[] = [];
    if (failed.length > 0) {
      parts.push(
        `${failed.length} message(s) not delivered (workflows: ${failed
          .flatMap((d) => (d.workflowIds.length > 0 ? d.workflowIds : ["unowned summary"]))
          .join(", ")})`,
      );
    }
    if (failedOutputs.length > 0) parts.push(`not written: ${failedOutputs.join(", ")}`);
    super(`${parts.join("; ")}: the run must be retried; what was done will not be done again`);
  }
}

/** A run date after today: Cost Explorer has nothing for it, and "no spend" would be false. */
export class FutureRunDateError extends Error {
  override readonly name = "FutureRunDateError";
}

export interface HandlerDependencies {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly registry?: Registry;
  readonly clients?: {
    readonly costExplorer?: CostExplorerClient;
    readonly s3?: S3Client;
    readonly sns?: SNSClient;
    readonly cloudWatch?: CloudWatchClient;
    readonly athena?: AthenaClient;
    readonly audit?: AuditClients;
  };
  readonly costExplorerOptions?: CostExplorerSourceOptions;
  /** With the CUR source: the Athena engine's polling and paging (tests poll fast). */
  readonly athenaOptions?: Pick<AthenaEngineOptions, "firstPollMs" | "maxPollMs" | "pageSize">;
  readonly metrics?: MetricsSink;
  readonly logger?: Logger;
  /** Clock for the default run date and `generatedAt`. */
  readonly now?: () => Date;
}

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  /** The invocation's id: who holds the run date's claim. */
  readonly awsRequestId?: string;
}

/** Kept on top of the invocation's remaining time in the claim's lease (see `claimRun`). */
export const LEASE_MARGIN_MS = 30_000;

export type ReconcilerHandler = (
  event?: ScheduledEvent | null,
  context?: InvocationContext,
) => Promise<RunSummary>;

/**
 * Time kept back from the Lambda's remaining time: enough to store the report, send the
 * digests and log the outcome after Cost Explorer has answered.
 */
export const OUTPUT_RESERVE_MS = 45_000;

/**
 * Cost Explorer may take as long as the invocation allows, less the output reserve: a large
 * organisation's month is hundreds of pages, more than a fixed two-minute deadline allows.
 */
export function costExplorerSignal(
  context: InvocationContext | undefined,
): AbortSignal | undefined {
  if (context === undefined) return undefined;
  return AbortSignal.timeout(
    Math.max(1_000, context.getRemainingTimeInMillis() - OUTPUT_RESERVE_MS),
  );
}

/** Builds a handler; everything it needs is created (and validated) here, once. */
export function createHandler(deps: HandlerDependencies): ReconcilerHandler {
  const config: HandlerConfig = readConfig(deps.env);
  const registry = deps.registry ?? handlerRegistry();
  const logger = deps.logger ?? new Logger({ serviceName: "ai-spend-guard" });
  const s3 = deps.clients?.s3 ?? new S3Client({});
  const sns = deps.clients?.sns ?? new SNSClient({});
  const cloudWatch = deps.clients?.cloudWatch ?? new CloudWatchClient({});
  // The invocation's own time limit bounds the fetch (see costExplorerSignal, which bounds the
  // Athena query the same way); the sources' deadlines are only the backstop outside Lambda.
  // One Cost Explorer client, made only when the cost source is Cost Explorer.
  let costExplorer: CostExplorerClient | undefined;
  const costExplorerClient = () =>
    (costExplorer ??= deps.clients?.costExplorer ?? createCostExplorerClient());
  const cur = config.costSource;
  const source: CostSource =
    cur.kind === "cur"
      ? curCostSource(
          new AthenaCurEngine({
            // The engine retries throttling itself, inside its deadline.
            client: deps.clients?.athena ?? new AthenaClient({ maxAttempts: 1 }),
            database: cur.database,
            table: cur.table,
            // The stack's workgroup enforces its results location and bytes-scanned limit.
            workGroup: cur.workGroup,
            timeoutMs: 280_000,
            ...deps.athenaOptions,
          }),
        )
      : costExplorerSource(costExplorerClient(), {
          deadlineMs: 280_000,
          maxRequests:
            config.maxRequests ??
            ((accounts: number) => ceRequestBudget(registry.workflows.length, accounts)),
          ...deps.costExplorerOptions,
        });
  const usageTypes = cur.kind === "cur" ? undefined : costExplorerUsageTypes(costExplorerClient());
  const store = s3ReportStore(s3, config.bucket);
  const publisher = snsPublisher(sns, config.topicArn);
  const metrics = deps.metrics ?? emfMetrics(config.metricsNamespace);
  const now = deps.now ?? (() => new Date());
  // Attributes carry workflow ids and recipient hashes, never an address.
  const log: ReconcilerLog = {
    info: (message: string, attributes: Record<string, unknown> = {}) =>
      logger.info(message, attributes as LogAttributes),
    warn: (message: string, attributes: Record<string, unknown> = {}) =>
      logger.warn(message, attributes as LogAttributes),
    error: (message: string, attributes: Record<string, unknown> = {}) =>
      logger.error(message, attributes as LogAttributes),
  };

  // The audit and the doctor (src/audit), after each reconciliation: its own module.
  const withAccountChecks = accountChecksRunner({
    env: deps.env,
    registry,
    store,
    log,
    ...(deps.clients?.audit === undefined ? {} : { clients: deps.clients.audit }),
  });

  return async (event, context) => {
    const runDate = runDateOf(event ?? {}, now());
    logger.appendKeys({ runDate });
    logger.info("reconciliation started", {
      workflows: registry.workflows.map((w) => w.id),
      metric: config.metric,
      source: source.name,
    });
    const outcome = await publishRun({
      runDate,
      prefix: config.prefix,
      hashSalt: config.hashSalt,
      ...(context?.awsRequestId === undefined ? {} : { owner: context.awsRequestId }),
      // Lambda ends the invocation at its timeout, so the claim outlives its holder by the
      // margin only; without a context (a local run), the default lease.
      ...(context === undefined
        ? {}
        : { leaseMs: context.getRemainingTimeInMillis() + LEASE_MARGIN_MS }),
      now,
      registry,
      store,
      publisher,
      metrics,
      renderCsv: (report) => renderCsv(report),
      log,
      compute: () =>
        runReconciliation({
          registry,
          source,
          runDate,
          metric: config.metric,
          groupByAccount: config.groupByAccount,
          volume: cloudWatchVolume(cloudWatch),
          metrics: cloudWatchMetrics(cloudWatch),
          // The unit-price trigger's usage types: one more Cost Explorer query (CUR: its own lines).
          ...(usageTypes === undefined ? {} : { usageTypes }),
          signal: costExplorerSignal(context),
          now,
          log,
        }).then((report) => withAccountChecks(report, runDate)),
    });
    if (outcome.kind === "held") {
      const held: RunSummary = {
        kind: "held",
        runDate,
        reportKey: outcome.reportKey,
        heldBy: outcome.heldBy,
        until: outcome.until,
      };
      logger.info("reconciliation stood down", { ...held });
      return held;
    }
    const counts: Record<DeliveryStatus, number> = {
      sent: 0,
      "already-sent": 0,
      failed: 0,
      "sent-unrecorded": 0,
    };
    for (const d of outcome.deliveries) counts[d.status] += 1;
    const summary: RunSummary = {
      kind: "ran",
      runDate,
      reportKey: outcome.reportKey,
      reportWritten: outcome.reportWritten,
      ceRequests: outcome.report.ceRequests,
      outputs: Object.fromEntries(outcome.outputs.map((o) => [o.name, o.status])),
      deliveries: counts,
    };
    logger.info("reconciliation finished", { ...summary });
    if (!outcome.complete) {
      throw new DeliveryIncompleteError(
        outcome.deliveries.filter(isFailed),
        outcome.outputs.filter((o) => o.status === "failed").map((o) => o.name),
      );
    }
    return summary;
  };
}

/**
 * The run date: explicit, else the scheduled time's date (UTC), else today. A date after today
 * (UTC) is refused: Cost Explorer has no figures for it, and a report would tell every owner
 * their workflow "shows no spend".
 */
export function runDateOf(event: ScheduledEvent, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  const notFuture = (date: string, what: string): string => {
    if (date > today) {
      throw new FutureRunDateError(
        `${what} ${date} is after today (${today}, UTC): a run reports the month before its date, and a future one has no figures yet; replay a date up to today`,
      );
    }
    return date;
  };
  if (event.runDate !== undefined) {
    if (!isCalendarDate(event.runDate)) {
      throw new Error(`event.runDate "${event.runDate}" is not a date: write it as YYYY-MM-DD`);
    }
    return notFuture(event.runDate, "event.runDate");
  }
  if (event.time !== undefined) {
    const time = new Date(event.time);
    if (Number.isNaN(time.getTime())) throw new Error(`event.time "${event.time}" is not a time`);
    return notFuture(time.toISOString().slice(0, 10), "event.time's date");
  }
  return today;
}

let instance: ReconcilerHandler | undefined;

/** The Lambda entry point. */
export const handler: ReconcilerHandler = (event, context) => {
  instance ??= createHandler({ env: process.env });
  return instance(event, context);
};

// In Lambda, build at init so a bad configuration fails the cold start, named, before any run.
if (process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
  instance = createHandler({ env: process.env });
}
