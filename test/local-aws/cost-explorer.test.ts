/** The local Cost Explorer, driven by the real SDK v3 client (and raw HTTP for the envelope). */
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetDimensionValuesCommand,
  InvalidNextTokenException,
  LimitExceededException,
  RequestChangedException,
} from "@aws-sdk/client-cost-explorer";
import type { GetCostAndUsageCommandInput } from "@aws-sdk/client-cost-explorer";
import { afterEach, describe, expect, it } from "vitest";

import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import type { CostExplorerHandlerOptions } from "../../src/local-aws/cost-explorer";
import { datasetFromRows, syntheticDataset } from "../../src/local-aws/datasets";
import type { CostDataset } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

const SMALL = datasetFromRows({
  name: "small",
  tagKey: "workflow",
  estimatedFrom: "2027-01-03",
  accountNames: { "111122223333": "production" },
  rows: [
    {
      date: "2027-01-01",
      tag: "a",
      service: "Amazon Bedrock",
      account: "111122223333",
      amount: "1.25",
    },
    {
      date: "2027-01-01",
      tag: "a",
      service: "Amazon Bedrock",
      account: "444455556666",
      amount: "0.75",
    },
    {
      date: "2027-01-01",
      tag: null,
      service: "AWS Lambda",
      account: "111122223333",
      amount: "0.1",
    },
    {
      date: "2027-01-03",
      tag: "b",
      service: "Amazon SageMaker",
      account: "111122223333",
      amount: "-2",
      amounts: { AmortizedCost: "-1.5" },
    },
  ],
});

async function client(dataset: CostDataset = SMALL, options?: CostExplorerHandlerOptions) {
  aws = await startLocalAws([costExplorerHandler(dataset, options)]);
  return new CostExplorerClient({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    maxAttempts: 1,
  });
}

const INPUT: GetCostAndUsageCommandInput = {
  TimePeriod: { Start: "2027-01-01", End: "2027-01-04" },
  Granularity: "DAILY",
  Metrics: ["UnblendedCost"],
  GroupBy: [
    { Type: "TAG", Key: "workflow" },
    { Type: "DIMENSION", Key: "SERVICE" },
  ],
};

