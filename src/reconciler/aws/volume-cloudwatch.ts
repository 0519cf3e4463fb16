/**
 * `VolumeSource` on CloudWatch GetMetricData (needs only cloudwatch:GetMetricData): the daily
 * Sum of each workflow's metric over the reported days, up to 500 metrics a request (the API's
 * limit), following NextToken. A metric with no data points is reported as not measured (a
 * wrong name or dimension must not read as "zero items, zero review cost").
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { MAX_QUERIES_PER_REQUEST, readDailyMetrics } from "./metric-data";
import type { VolumeRequest, VolumeSource } from "../ports";

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
  const totals = new Map<string, number>();
  const metrics = batch.map((request) => ({
    namespace: request.metric.namespace,
    name: request.metric.name,
    dimensions: request.metric.dimensions ?? {},
    stat: "Sum",
  }));
  await readDailyMetrics(client, metrics, range, signal, (index, result) => {
    const request = batch[index]!;
    if (result.StatusCode === "Forbidden") return;
    if (result.StatusCode === "InternalError") {
      throw new Error(
        `CloudWatch could not compute ${request.metric.namespace}/${request.metric.name}`,
      );
    }
    const values = result.Values ?? [];
    if (values.length === 0) return;
    const sum = values.reduce((total, value) => total + value, 0);
    totals.set(request.workflowId, (totals.get(request.workflowId) ?? 0) + sum);
  });
  return totals;
}
