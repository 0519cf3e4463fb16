/** The local CloudWatch GetMetricData, driven by the real SDK v3 client. */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { afterEach, describe, expect, it } from "vitest";

import { cloudWatchHandler } from "../../src/local-aws/cloudwatch";
import type { MetricSeries } from "../../src/local-aws/cloudwatch";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

const days = (from: number, count: number, value: number) =>
  Array.from({ length: count }, (_, i) => ({
    at: `2027-01-${String(from + i).padStart(2, "0")}`,
    value: value + i,
  }));

const SERIES: MetricSeries[] = [
  { namespace: "App", name: "Calls", dimensions: { workflow: "a" }, points: days(1, 3, 10) },
  { namespace: "App", name: "Calls", dimensions: { workflow: "b" }, points: days(1, 4, 20) },
];

const query = (id: string, workflow: string): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: "App",
      MetricName: "Calls",
      Dimensions: [{ Name: "workflow", Value: workflow }],
    },
    Period: 86_400,
    Stat: "Sum",
  },
});

describe("GetMetricData", () => {
  it("pages two queries without losing or repeating a datapoint of either", async () => {
    aws = await startLocalAws([cloudWatchHandler(SERIES, { maxDatapointsPerPage: 2 })]);
    const client = new CloudWatchClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
      maxAttempts: 1,
    });
    const collected = new Map<string, number[]>();
    const pages: MetricDataResult[][] = [];
    let nextToken: string | undefined;
    do {
      const response = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: [query("a", "a"), query("b", "b")],
          StartTime: new Date("2027-01-01T00:00:00Z"),
          EndTime: new Date("2027-01-08T00:00:00Z"),
          NextToken: nextToken,
        }),
      );
      pages.push(response.MetricDataResults ?? []);
      for (const result of response.MetricDataResults ?? []) {
        collected.set(result.Id!, [...(collected.get(result.Id!) ?? []), ...result.Values!]);
      }
      nextToken = response.NextToken;
    } while (nextToken !== undefined);

    expect(collected.get("a")).toEqual([10, 11, 12]);
    expect(collected.get("b")).toEqual([20, 21, 22, 23]);
    expect(pages).toHaveLength(4);
    // Page 2 finishes "a" and starts "b" at its first point.
    expect(pages[1]!.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ["a", [12], "Complete"],
      ["b", [20], "PartialData"],
    ]);
    expect(pages[1]![1]!.Timestamps).toEqual([new Date("2027-01-01T00:00:00Z")]);
  });
});