describe("GetCostAndUsage", () => {
  it("answers in the real shape: every day, groups summed across accounts, Estimated", async () => {
    const ce = await client();
    const output = await ce.send(new GetCostAndUsageCommand(INPUT));
    expect(output.GroupDefinitions).toEqual(INPUT.GroupBy);
    expect(output.NextPageToken).toBeUndefined();
    expect(output.DimensionValueAttributes).toEqual([]);
    expect(output.ResultsByTime).toEqual([
      {
        TimePeriod: { Start: "2027-01-01", End: "2027-01-02" },
        Total: {},
        Groups: [
          {
            Keys: ["workflow$", "AWS Lambda"],
            Metrics: { UnblendedCost: { Amount: "0.1", Unit: "USD" } },
          },
          {
            Keys: ["workflow$a", "Amazon Bedrock"],
            Metrics: { UnblendedCost: { Amount: "2", Unit: "USD" } },
          },
        ],
        Estimated: false,
      },
      {
        TimePeriod: { Start: "2027-01-02", End: "2027-01-03" },
        Total: {},
        Groups: [],
        Estimated: false,
      },
      {
        TimePeriod: { Start: "2027-01-03", End: "2027-01-04" },
        Total: {},
        Groups: [
          {
            Keys: ["workflow$b", "Amazon SageMaker"],
            Metrics: { UnblendedCost: { Amount: "-2", Unit: "USD" } },
          },
        ],
        Estimated: true,
      },
    ]);
  });

  it("serves per-metric amounts, usage metrics with unit N/A, MONTHLY, filters", async () => {
    const ce = await client();
    const output = await ce.send(
      new GetCostAndUsageCommand({
        ...INPUT,
        Granularity: "MONTHLY",
        Metrics: ["AmortizedCost", "UsageQuantity"],
        GroupBy: [{ Type: "DIMENSION", Key: "LINKED_ACCOUNT" }],
        Filter: { Dimensions: { Key: "SERVICE", Values: ["Amazon SageMaker", "AWS Lambda"] } },
      }),
    );
    expect(output.ResultsByTime).toHaveLength(1);
    expect(output.ResultsByTime?.[0]?.Groups).toEqual([
      {
        Keys: ["111122223333"],
        Metrics: {
          AmortizedCost: { Amount: "-1.4", Unit: "USD" },
          UsageQuantity: { Amount: "0", Unit: "N/A" },
        },
      },
    ]);
  });

  it("splits a day across pages and continues it on the next", async () => {
    const ce = await client(SMALL, { groupsPerPage: 1 });
    const first = await ce.send(new GetCostAndUsageCommand(INPUT));
    expect(first.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Groups?.length])).toEqual([
      ["2027-01-01", 1],
    ]);
    const second = await ce.send(
      new GetCostAndUsageCommand({ ...INPUT, NextPageToken: first.NextPageToken }),
    );
    expect(second.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Groups?.length])).toEqual([
      ["2027-01-01", 1],
    ]);
    const third = await ce.send(
      new GetCostAndUsageCommand({ ...INPUT, NextPageToken: second.NextPageToken }),
    );
    expect(third.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Groups?.length])).toEqual([
      ["2027-01-02", 0],
      ["2027-01-03", 1],
    ]);
    expect(third.NextPageToken).toBeUndefined();
  });

  it("refuses a token from another request, and a forged one", async () => {
    const ce = await client(SMALL, { groupsPerPage: 1 });
    const first = await ce.send(new GetCostAndUsageCommand(INPUT));
    const changed = ce.send(
      new GetCostAndUsageCommand({
        ...INPUT,
        Metrics: ["AmortizedCost"],
        NextPageToken: first.NextPageToken,
      }),
    );
    await expect(changed).rejects.toBeInstanceOf(RequestChangedException);
    const forged = ce.send(new GetCostAndUsageCommand({ ...INPUT, NextPageToken: "bm9wZQ" }));
    await expect(forged).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(forged).rejects.toThrow("The pagination token is invalid.");
  });

  it.each([
    [
      { TimePeriod: { Start: "2027-01-05", End: "2027-01-01" } },
      "Start date (and hour) should be before end date (and hour)",
    ],
    [
      { TimePeriod: { Start: "2027-02-30", End: "2027-03-01" } },
      'TimePeriod.Start "2027-02-30" is not a valid date: use yyyy-MM-dd',
    ],
    [
      { Granularity: "HOURLY" },
      "local endpoint: HOURLY granularity is not served (DAILY, MONTHLY are)",
    ],
    [{ Metrics: ["Cost"] }, "Invalid metrics: Cost"],
    [{ Metrics: [] }, "Metrics is required"],
    [
      {
        GroupBy: [
          { Type: "TAG", Key: "workflow" },
          { Type: "DIMENSION", Key: "SERVICE" },
          { Type: "DIMENSION", Key: "LINKED_ACCOUNT" },
        ],
      },
      "GroupBy accepts at most 2 group definitions, got 3",
    ],
    [{ GroupBy: [{ Type: "DIMENSION", Key: "SERVICES" }] }, "Invalid group by dimension: SERVICES"],
    [
      {
        GroupBy: [
          { Type: "TAG", Key: "workflow" },
          { Type: "TAG", Key: "workflow" },
        ],
      },
      "GroupBy contains a duplicate group definition",
    ],
    [
      { Filter: { CostCategories: { Key: "x", Values: ["y"] } } },
      "local endpoint: Filter.CostCategories is not served (And, Or, Not, Dimensions, Tags are)",
    ],
    [
      { Filter: { Tags: { Key: "workflow", Values: ["a"], MatchOptions: ["CONTAINS"] } } },
      'Filter.Tags.MatchOptions ["CONTAINS"]: GetCostAndUsage accepts EQUALS, ABSENT, CASE_SENSITIVE here',
    ],
    [
      { Filter: { Tags: { Key: "workflow" }, Dimensions: { Key: "SERVICE", Values: ["x"] } } },
      "Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories",
    ],
  ])("refuses %o with a ValidationException", async (change, message) => {
    const ce = await client();
    const error = await ce
      .send(new GetCostAndUsageCommand({ ...INPUT, ...change } as GetCostAndUsageCommandInput))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ValidationException", message, $fault: "client" });
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it("injects faults by request number, as the SDK's modelled exceptions", async () => {
    const ce = await client(SMALL, {
      faults: {
        1: { kind: "limit-exceeded" },
        2: { kind: "throttling" },
        3: { kind: "server-error", status: 503 },
      },
    });
    await expect(ce.send(new GetCostAndUsageCommand(INPUT))).rejects.toBeInstanceOf(
      LimitExceededException,
    );
    await expect(ce.send(new GetCostAndUsageCommand(INPUT))).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ce.send(new GetCostAndUsageCommand(INPUT))).rejects.toMatchObject({
      name: "InternalFailure",
      $fault: "server",
      $metadata: { httpStatusCode: 503 },
    });
    await expect(ce.send(new GetCostAndUsageCommand(INPUT))).resolves.toMatchObject({
      ResultsByTime: expect.any(Array) as unknown,
    });
  });
});

