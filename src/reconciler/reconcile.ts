/**
 * The reconciliation, end to end but without side effects: fetch the cost rows (streamed,
 * aggregated page by page), measure volumes, build the report. The Lambda handler, the
 * `reconcile` command and the offline demo all call this one function, so they cannot
 * disagree about a number.
 *
 * @example
 * const report = await runReconciliation({
 *   registry,
 *   source: costExplorerSource(new CostExplorerClient({})),
 *   runDate: "2026-11-28",
 * });
 */
import { createAggregator } from "./aggregate";
import { principalRouteKey } from "./attribution";
import { assertFiniteReport } from "./finite";
import { DEFAULT_COST_METRIC } from "./cost-metrics";
import type { CostMetric } from "./cost-metrics";
import { periodFor } from "./period";
import { SILENT_LOG } from "./ports";
import { outcomeQueries } from "./outcomes";
import type {
  CostSource,
  MetricQuery,
  MetricReader,
  MetricResult,
  ReconcilerLog,
  UsageTypeMonth,
  UsageTypeSource,
  VolumeSource,
} from "./ports";
import { reviewQueueQueries } from "./triggers";
import { buildReport } from "./report";
import type { BuildReportInput } from "./report";
import type { CurQueryStats } from "./cur/engine";
import { ceRequestCost } from "./request-budget";
import type { Report } from "./types";
import { volumeRequests } from "./volume";
import type { Registry } from "../registry";

export interface ReconcileOptions {
  readonly registry: Registry;
  readonly source: CostSource;
  /** The run date, `YYYY-MM-DD`: the report covers the month of the day before it. */
  readonly runDate: string;
  readonly metric?: CostMetric;
  readonly groupByAccount?: boolean;
  /** Measures items for workflows that name a CloudWatch metric; without it all are estimated. */
  readonly volume?: VolumeSource;
  /**
   * Reads the registry's outcome and review-queue metrics; without it, outcomes fall back to
   * the registry's expected shares (the report says why) and review queues are not watched.
   */
  readonly metrics?: MetricReader;
  /**
   * Cost and usage per usage type, for the unit-price trigger (asked only when one is set, and
   * never with a line-level source: CUR rows already carry it, see `lineLevel`).
   */
  readonly usageTypes?: UsageTypeSource;
  /** The report's `generatedAt` (injected so that two runs on the same data compare equal). */
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  /** Only `info` and `warn`: a reconciliation reports no errors, it throws them. */
  readonly log?: Pick<ReconcilerLog, "info" | "warn">;
  /** Which SERVICE values are AI spend (default: the shipped list and rules). */
  readonly isAiService?: (service: string) => boolean;
}

/** How often (in pages) a fetch's progress and cost are logged. */
const PROGRESS_EVERY_PAGES = 10;

