/**
 * `VolumeSource` on CloudWatch GetMetricData (needs only cloudwatch:GetMetricData): the daily
 * Sum of each workflow's metric over the reported days, up to 500 metrics a request (the API's
 * limit), following NextToken. A metric with no data points is reported as not measured (a
 * wrong name or dimension must not read as "zero items, zero review cost").
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchClient, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import type { VolumeRequest, VolumeSource } from "../ports";

/** GetMetricData accepts at most 500 queries per request. */
export const MAX_QUERIES_PER_REQUEST = 500;

export function cloudWatchVolume(client: CloudWatchClient): VolumeSource {
  return {
    name: "cloudwatch",
    async measure(requests, range, options) {
      const items = new Map<string, number>();
      for (let i = 0; i < requests.length; i += MAX_QUERIES_PER_REQUEST) {
        const batch = requests.slice(i, i + MAX_QUERIES_PER_REQUEST);
        const sums = await measureBatch(client, batch, range, options?.signal);
        for (const [id, value] of sums) items.set(id, value);
      }
      return items;
    },
  };
}

async function measureBatch(
  client: CloudWatchClient,
  batch: readonly VolumeRequest[],
  range: { readonly start: string; readonly end: string },
  signal: AbortSignal | undefined,
): Promise<Map<string, number>> {
  // Query ids must match ^[a-z][a-zA-Z0-9_]*$: workflow ids (kebab-case) do not.
  const queries: MetricDataQuery[] = batch.map((request, index) => ({
    Id: `w${index}`,
    MetricStat: {
      Metric: {
        Namespace: request.metric.namespace,
        MetricName: request.metric.name,
        Dimensions: Object.entries(request.metric.dimensions ?? {}).map(([Name, Value]) => ({
          Name,
          Value,
        })),
      },
      Period: 86_400,
      Stat: "Sum",
    },
    ReturnData: true,
  }));
  const totals = new Map<string, number>();
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
      const request = batch[index];
      if (request === undefined || result.StatusCode === "Forbidden") continue;
      if (result.StatusCode === "InternalError") {
        throw new Error(
          `CloudWatch could not compute ${request.metric.namespace}/${request.metric.name}`,
        );
      }
      const values = result.Values ?? [];
      if (values.length === 0) continue;
      const sum = values.reduce((total, value) => total + value, 0);
      totals.set(request.workflowId, (totals.get(request.workflowId) ?? 0) + sum);
    }
    nextToken = response.NextToken;
  } while (nextToken !== undefined && nextToken !== "");
  return totals;
}