describe("GetDimensionValues", () => {
  it("lists linked accounts with their names, page by page", async () => {
    const ce = await client();
    const input = {
      TimePeriod: { Start: "2027-01-01", End: "2027-01-04" },
      Dimension: "LINKED_ACCOUNT" as const,
      MaxResults: 1,
    };
    const first = await ce.send(new GetDimensionValuesCommand(input));
    expect(first).toMatchObject({
      DimensionValues: [{ Value: "111122223333", Attributes: { description: "production" } }],
      ReturnSize: 1,
      TotalSize: 2,
    });
    const second = await ce.send(
      new GetDimensionValuesCommand({ ...input, NextPageToken: first.NextPageToken }),
    );
    expect(second.DimensionValues?.map((v) => v.Value)).toEqual(["444455556666"]);
    expect(second.NextPageToken).toBeUndefined();
  });
});

describe("the envelope", () => {
  const target = { "X-Amz-Target": "AWSInsightsIndexService.GetCostAndUsage" };

  it("requires a SigV4 signature for ce", async () => {
    await client();
    const response = await fetch(`${aws!.endpoint}/`, {
      method: "POST",
      headers: { ...target, "Content-Type": "application/x-amz-json-1.1" },
      body: JSON.stringify(INPUT),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
  });

  it("requires the JSON 1.1 content type", async () => {
    await client();
    const response = await fetch(`${aws!.endpoint}/`, {
      method: "POST",
      headers: { ...target, "Content-Type": "application/json" },
      body: JSON.stringify(INPUT),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: "SerializationException",
      message: 'Content-Type must be application/x-amz-json-1.1, got "application/json"',
    });
  });

  it("names an operation it does not serve", async () => {
    await client();
    const response = await fetch(`${aws!.endpoint}/`, {
      method: "POST",
      headers: {
        "X-Amz-Target": "AWSInsightsIndexService.GetCostForecast",
        "Content-Type": "application/x-amz-json-1.1",
        Authorization: "AWS4-HMAC-SHA256 Credential=AKID/20270101/us-east-1/ce/aws4_request",
      },
      body: "{}",
    });
    expect(await response.json()).toMatchObject({
      __type: "UnknownOperationException",
      message:
        "local endpoint: Cost Explorer operation GetCostForecast is not served (GetCostAndUsage, GetDimensionValues are)",
    });
  });

  it("leaves other services' requests to other handlers", async () => {
    const handler = costExplorerHandler(SMALL);
    expect(
      await handler({
        method: "POST",
        path: "/",
        query: new URLSearchParams("Action=Publish"),
        headers: {},
        body: Buffer.from(""),
      }),
    ).toBeUndefined();
  });
});

describe("synthetic bills", () => {
  it("generate N workflows x D days x S services plus the awkward rows, the same every time", () => {
    const options = {
      start: "2027-01-30",
      days: 5,
      workflows: ["support-triage", "b"],
      services: 3,
    };
    const a = syntheticDataset(options);
    const b = syntheticDataset(options);
    const day = [...a.day("2027-02-01")];
    expect(day).toEqual([...b.day("2027-02-01")]);
    // 2 x 3 regular + 2 untagged + unregistered + case variant + the credit on the 1st.
    expect(day).toHaveLength(11);
    expect(day.filter((r) => r.tag === null)).toHaveLength(2);
    expect(day.some((r) => r.tag === "Support-Triage")).toBe(true);
    expect(day.some((r) => r.amount.startsWith("-"))).toBe(true);
    expect([...a.day("2027-01-31")]).toHaveLength(10);
    expect([...a.day("2027-02-04")]).toHaveLength(0);
    expect(a.estimatedFrom).toBe("2027-02-01");
    expect(a.day("2027-01-30")).not.toBeInstanceOf(Array);
  });

  it("generate the 1.2 M-row benchmark bill lazily", () => {
    const bill = syntheticDataset({
      start: "2027-01-01",
      days: 60,
      workflows: 1000,
      services: 20,
      extras: { untagged: false, unregistered: false, caseVariant: false, credits: false },
    });
    let rows = 0;
    for (let d = 0; d < 60; d++) {
      const date = new Date(Date.UTC(2027, 0, 1 + d)).toISOString().slice(0, 10);
      for (const _row of bill.day(date)) rows++;
    }
    expect(rows).toBe(1_200_000);
  });

  it("refuse a meaningless shape", () => {
    expect(() =>
      syntheticDataset({ start: "2027-01-01", days: 0, workflows: 1, services: 1 }),
    ).toThrow("days must be a whole number >= 1, got 0");
    expect(() =>
      syntheticDataset({ start: "2027-01-01", days: 1, workflows: [], services: 1 }),
    ).toThrow("no workflows");
  });
});
