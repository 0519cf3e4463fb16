/**
 * The Lambda handler with `AI_SPEND_GUARD_COST_SOURCE=cur`: the Athena engine through the real
 * AthenaClient against the local Athena, the report stored and the digests sent as with Cost
 * Explorer, and no Cost Explorer request at all.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { athenaHandler } from "../../src/local-aws/athena";
import type { AthenaHandlerOptions } from "../../src/local-aws/athena";
import { cloudWatchHandler } from "../../src/local-aws/cloudwatch";
import { writeCurExport } from "../../src/local-aws/cur-export";
import { s3Handler } from "../../src/local-aws/s3";
import type { S3Handler } from "../../src/local-aws/s3";
import { snsHandler } from "../../src/local-aws/sns";
import type { SnsHandler } from "../../src/local-aws/sns";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import type { Report } from "../../src/reconciler";
import { createHandler, ENV as VARS } from "../../src/reconciler/aws";
import { BUCKET, CREDENTIALS, ENV } from "../reconciler/aws-fixture";
import { testRegistry } from "../reconciler/fixtures";
import { curLinesOf, equivalenceRows } from "./bill-lines";
import { scratchDir } from "./fixtures";

const CUR_ENV = {
  ...ENV,
  [VARS.costSource]: "cur",
  [VARS.curDatabase]: "cur",
  [VARS.curTable]: "cur2",
  [VARS.curWorkGroup]: "primary",
};

let scratch: ReturnType<typeof scratchDir>;
let aws: LocalAws | undefined;
let closeAthena: (() => void) | undefined;
let s3: S3Handler;
let sns: SnsHandler;

beforeEach(async () => {
  scratch = scratchDir();
  await writeCurExport(scratch.dir, curLinesOf(equivalenceRows()), { filesPerPeriod: 2 });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(async () => {
  await aws?.close();
  aws = undefined;
  closeAthena?.();
  scratch.remove();
  vi.restoreAllMocks();
});

async function handlerWith(options: Omit<AthenaHandlerOptions, "tables"> = {}) {
  const athena = await athenaHandler({
    tables: [{ database: "cur", table: "cur2", dir: scratch.dir }],
    ...options,
  });
  closeAthena = athena.close;
  s3 = s3Handler();
  sns = snsHandler();
  aws = await startLocalAws([athena.handler, s3, sns, cloudWatchHandler([])]);
  const common = { endpoint: aws.endpoint, region: "us-east-1", credentials: CREDENTIALS };
  return createHandler({
    env: CUR_ENV,
    registry: testRegistry(),
    clients: {
      athena: new AthenaClient({ ...common, maxAttempts: 1 }),
      s3: new S3Client({ ...common, forcePathStyle: true }),
      sns: new SNSClient(common),
      cloudWatch: new CloudWatchClient(common),
    },
    athenaOptions: { firstPollMs: 1, maxPollMs: 4, pageSize: 25 },
    metrics: { emit: () => undefined },
    now: () => new Date("2026-11-28T06:00:05Z"),
  });
}

const targets = () => (aws?.requests ?? []).map((r) => r.headers["x-amz-target"] ?? "");

describe("the handler on the CUR source", () => {
  it("queries Athena, stores a CUR report, sends the digests, and asks Cost Explorer nothing", async () => {
    const handler = await handlerWith({ queryFaults: { 1: { kind: "slow", polls: 3 } } });
    const summary = await handler({ runDate: "2026-11-28" });
    expect(summary).toMatchObject({ kind: "ran", ceRequests: 0, reportWritten: true });
    const stored = JSON.parse(
      s3.objects.get(`${BUCKET}/reports/2026-11-28/report.json`)!.body.toString("utf8"),
    ) as Report;
    expect(stored).toMatchObject({ source: "cur", engine: "athena", ceRequests: 0 });
    if (stored.source !== "cur") throw new Error("expected a CUR report");
    expect(stored.query.bytesScanned).toBeGreaterThan(0);
    expect(stored.workflows.find((w) => w.id === "invoice-matching")!.models).toMatchObject([
      { model: "Claude Sonnet 4.5", spend: 212.875 },
    ]);
    expect(sns.published.length).toBeGreaterThan(0);
    expect(targets().filter((t) => t.startsWith("AWSInsightsIndexService."))).toEqual([]);
    // Polled while QUEUED, then RUNNING, until the third poll finds it done; then every page.
    expect(targets().filter((t) => t === "AmazonAthena.GetQueryExecution").length).toBe(3);
    expect(targets().filter((t) => t === "AmazonAthena.GetQueryResults").length).toBeGreaterThan(1);
  });

  it("a FAILED query fails the run with Athena's reason: nothing stored, nothing sent", async () => {
    const handler = await handlerWith({
      queryFaults: { 1: { kind: "fail", reason: "HIVE_BAD_DATA: malformed Parquet" } },
    });
    await expect(handler({ runDate: "2026-11-28" })).rejects.toThrow(
      /FAILED: HIVE_BAD_DATA: malformed Parquet/,
    );
    expect(s3.objects.has(`${BUCKET}/reports/2026-11-28/report.json`)).toBe(false);
    expect(sns.published).toEqual([]);
  });

  it("the workgroup's bytes-scanned limit: a clear error, no partial report", async () => {
    const handler = await handlerWith({ bytesScannedCutoffPerQuery: 1 });
    await expect(handler({ runDate: "2026-11-28" })).rejects.toThrow(/bytes-scanned limit/);
    expect(s3.objects.has(`${BUCKET}/reports/2026-11-28/report.json`)).toBe(false);
    expect(sns.published).toEqual([]);
  });
});
