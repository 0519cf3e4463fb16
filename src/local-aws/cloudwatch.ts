/**
 * Local CloudWatch `GetMetricData`, in the protocol the installed @aws-sdk/client-cloudwatch
 * speaks: AWS JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`, query
 * compatible: errors also carry `x-amzn-query-error`), timestamps as epoch seconds. Sums (or
 * averages, min, max, counts) datapoints per period; pages with NextToken when a response
 * would exceed `maxDatapointsPerPage`. `fault` makes chosen calls fail.
 */
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export const CLOUDWATCH_TARGET = "GraniteServiceVersion20100801.GetMetricData";
export const LIST_METRICS_TARGET = "GraniteServiceVersion20100801.ListMetrics";

export interface MetricPoint {
  /** ISO instant or `YYYY-MM-DD`. */
  readonly at: string;
  readonly value: number;
}

export interface MetricSeries {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly points: readonly MetricPoint[];
}

export interface CloudWatchFault {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

export interface CloudWatchHandlerOptions {
  /** Called per GetMetricData request (1-based count); undefined = answer normally. */
  readonly fault?: (requestNumber: number) => CloudWatchFault | undefined;
  readonly maxDatapointsPerPage?: number;
}

export interface CloudWatchHandler extends ServiceHandler {
  /** Number of GetMetricData requests received. */
  readonly calls: () => number;
}

interface Query {
  Id: string;
  MetricStat?: {
    Metric: {
      Namespace: string;
      MetricName: string;
      Dimensions?: { Name: string; Value: string }[];
    };
    Period: number;
    Stat: string;
  };
  ReturnData?: boolean;
}

interface Input {
  MetricDataQueries?: Query[];
  StartTime?: number;
  EndTime?: number;
  NextToken?: string;
}

export function cloudWatchHandler(
  series: readonly MetricSeries[],
  options: CloudWatchHandlerOptions = {},
): CloudWatchHandler {
  let calls = 0;
  const pageSize = options.maxDatapointsPerPage ?? 100_800;

  const handler = ((request: LocalRequest): LocalResponse | undefined => {
    if (request.headers["x-amz-target"]?.startsWith("GraniteServiceVersion20100801.") !== true) {
      return undefined;
    }
    if (request.headers["x-amz-target"] === LIST_METRICS_TARGET) {
      calls += 1;
      const listFault = options.fault?.(calls);
      if (listFault !== undefined) {
        return error(
          listFault.status,
          listFault.code,
          listFault.message ?? `local CloudWatch: injected ${listFault.code}`,
        );
      }
      return listMetrics(request, series);
    }
    if (request.headers["x-amz-target"] !== CLOUDWATCH_TARGET) {
      return error(
        400,
        "InvalidAction",
        `local CloudWatch serves GetMetricData and ListMetrics only`,
      );
    }
    calls += 1;
    const fault = options.fault?.(calls);
    if (fault !== undefined) {
      return error(
        fault.status,
        fault.code,
        fault.message ?? `local CloudWatch: injected ${fault.code}`,
      );
    }
    let input: Input;
    try {
      input = JSON.parse(request.body.toString("utf8")) as Input;
    } catch {
      return error(400, "SerializationException", "request body is not JSON");
    }
    const queries = input.MetricDataQueries ?? [];
    if (queries.length === 0 || queries.length > 500) {
      return error(400, "InvalidParameterValue", "MetricDataQueries must hold 1 to 500 queries");
    }
    if (typeof input.StartTime !== "number" || typeof input.EndTime !== "number") {
      return error(400, "MissingParameter", "StartTime and EndTime are required (epoch seconds)");
    }
    // The token counts the datapoints already returned, across the queries in order: a query
    // is continued from where the previous page stopped in it, not from the same offset as the
    // others.
    const skip = input.NextToken === undefined ? 0 : Number(input.NextToken);
    let budget = pageSize;
    let more = false;
    let before = 0;
    const results = queries.map((query) => {
      const all = evaluate(query, series, input.StartTime!, input.EndTime!);
      const from = Math.min(Math.max(0, skip - before), all.length);
      before += all.length;
      const take = all.slice(from, from + Math.max(0, budget));
      budget -= take.length;
      const partial = from + take.length < all.length;
      if (partial) more = true;
      return {
        Id: query.Id,
        Label: query.MetricStat?.Metric.MetricName ?? query.Id,
        Timestamps: take.map(([t]) => t),
        Values: take.map(([, v]) => v),
        StatusCode: partial ? "PartialData" : "Complete",
      };
    });
    const body: Record<string, unknown> = { MetricDataResults: results, Messages: [] };
    if (more) body.NextToken = String(skip + pageSize);
    return {
      status: 200,
      headers: { "content-type": "application/x-amz-json-1.0" },
      body: JSON.stringify(body),
    };
  }) as CloudWatchHandler;
  return Object.assign(handler, { calls: () => calls });
}

/** [epoch seconds, value] per period with data, ascending. */
function evaluate(
  query: Query,
  series: readonly MetricSeries[],
  start: number,
  end: number,
): [number, number][] {
  const stat = query.MetricStat;
  if (stat === undefined) return [];
  const wanted = Object.fromEntries((stat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
  const match = series.find(
    (s) =>
      s.namespace === stat.Metric.Namespace &&
      s.name === stat.Metric.MetricName &&
      sameDimensions(s.dimensions ?? {}, wanted),
  );
  if (match === undefined) return [];
  const buckets = new Map<number, number[]>();
  for (const point of match.points) {
    const seconds = Date.parse(point.at.length === 10 ? `${point.at}T00:00:00Z` : point.at) / 1000;
    if (seconds < start || seconds >= end) continue;
    const bucket = start + Math.floor((seconds - start) / stat.Period) * stat.Period;
    const list = buckets.get(bucket) ?? [];
    list.push(point.value);
    buckets.set(bucket, list);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, values]) => [t, statistic(stat.Stat, values)]);
}

/**
 * ListMetrics: the series of a namespace (and metric name) that carry every dimension filter
 * given (a filter without a Value matches any value), as CloudWatch lists them. One page.
 */
function listMetrics(request: LocalRequest, series: readonly MetricSeries[]): LocalResponse {
  let input: {
    Namespace?: string;
    MetricName?: string;
    Dimensions?: { Name: string; Value?: string }[];
  };
  try {
    input = JSON.parse(request.body.toString("utf8")) as typeof input;
  } catch {
    return error(400, "SerializationException", "request body is not JSON");
  }
  const filters = input.Dimensions ?? [];
  const metrics = series
    .filter(
      (s) =>
        (input.Namespace === undefined || s.namespace === input.Namespace) &&
        (input.MetricName === undefined || s.name === input.MetricName) &&
        filters.every((f) => {
          const value = s.dimensions?.[f.Name];
          return value !== undefined && (f.Value === undefined || f.Value === value);
        }),
    )
    .map((s) => ({
      Namespace: s.namespace,
      MetricName: s.name,
      Dimensions: Object.entries(s.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
    }));
  return {
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.0" },
    body: JSON.stringify({ Metrics: metrics }),
  };
}

function statistic(stat: string, values: readonly number[]): number {
  switch (stat) {
    case "Average":
      return values.reduce((s, v) => s + v, 0) / values.length;
    case "Minimum":
      return Math.min(...values);
    case "Maximum":
      return Math.max(...values);
    case "SampleCount":
      return values.length;
    default:
      return values.reduce((s, v) => s + v, 0);
  }
}

function sameDimensions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function error(status: number, code: string, message: string): LocalResponse {
  return {
    status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-error": `${code};${status >= 500 ? "Receiver" : "Sender"}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${code}`, message }),
  };
}
