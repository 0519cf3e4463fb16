/**
 * `MetricReader` on CloudWatch (cloudwatch:GetMetricData, and cloudwatch:ListMetrics for a
 * query split by a dimension): each query's daily values over the range, as series. A query
 * split by a dimension (the model) first lists the metric's series carrying that dimension, then
 * reads each one: in CloudWatch a metric with one more dimension is a different series, so the
 * values cannot be asked for any other way without metric math.
 *
 * A query whose metric answers "Forbidden" or "InternalError" is reported failed (with the
 * status), never as a metric with no data: a trigger that could not look must say so.
 */
import { ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { MAX_QUERIES_PER_REQUEST, readDailyMetrics } from "./metric-data";
import type { MetricQuery, MetricReader, MetricResult, MetricSeries } from "../ports";

/** One series to read: a query, and the split dimension's value when it has one. */
interface Target {
  readonly query: MetricQuery;
  readonly label: string | null;
  readonly dimensions: Readonly<Record<string, string>>;
}

export function cloudWatchMetrics(client: CloudWatchClient): MetricReader {
  return {
    name: "cloudwatch",
    async read(queries, range, options) {
      const signal = options?.signal;
      const results = new Map<string, MetricResult>();
      const targets: Target[] = [];
      for (const query of queries) {
        const base = query.dimensions ?? {};
        if (query.splitBy === undefined) {
          targets.push({ query, label: null, dimensions: base });
          continue;
        }
        for (const value of await dimensionValues(client, query, query.splitBy, signal)) {
          targets.push({ query, label: value, dimensions: { ...base, [query.splitBy]: value } });
        }
        results.set(query.id, { kind: "read", series: [] });
      }
      for (const query of queries) {
        if (!results.has(query.id)) results.set(query.id, { kind: "read", series: [] });
      }
      for (let i = 0; i < targets.length; i += MAX_QUERIES_PER_REQUEST) {
        const batch = targets.slice(i, i + MAX_QUERIES_PER_REQUEST);
        const read = await readBatch(client, batch, range, signal);
        batch.forEach((target, index) => {
          const so = results.get(target.query.id)!;
          if (so.kind === "failed") return;
          const outcome = read[index]!;
          if (outcome.kind === "failed") {
            results.set(target.query.id, outcome);
          } else if (outcome.points.length > 0) {
            const series: MetricSeries = { label: target.label, points: outcome.points };
            results.set(target.query.id, { kind: "read", series: [...so.series, series] });
          }
        });
      }
      return results;
    },
  };
}

/** Values of `dimension` among the metric's series that carry exactly the query's dimensions and it. */
async function dimensionValues(
  client: CloudWatchClient,
  query: MetricQuery,
  dimension: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const base = query.dimensions ?? {};
  const wanted = new Set([...Object.keys(base), dimension]);
  const values = new Set<string>();
  let nextToken: string | undefined;
  do {
    const response = await client.send(
      new ListMetricsCommand({
        Namespace: query.namespace,
        MetricName: query.name,
        Dimensions: [
          ...Object.entries(base).map(([Name, Value]) => ({ Name, Value })),
          { Name: dimension },
        ],
        NextToken: nextToken,
      }),
      { abortSignal: signal },
    );
    for (const metric of response.Metrics ?? []) {
      const dims = metric.Dimensions ?? [];
      if (dims.length !== wanted.size || !dims.every((d) => wanted.has(d.Name ?? ""))) continue;
      const value = dims.find((d) => d.Name === dimension)?.Value;
      if (value !== undefined) values.add(value);
    }
    nextToken = response.NextToken;
  } while (nextToken !== undefined && nextToken !== "");
  return [...values].sort();
}

type Read =
  | { readonly kind: "read"; readonly points: { date: string; value: number }[] }
  | { readonly kind: "failed"; readonly reason: string };

async function readBatch(
  client: CloudWatchClient,
  batch: readonly Target[],
  range: { readonly start: string; readonly end: string },
  signal: AbortSignal | undefined,
): Promise<Read[]> {
  const reads: Read[] = batch.map(() => ({ kind: "read", points: [] }));
  const metrics = batch.map((target) => ({
    namespace: target.query.namespace,
    name: target.query.name,
    dimensions: target.dimensions,
    stat: target.query.stat,
  }));
  await readDailyMetrics(client, metrics, range, signal, (index, result) => {
    const read = reads[index]!;
    if (read.kind === "failed") return;
    if (result.StatusCode === "Forbidden" || result.StatusCode === "InternalError") {
      reads[index] = { kind: "failed", reason: `CloudWatch answered ${result.StatusCode}` };
      return;
    }
    const timestamps = result.Timestamps ?? [];
    (result.Values ?? []).forEach((value, i) => {
      const at = timestamps[i];
      if (at !== undefined) read.points.push({ date: at.toISOString().slice(0, 10), value });
    });
  });
  for (const read of reads)
    if (read.kind === "read") read.points.sort((a, b) => (a.date < b.date ? -1 : 1));
  return reads;
}
