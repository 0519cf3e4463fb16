/** A local AWS (Cost Explorer, SNS, S3, CloudWatch on 127.0.0.1) and real SDK clients for it. */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import type { CostQuery } from "../../src/reconciler";
import { createCostExplorerClient } from "../../src/reconciler/aws";
import { cloudWatchHandler } from "../../src/local-aws/cloudwatch";
import type { CloudWatchHandlerOptions, MetricSeries } from "../../src/local-aws/cloudwatch";
import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import type { CostExplorerHandlerOptions } from "../../src/local-aws/cost-explorer";
import { datasetFromRows } from "../../src/local-aws/datasets";
import type { DatasetRow } from "../../src/local-aws/datasets";
import { s3Handler } from "../../src/local-aws/s3";
import type { S3HandlerOptions } from "../../src/local-aws/s3";
import { startLocalAws } from "../../src/local-aws/server";
import { snsHandler } from "../../src/local-aws/sns";
import type { SnsHandlerOptions } from "../../src/local-aws/sns";

export const CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
/** A Cost Explorer query over February and half of March 2027, resource tags only. */
export const COST_QUERY: CostQuery = {
  start: "2027-02-01",
  end: "2027-03-15",
  metric: "UnblendedCost",
  tagKey: "workflow",
  principalTagKey: null,
  groupByAccount: false,
};
export const BUCKET = "ai-spend-reports";
export const TOPIC = "arn:aws:sns:us-east-1:123456789012:ai-spend-owners";
export const ENV = {
  AI_SPEND_GUARD_REPORT_BUCKET: BUCKET,
  AI_SPEND_GUARD_OWNER_TOPIC_ARN: TOPIC,
  // The account checks have their own tests (test/audit); these reconcile only.
  AI_SPEND_GUARD_ACCOUNT_CHECKS: "false",
};

const BEDROCK = "Amazon Bedrock";

/** The bill the integration tests reconcile (run date 2026-11-28). */
export function billRows(): DatasetRow[] {
  const rows: DatasetRow[] = [];
  const add = (date: string, tag: string | null, service: string, amount: string) =>
    rows.push({ date, tag, service, account: "111122223333", amount });
  for (let day = 1; day <= 27; day++) {
    const date = `2026-11-${String(day).padStart(2, "0")}`;
    // 1,000 amounts of 0.1000000001 spread over the month: sums exactly to 100.0000001.
    for (let i = 0; i < 37 + (day <= 1 ? 1 : 0); i++)
      add(date, "support-triage", BEDROCK, "0.1000000001");
    add(date, "invoice-matching", BEDROCK, "10");
    add(date, null, BEDROCK, "1");
    add(date, null, "Amazon Simple Storage Service", "5");
  }
  add("2026-11-10", "Support-Triage", BEDROCK, "12.5");
  add("2026-11-11", "invoice-matching", BEDROCK, "-20"); // a credit
  add("2026-11-20", "memo-pilot", "Claude Haiku 4.5 (Amazon Bedrock Edition)", "3.25");
  add("2026-10-15", "invoice-matching", BEDROCK, "250");
  return rows;
}

export async function localAws(
  options: {
    rows?: DatasetRow[];
    ce?: CostExplorerHandlerOptions;
    sns?: SnsHandlerOptions;
    s3?: S3HandlerOptions;
    cloudWatch?: { series?: MetricSeries[]; options?: CloudWatchHandlerOptions };
  } = {},
) {
  const sns = snsHandler(options.sns);
  const s3 = s3Handler(options.s3);
  const cloudWatch = cloudWatchHandler(
    options.cloudWatch?.series ?? [],
    options.cloudWatch?.options,
  );
  const dataset = datasetFromRows({
    name: "integration",
    tagKey: "workflow",
    estimatedFrom: "2026-11-27",
    rows: options.rows ?? billRows(),
  });
  const aws = await startLocalAws([
    costExplorerHandler(dataset, { groupsPerPage: 20, ...options.ce }),
    sns,
    s3,
    cloudWatch,
  ]);
  const common = { endpoint: aws.endpoint, region: "us-east-1", credentials: CREDENTIALS };
  const clients = {
    costExplorer: createCostExplorerClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    sns: new SNSClient(common),
    cloudWatch: new CloudWatchClient(common),
  };
  const ceRequests = () =>
    aws.requests.filter((r) => r.headers["x-amz-target"]?.startsWith("AWSInsightsIndexService."))
      .length;
  return { aws, sns, s3, cloudWatch, clients, common, ceRequests };
}
