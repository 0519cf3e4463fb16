/**
 * Outcome economics and the triggers before spend scales, end to end through the local
 * CloudWatch (GetMetricData, ListMetrics) and Cost Explorer, with the real SDK clients.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { afterEach, describe, expect, it } from "vitest";

import { cloudWatchHandler } from "../../src/local-aws/cloudwatch";
import type { CloudWatchFault, MetricSeries } from "../../src/local-aws/cloudwatch";
import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import { datasetFromRows } from "../../src/local-aws/datasets";
import type { DatasetRow } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import { composeMessages, runReconciliation } from "../../src/reconciler";
import type { Report } from "../../src/reconciler";
import {
  cloudWatchMetrics,
  costExplorerSource,
  costExplorerUsageTypes,
  createCostExplorerClient,
} from "../../src/reconciler/aws";
import { parseRegistry } from "../../src/registry";
import { CREDENTIALS } from "./aws-fixture";

const RUN = "2026-11-28";
const HAIKU = "Claude 3 Haiku (Amazon Bedrock Edition)";
const SONNET = "Claude Sonnet 4.5 (Amazon Bedrock Edition)";

const REGISTRY = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
  principalTags: false
workflows:
  support-triage:
    description: Draft replies
    owner: dana@example.com
    team: support-eng
    stage: run-rate
    reviewBy: 2026-12-05
    risk: medium
    budget: { monthly: 50000 }
    volume: { itemsPerMonth: 3000 }
    outcomes:
      metrics: { namespace: Support/Triage, accepted: Accepted, reworked: Reworked, modelDimension: ModelId }
      expected: { acceptedShare: 0.85, reworkShare: 0.10 }
    review: { reviewer: lead@example.com, team: support-ops, share: 0.2, minutesPerItem: 2, reworkMinutes: 6, hourlyRate: 60 }
    triggers:
      reviewQueue: { metric: { namespace: Support/Triage, name: QueueDepth }, max: 200, growth: 2 }
      unitPrice: 0.1
      reworkMargin: 0.05
    renewals:
      - { date: 2026-06-01, decision: renew, until: 2026-12-05, result: "First reply in 25 min", lesson: "Haiku reworks refunds", decidedBy: cfo@example.com }
`;

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

const day = (n: number) => `2026-11-${String(n).padStart(2, "0")}`;
const days = (from: number, to: number, value: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ at: day(from + i), value }));

function rows(): DatasetRow[] {
  const out: DatasetRow[] = [];
  for (let d = 1; d <= 31; d++) {
    // October: 1,000 tokens of Haiku input for 0.25 a day; November: the same tokens for 0.30.
    out.push({
      date: `2026-10-${String(d).padStart(2, "0")}`,
      account: "111122223333",
      tag: "support-triage",
      service: HAIKU,
      usageType: "USE1-Haiku-input-tokens",
      amount: "0.25",
      amounts: { UsageQuantity: "1000" },
    });
  }
  for (let d = 1; d <= 27; d++) {
    out.push({
      date: day(d),
      account: "111122223333",
      tag: "support-triage",
      service: HAIKU,
      usageType: "USE1-Haiku-input-tokens",
      amount: "0.30",
      amounts: { UsageQuantity: "1000" },
    });
    out.push({
      date: day(d),
      account: "111122223333",
      tag: "support-triage",
      service: SONNET,
      usageType: "USE1-Sonnet-input-tokens",
      amount: "2.00",
      amounts: { UsageQuantity: "1000" },
    });
  }
  return out;
}

const SERIES: MetricSeries[] = [
  // Haiku: 10 accepted, 6 reworked a day; Sonnet: 10 accepted, 0.5 reworked a day.
  {
    namespace: "Support/Triage",
    name: "Accepted",
    dimensions: { ModelId: "Claude 3 Haiku" },
    points: days(1, 27, 10),
  },
  {
    namespace: "Support/Triage",
    name: "Accepted",
    dimensions: { ModelId: "Claude Sonnet 4.5" },
    points: days(1, 27, 10),
  },
  {
    namespace: "Support/Triage",
    name: "Reworked",
    dimensions: { ModelId: "Claude 3 Haiku" },
    points: days(1, 27, 6),
  },
  {
    namespace: "Support/Triage",
    name: "Reworked",
    dimensions: { ModelId: "Claude Sonnet 4.5" },
    points: days(1, 27, 0.5),
  },
  // The queue: 80 a day the week before last, 190 last week, 240 on the last day.
  {
    namespace: "Support/Triage",
    name: "QueueDepth",
    points: [...days(14, 20, 80), ...days(21, 26, 190), { at: day(27), value: 240 }],
  },
];

async function reconcile(
  options: { fault?: (n: number) => CloudWatchFault | undefined } = {},
): Promise<Report> {
  const dataset = datasetFromRows({ name: "outcomes", tagKey: "workflow", rows: rows() });
  aws = await startLocalAws([
    cloudWatchHandler(SERIES, { fault: options.fault }),
    costExplorerHandler(dataset),
  ]);
  const ce = createCostExplorerClient({ endpoint: aws.endpoint, credentials: CREDENTIALS });
  const cloudwatch = new CloudWatchClient({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  return runReconciliation({
    registry: parseRegistry(REGISTRY, "workflows.yaml"),
    source: costExplorerSource(ce, { sleep: async () => undefined, random: () => 0.5 }),
    metrics: cloudWatchMetrics(cloudwatch),
    usageTypes: costExplorerUsageTypes(ce, { random: () => 0 }),
    runDate: RUN,
    now: () => new Date(`${RUN}T06:00:00Z`),
  });
}

describe("outcomes and triggers through CloudWatch and Cost Explorer", () => {
  it("measures outcomes per model and finds the cheap model that is dearer per accepted outcome", async () => {
    const report = await reconcile();
    const w = report.workflows[0]!;
    expect(w.outcomes).toMatchObject({
      basis: "measured",
      basisReason: null,
      accepted: 540,
      reworked: 175.5,
      escalated: 0,
    });
    const haiku = w.models.find((m) => m.model === "Claude 3 Haiku")!;
    const sonnet = w.models.find((m) => m.model === "Claude Sonnet 4.5")!;
    expect(haiku).toMatchObject({ spend: 8.1, accepted: 270, reworked: 162 });
    expect(sonnet).toMatchObject({ spend: 54, accepted: 270, reworked: 13.5 });
    const haikuCost = "costPerAccepted" in haiku ? haiku.costPerAccepted! : NaN;
    const sonnetCost = "costPerAccepted" in sonnet ? sonnet.costPerAccepted! : NaN;
    expect(haikuCost).toBeGreaterThan(sonnetCost);
    const finding = w.flags.find((f) => f.kind === "cheap-model-dearer");
    expect(finding?.message).toContain("Claude 3 Haiku has the lowest model cost per output");
    expect(finding?.message).toContain(
      "Claude Sonnet 4.5 has the lowest cost per accepted outcome",
    );
  });

  it("raises review-queue (to owner and reviewer), rework-rate, unit-price-change and renewal-due", async () => {
    const report = await reconcile();
    const flags = report.workflows[0]!.flags;
    const kinds = flags.map((f) => f.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["review-queue", "rework-rate", "unit-price-change", "renewal-due"]),
    );
    const queue = flags.filter((f) => f.kind === "review-queue");
    expect(queue.map((f) => f.message)).toEqual([
      expect.stringContaining("reached 240 on 2026-11-27, above its limit of 200"),
      expect.stringContaining(
        "averaged 197.1 a day over the last 7 days, 2.5x the 7 days before (80)",
      ),
    ]);
    expect(queue[0]?.alsoTo).toEqual(["lead@example.com"]);
    expect(flags.find((f) => f.kind === "rework-rate")?.message).toContain(
      "25% of its outputs were reworked this month (175.5 of 715.5), against the 10% the registry expects",
    );
    expect(flags.find((f) => f.kind === "unit-price-change")?.message).toContain(
      '"USE1-Haiku-input-tokens" went up 20%',
    );
    expect(flags.find((f) => f.kind === "unit-price-change")?.message).not.toContain("Sonnet");
    expect(flags.find((f) => f.kind === "renewal-due")?.message).toContain(
      "Its review date 2026-12-05 is in 7 day(s)",
    );
    // The unit-price query is one more billable request, counted.
    expect(report.ceRequests).toBe(2);
    // The reviewer hears of the queue in a message of their own.
    const messages = composeMessages(report, parseRegistry(REGISTRY, "workflows.yaml"));
    const reviewer = messages.find((m) => m.recipient === "lead@example.com");
    expect(reviewer?.kind).toBe("reviewer-alert");
    expect(reviewer?.body.replace(/\s+/g, " ")).toContain("above its limit of 200");
  });

  it("falls back to the expected shares when CloudWatch refuses, and says why", async () => {
    const report = await reconcile({
      fault: () => ({ status: 400, code: "AccessDenied", message: "not allowed" }),
    });
    const w = report.workflows[0]!;
    expect(w.outcomes?.basis).toBe("estimated");
    expect(w.outcomes?.basisReason).toContain("not allowed");
    expect(w.outcomes?.accepted).toBe(2295); // 3,000 x 27/30 x 0.85
    expect(w.flags.filter((f) => f.kind === "review-queue").map((f) => f.message)).toEqual([
      expect.stringContaining("could not be read"),
    ]);
    expect(w.flags.map((f) => f.kind)).not.toContain("rework-rate");
  });
});