export async function runReconciliation(options: ReconcileOptions): Promise<Report> {
  const { registry, source } = options;
  const log = options.log ?? SILENT_LOG;
  const metric = options.metric ?? DEFAULT_COST_METRIC;
  const period = periodFor(options.runDate);
  const aggregator = createAggregator({
    workflowIds: registry.workflows.map((w) => w.id),
    currency: registry.settings.currency,
    period,
    isAiService: options.isAiService,
  });

  // A line-level source's rows carry each line's usage type and usage amount: the aggregator
  // derives the unit-price trigger's months from them, and no usage-type query is made.
  const lineLevel = source.kind === "cur";

  const fetchCosts = async () => {
    const fetch = source.fetch(
      {
        start: period.lastMonthStart,
        end: period.end,
        metric,
        tagKey: registry.settings.tagKeys.workflow,
        principalTagKey: principalRouteKey(registry.settings),
        groupByAccount: options.groupByAccount ?? false,
      },
      { signal: options.signal },
    );
    for await (const page of fetch) {
      aggregator.add(page);
      // What the fetch has cost so far, as it goes: a long or runaway fetch is visible in the
      // logs before it ends (the source stops it at its request budget).
      if (fetch.stats.pages % PROGRESS_EVERY_PAGES === 0) {
        log.info("cost rows fetching", {
          source: source.name,
          pages: fetch.stats.pages,
          requests: fetch.stats.requests,
          costUsd: ceRequestCost(fetch.stats.requests),
        });
      }
    }
    aggregator.addPairs(fetch.tagPairs);
    return { stats: fetch.stats, query: fetch.query };
  };

  const measureVolumes = async (): Promise<ReadonlyMap<string, number>> => {
    const requests = volumeRequests(registry.workflows);
    if (options.volume === undefined || requests.length === 0) return new Map();
    try {
      const measured = await options.volume.measure(
        requests,
        { start: period.start, end: period.end },
        { signal: options.signal },
      );
      const missing = requests.filter((r) => !measured.has(r.workflowId)).map((r) => r.workflowId);
      if (missing.length > 0) {
        log.warn("no measured volume: review cost estimated from the registry", {
          workflows: missing,
        });
      }
      return measured;
    } catch (error) {
      // Review cost then falls back to the registry's estimate and says so (reviewCostBasis):
      // a CloudWatch fault must not cost the owners their digest.
      log.warn("measuring volumes failed: review cost estimated from the registry", {
        source: options.volume.name,
        workflows: requests.map((r) => r.workflowId),
        error: error instanceof Error ? error.message : String(error),
      });
      return new Map();
    }
  };

  // Registry-named metrics: a failed read fails its queries, never the run (the report says).
  const readMetrics = async (
    queries: readonly MetricQuery[],
    range: { readonly start: string; readonly end: string },
  ): Promise<ReadonlyMap<string, MetricResult>> => {
    if (options.metrics === undefined || queries.length === 0) return new Map();
    try {
      return await options.metrics.read(queries, range, { signal: options.signal });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn("reading registry metrics failed", { source: options.metrics.name, error: reason });
      return new Map(queries.map((q) => [q.id, { kind: "failed", reason } as const]));
    }
  };

  const fetchUsageTypes = async (): Promise<{
    months: readonly UsageTypeMonth[] | undefined;
    requests: number;
  }> => {
    const wanted = registry.workflows.some((w) => w.triggers.unitPrice !== undefined);
    if (lineLevel || options.usageTypes === undefined || !wanted)
      return { months: undefined, requests: 0 };
    // A fault here stops the run like a cost fault: a price trigger that silently did not run
    // would read as "no price changed".
    return options.usageTypes.fetch(
      {
        start: period.lastMonthStart,
        end: period.end,
        metric,
        tagKey: registry.settings.tagKeys.workflow,
      },
      { signal: options.signal },
    );
  };

  const [{ stats, query }, measured, outcomeResults, queueResults, usage] = await Promise.all([
    fetchCosts(),
    measureVolumes(),
    readMetrics(outcomeQueries(registry.workflows), { start: period.start, end: period.end }),
    readMetrics(reviewQueueQueries(registry.workflows), {
      start: period.priorWeek.start,
      end: period.end,
    }),
    fetchUsageTypes(),
  ]);
  const aggregates = aggregator.finish();
  log.info("cost rows aggregated", {
    source: source.name,
    requests: stats.requests,
    retries: stats.retries,
    pages: stats.pages,
    rows: aggregates.rows,
    rowsOutsidePeriod: aggregates.rowsOutsidePeriod,
  });
  if (aggregates.rowsOutsidePeriod > 0) {
    log.warn("rows outside the queried days were ignored", {
      rows: aggregates.rowsOutsidePeriod,
    });
  }
  const report = buildReport({
    registry,
    period,
    aggregates,
    metric,
    source: reportSource(source, query),
    ceRequests: stats.requests + usage.requests,
    measured,
    metrics: new Map([...outcomeResults, ...queueResults]),
    usageTypes: lineLevel ? aggregates.usageTypes : usage.months,
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
  });
  assertFiniteReport(report);
  return report;
}

/** What the report says about its source; a CUR source that did not say what it ran is a bug. */
function reportSource(
  source: CostSource,
  query: CurQueryStats | undefined,
): BuildReportInput["source"] {
  if (source.kind === "cost-explorer") return { kind: "cost-explorer" };
  if (query === undefined) {
    throw new Error(`cost source ${source.name} (cur) finished without its query's statistics`);
  }
  return { kind: "cur", query };
}
