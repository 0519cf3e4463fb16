/**
 * Stage 4 of the demo: the reconciliation over the recorded bill, through the same Cost Explorer
 * path the Lambda uses. The bill is served by the local Cost Explorer on 127.0.0.1 in the real
 * wire protocol, page by page; the real SDK client (with dummy credentials) fetches it through
 * `costExplorerSource`, and `runReconciliation` builds the report. Only the endpoint differs
 * from production: no shortcut feeds rows to the core directly.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { cloudWatchHandler } from "../local-aws/cloudwatch";
import type { MetricSeries } from "../local-aws/cloudwatch";
import { costExplorerHandler } from "../local-aws/cost-explorer";
import type { CostDataset } from "../local-aws/datasets";
import { startLocalAws } from "../local-aws/server";
import { curCostSource, runReconciliation } from "../reconciler";
import type { CostSource, ReconcilerLog, Report } from "../reconciler";
import {
  cloudWatchMetrics,
  cloudWatchVolume,
  costExplorerSource,
  costExplorerUsageTypes,
  createCostExplorerClient,
} from "../reconciler/aws";
import type { Registry } from "../registry";

/** Credentials the local endpoint accepts; they sign requests that never leave the machine. */
const LOCAL_CREDENTIALS = { accessKeyId: "AKIDLOCALDEMO", secretAccessKey: "local-demo-secret" };

export interface OfflineReconciliationOptions {
  readonly registry: Registry;
  readonly dataset: CostDataset;
  /** What the local CloudWatch serves: item counts, outcomes per model, review queues. */
  readonly metrics: readonly MetricSeries[];
  readonly runDate: string;
  /** Groups per Cost Explorer page. */
  readonly groupsPerPage: number;
  /** Called after each page of cost data: page number (1-based) and rows in it. */
  readonly onPage?: (page: number, rows: number) => void;
  readonly log?: ReconcilerLog;
}

export async function reconcileOffline(options: OfflineReconciliationOptions): Promise<Report> {
  const aws = await startLocalAws([
    costExplorerHandler(options.dataset, { groupsPerPage: options.groupsPerPage }),
    cloudWatchHandler(options.metrics),
  ]);
  try {
    const config = { endpoint: aws.endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS };
    const source = reportingPages(
      costExplorerSource(createCostExplorerClient(config)),
      options.onPage,
    );
    return await runReconciliation({
      registry: options.registry,
      source,
      runDate: options.runDate,
      volume: cloudWatchVolume(new CloudWatchClient({ ...config, maxAttempts: 1 })),
      metrics: cloudWatchMetrics(new CloudWatchClient({ ...config, maxAttempts: 1 })),
      usageTypes: costExplorerUsageTypes(createCostExplorerClient(config)),
      // The report's timestamp is the run date's scheduled time, so every run writes the same file.
      now: () => new Date(`${options.runDate}T06:00:00Z`),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  } finally {
    await aws.close();
  }
}

/** The source, telling `onPage` about each page as it arrives (for progress on a terminal). */
function reportingPages(
  source: CostSource,
  onPage: ((page: number, rows: number) => void) | undefined,
): CostSource {
  if (onPage === undefined) return source;
  return {
    name: source.name,
    kind: source.kind,
    fetch: (query, options) => source.fetch(query, { ...options, onPage }),
  };
}

export interface OfflineCurReconciliationOptions {
  readonly registry: Registry;
  /** The CUR 2.0 export folder (`data/BILLING_PERIOD=YYYY-MM/`). */
  readonly dir: string;
  /** The same CloudWatch series as the Cost Explorer run, so review cost and outcomes agree too. */
  readonly metrics: readonly MetricSeries[];
  readonly runDate: string;
}

/**
 * Stage 5: the same month from the shipped CUR 2.0 export, read by DuckDB in-process (what
 * `reconcile --cur DIR` does), with the volumes from the same local CloudWatch.
 */
export async function reconcileCurOffline(
  options: OfflineCurReconciliationOptions,
): Promise<Extract<Report, { source: "cur" }>> {
  // Loaded only for this stage: DuckDB's native library is not needed before it.
  const { DuckDbCurEngine } = await import("../reconciler/duckdb/duckdb-engine.js");
  const aws = await startLocalAws([cloudWatchHandler(options.metrics)]);
  const engine = await DuckDbCurEngine.open(options.dir);
  try {
    const config = { endpoint: aws.endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS };
    const report = await runReconciliation({
      registry: options.registry,
      source: curCostSource(engine),
      runDate: options.runDate,
      volume: cloudWatchVolume(new CloudWatchClient({ ...config, maxAttempts: 1 })),
      metrics: cloudWatchMetrics(new CloudWatchClient({ ...config, maxAttempts: 1 })),
      now: () => new Date(`${options.runDate}T06:00:00Z`),
    });
    if (report.source !== "cur")
      throw new Error("the CUR source produced a report of another source");
    return report;
  } finally {
    engine.close();
    await aws.close();
  }
}

/**
 * Where two reports of the same month disagree on what both sources can say (spend, attribution,
 * unowned and unregistered spend, totals, review cost): the names of the differing fields,
 * empty when they agree. Flags are left out: only Cost Explorer marks an open month estimated.
 */
export function sourceDisagreements(a: Report, b: Report): string[] {
  const differences: string[] = [];
  const same = (path: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(path);
  };
  same("period", a.period, b.period);
  same("totals", a.totals, b.totals);
  same("attribution", a.attribution, b.attribution);
  same("unowned", a.unowned, b.unowned);
  same("unregistered", a.unregistered, b.unregistered);
  same(
    "workflows",
    a.workflows.map((w) => w.id),
    b.workflows.map((w) => w.id),
  );
  a.workflows.forEach((w, i) => {
    const v = b.workflows[i];
    if (v === undefined) return;
    for (const key of [
      "spend",
      "spendByService",
      "attribution",
      "daily",
      "lastMonthSpend",
      "projectedSpend",
      "reviewCost",
      "fullyLoaded",
    ] as const) {
      same(`workflows[${w.id}].${key}`, w[key], v[key]);
    }
  });
  return differences;
}
