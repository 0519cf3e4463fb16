/**
 * GetMetricData as both CloudWatch readers use it (the volume source and the registry's metric
 * reader): one daily series per query over whole UTC days, every page followed by NextToken.
 * What a result means (a sum of items, a series of outcomes) is each reader's business.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type {
  CloudWatchClient,
  MetricDataQuery,
  MetricDataResult,
} from "@aws-sdk/client-cloudwatch";

/** GetMetricData accepts at most 500 queries per request. */
export const MAX_QUERIES_PER_REQUEST = 500;

/** One query's daily statistic of one metric. */
export interface DailyMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

/**
 * Daily `metrics` over `range` (`YYYY-MM-DD`, end exclusive), page by page. Query ids are
 * `<prefix><index>` (ids must match ^[a-z][a-zA-Z0-9_]*$: workflow ids, kebab-case, do not);
 * `onResult` gets each result with its metric's index.
 */
export async function readDailyMetrics(
  client: CloudWatchClient,
  metrics: readonly DailyMetric[],
  range: { readonly start: string; readonly end: string },
  signal: AbortSignal | undefined,
  onResult: (index: number, result: MetricDataResult) => void,
): Promise<void> {
  if (metrics.length > MAX_QUERIES_PER_REQUEST) {
    throw new Error(`GetMetricData takes at most ${MAX_QUERIES_PER_REQUEST} queries a request`);
  }
  const queries: MetricDataQuery[] = metrics.map((metric, index) => ({
    Id: `m${index}`,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.name,
        Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: 86_400,
      Stat: metric.stat,
    },
    ReturnData: true,
  }));
  let nextToken: string | undefined;
  do {
    const response = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(`${range.start}T00:00:00Z`),
        EndTime: new Date(`${range.end}T00:00:00Z`),
        ScanBy: "TimestampAscending",
        NextToken: nextToken,
      }),
      { abortSignal: signal },
    );
    for (const result of response.MetricDataResults ?? []) {
      const index = Number(result.Id?.slice(1));
      if (Number.isInteger(index) && index >= 0 && index < metrics.length) onResult(index, result);
    }
    nextToken = response.NextToken;
  } while (nextToken !== undefined && nextToken !== "");
}
