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
import { runReconciliation } from "../reconciler";
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
  /** Measured item counts served by the local CloudWatch (workflows naming a metric). */
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
