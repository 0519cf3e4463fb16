/**
 * The CUR cost source over an in-memory engine (the port, not DuckDB): the attribution rule per
 * line, the per-model economics, the unknown usage types, and the report's CUR fields.
 */
import { describe, expect, it } from "vitest";

import { curCostSource, runReconciliation } from "../../src/reconciler";
import { costRowOf, lineUsage } from "../../src/reconciler/cur";
import { createAggregator, periodFor, UNOWNED_RANKED } from "../../src/reconciler";
import { assertRenderable } from "../../src/report/validate";
import type { CurEngine, CurQueryStats, Report } from "../../src/reconciler";
import type { CurQuery } from "../../src/reconciler/cur/query";
import { parseCurRow } from "../../src/reconciler/cur/rows";
import type { CurCells, CurRow } from "../../src/reconciler/cur/rows";
import { fromNumber } from "../../src/util/decimal";
import { memorySource, REGISTRY_TEXT, row, testRegistry } from "./fixtures";

const RUN_DATE = "2026-05-20";
let number = 0;

function line(cells: Partial<CurCells>): CurRow {
  number += 1;
  return parseCurRow(
    {
      usage_date: "2026-05-04",
      resource_workflow: null,
      principal_workflow: null,
      unattributed_principal: null,
      unattributed_resource: null,
      product_name: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
      product_code: "prod-abc123",
      usage_type: "USE1-MP:USE1_InputTokenCount-Units",
      pricing_unit: "1K tokens",
      line_item_type: "Usage",
      currency: "USD",
      cost: "1",
      usage_amount: "100",
      line_items: "1",
      ...cells,
    },
    number,
  );
}

const STATS: CurQueryStats = {
  engine: "athena",
  bytesScanned: 123_456,
  cost: fromNumber(0.00005),
  files: 0,
  sql: "SELECT 1",
};

/** A CurEngine over fixed rows; records the queries it ran. */
function memoryEngine(rows: readonly CurRow[]): CurEngine & { queries: CurQuery[] } {
  const queries: CurQuery[] = [];
  return {
    name: "athena",
    queries,
    run: (query) => {
      queries.push(query);
      return Promise.resolve({ rows, stats: STATS });
    },
  };
}

const ROWS = [
  // support-triage by resource tag: Claude input and output, Nova cache reads.
  line({ resource_workflow: "support-triage", cost: "3", usage_amount: "1000" }),
  line({
    resource_workflow: "support-triage",
    usage_type: "USE1-MP:USE1_OutputTokenCount-Units",
    cost: "6",
    usage_amount: "400",
  }),
  line({
    resource_workflow: "support-triage",
    product_name: "Amazon Bedrock",
    product_code: "AmazonBedrock",
    usage_type: "USE1-Nova2.0Lite-cache-read-input-token-count",
    pricing_unit: "1M tokens",
    cost: "0.5",
    usage_amount: "2",
  }),
  // invoice-matching by the caller's tag only; a credit on the same model.
  line({ principal_workflow: "invoice-matching", cost: "2", usage_amount: "500" }),
  line({
    principal_workflow: "invoice-matching",
    line_item_type: "Credit",
    cost: "-0.5",
    usage_amount: "0",
  }),
  // A conflict: support-triage's resource, invoice-matching's caller: counted under the resource.
  line({
    resource_workflow: "support-triage",
    principal_workflow: "invoice-matching",
    usage_type: "USE1-MP:USE1_CacheWriteInputTokenCount-Units",
    cost: "1.25",
    usage_amount: "100",
  }),
  // Neither tag: unowned; a usage type nobody knows, on Bedrock.
  line({ usage_type: "USE1-MP:USE1_Mystery_tokens-Units", cost: "4", line_items: "3" }),
  // A misspelt resource tag: unregistered.
  line({ resource_workflow: "Support-Triage", cost: "0.75" }),
  // Lambda of support-triage: its spend, but not a model.
  line({
    resource_workflow: "support-triage",
    product_name: "AWS Lambda",
    product_code: "AWSLambda",
    usage_type: "USE1-Lambda-GB-Second",
    pricing_unit: "Lambda-GB-Second",
    cost: "0.2",
  }),
  // Last month: spend, but not this month's models.
  line({ usage_date: "2026-04-10", resource_workflow: "support-triage", cost: "9" }),
];

async function curReport(
  rows: readonly CurRow[] = ROWS,
  registryText?: string,
): Promise<Extract<Report, { source: "cur" }>> {
  const report = await runReconciliation({
    registry: testRegistry(registryText),
    source: curCostSource(memoryEngine(rows), { pageRows: 3 }),
    runDate: RUN_DATE,
    now: () => new Date("2026-05-20T06:00:00Z"),
  });
  if (report.source !== "cur") throw new Error("expected a CUR report");
  return report;
}

describe("the CUR cost source", () => {
  it("applies the attribution rule per line: resource tag, else principal tag, else unowned", async () => {
    const report = await curReport();
    const byId = Object.fromEntries(report.workflows.map((w) => [w.id, w]));
    expect(byId["support-triage"]!.spend).toBe(10.95);
    expect(byId["support-triage"]!.attribution).toEqual({ resourceTag: 10.95, principalTag: 0 });
    expect(byId["support-triage"]!.lastMonthSpend).toBe(9);
    expect(byId["invoice-matching"]!.spend).toBe(1.5);
    expect(byId["invoice-matching"]!.attribution).toEqual({ resourceTag: 0, principalTag: 1.5 });
    expect(report.unowned).toMatchObject({
      spend: 4,
      byService: { "Claude Sonnet 4.5 (Amazon Bedrock Edition)": 4 },
    });
    expect(report.unregistered).toMatchObject([
      { value: "Support-Triage", spend: 0.75, suggestion: "support-triage", caseOnly: true },
    ]);
    expect(report.attribution.conflicts).toEqual([
      { resourceTag: "support-triage", principalTag: "invoice-matching", spend: 1.25 },
    ]);
  });

  it("reports the CUR contract: source, engine, no Cost Explorer requests, the query", async () => {
    const report = await curReport();
    expect(report).toMatchObject({
      source: "cur",
      engine: "athena",
      ceRequests: 0,
      query: { engine: "athena", bytesScanned: 123_456, cost: 0.00005 },
    });
  });

  it("sums spend and tokens per model per workflow, largest spend first", async () => {
    const report = await curReport();
    const triage = report.workflows.find((w) => w.id === "support-triage")!;
    expect(triage.models).toEqual([
      {
        model: "Claude Sonnet 4.5",
        spend: 10.25,
        inputTokens: 1_000_000,
        outputTokens: 400_000,
        cacheReadTokens: 0,
        cacheWriteTokens: 100_000,
        costPerMillionTokens: 6.833333,
      },
      {
        model: "Nova2.0Lite",
        spend: 0.5,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 2_000_000,
        cacheWriteTokens: 0,
        costPerMillionTokens: 0.25,
      },
    ]);
    const invoices = report.workflows.find((w) => w.id === "invoice-matching")!;
    // The credit is on the model's line: it lowers the model's spend, not its tokens.
    expect(invoices.models).toEqual([
      expect.objectContaining({ model: "Claude Sonnet 4.5", spend: 1.5, inputTokens: 500_000 }),
    ]);
    expect(report.workflows.find((w) => w.id === "quiet-one")!.models).toEqual([]);
  });

  it("a model with no tokens (credits only) has no cost per million tokens", async () => {
    const report = await curReport([
      line({
        resource_workflow: "memo-pilot",
        line_item_type: "Credit",
        cost: "-1",
        usage_amount: "0",
      }),
    ]);
    const memo = report.workflows.find((w) => w.id === "memo-pilot")!;
    expect(memo.models).toEqual([
      expect.objectContaining({ spend: -1, inputTokens: 0, costPerMillionTokens: null }),
    ]);
  });

  it("counts and names the Bedrock usage types it cannot read, never guessing", async () => {
    const report = await curReport([
      ...ROWS,
      line({
        resource_workflow: "support-triage",
        product_name: "Amazon Bedrock",
        product_code: "AmazonBedrock",
        usage_type: "USE1-Nova2.0Lite-input-tokens",
        pricing_unit: "Images",
        cost: "0.1",
      }),
    ]);
    expect(report.unknownUsageTypes).toEqual([
      {
        usageType: "USE1-MP:USE1_Mystery_tokens-Units",
        service: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
        reason: expect.stringMatching(/token class not understood/),
        lineItems: 3,
        spend: 4,
      },
      {
        usageType: "USE1-Nova2.0Lite-input-tokens",
        service: "Amazon Bedrock",
        reason: expect.stringMatching(/"Images" is not a token unit/),
        lineItems: 1,
        spend: 0.1,
      },
    ]);
    // Neither is booked to a model.
    const triage = report.workflows.find((w) => w.id === "support-triage")!;
    expect(triage.models!.find((m) => m.model === "Nova2.0Lite")!.spend).toBe(0.5);
  });

  it("with the principal route off, a caller's tag attributes nothing", async () => {
    const report = await curReport(
      ROWS,
      REGISTRY_TEXT.replace("settings:\n", "settings:\n  principalTags: false\n"),
    );
    expect(report.workflows.find((w) => w.id === "invoice-matching")!.spend).toBe(0);
    expect(report.unowned.spend).toBe(5.5);
    expect(report.attribution.conflicts).toEqual([]);
  });

  it("asks the engine for the report's days and metric, in the periods they fall in", async () => {
    const engine = memoryEngine([]);
    await runReconciliation({
      registry: testRegistry(),
      source: curCostSource(engine),
      runDate: RUN_DATE,
      metric: "NetUnblendedCost",
    });
    expect(engine.queries).toMatchObject([
      {
        start: "2026-04-01",
        end: "2026-05-20",
        periods: ["2026-04", "2026-05"],
        costColumn: "line_item_net_unblended_cost",
        resourceTagKey: "user_workflow",
        principalTagKey: "iamPrincipal/workflow",
      },
    ]);
  });

  it("refuses AmortizedCost with the reason, and the account grouping", async () => {
    const source = curCostSource(memoryEngine(ROWS));
    const base = { registry: testRegistry(), source, runDate: RUN_DATE };
    await expect(runReconciliation({ ...base, metric: "AmortizedCost" })).rejects.toThrow(
      /AmortizedCost is not one CUR column/,
    );
    await expect(runReconciliation({ ...base, groupByAccount: true })).rejects.toThrow(
      /does not group by linked account/,
    );
    expect(() => curCostSource(memoryEngine([]), { pageRows: 0 })).toThrow(/pageRows/);
  });

  it("a Cost Explorer report has no engine or query, and models only from Marketplace names", async () => {
    const report = await runReconciliation({
      registry: testRegistry(),
      source: memorySource([
        row("2026-05-04", "support-triage", "Amazon Bedrock", "2"),
        row("2026-05-04", "support-triage", "Claude 3 Haiku (Amazon Bedrock Edition)", "3"),
      ]),
      runDate: RUN_DATE,
    });
    expect(report.source).toBe("cost-explorer");
    expect(Object.keys(report)).not.toContain("engine");
    expect(Object.keys(report)).not.toContain("query");
    expect(Object.keys(report)).not.toContain("unknownUsageTypes");
    // First-party Bedrock is one SERVICE: Cost Explorer cannot split it by model, nor count tokens.
    expect(report.workflows[0]!.models).toEqual([
      {
        model: "Claude 3 Haiku",
        spend: 3,
        inputTokens: null,
        outputTokens: null,
        cacheReadTokens: null,
        cacheWriteTokens: null,
        costPerMillionTokens: null,
      },
    ]);
  });

  it("lineUsage leaves non-Bedrock lines alone", () => {
    expect(
      lineUsage(line({ product_name: "AWS Lambda", usage_type: "USE1-Lambda-GB-Second" })),
    ).toBeUndefined();
    expect(
      lineUsage(line({ product_name: "Amazon SageMaker", usage_type: "USE1-Host:ml.g5.xlarge" })),
    ).toBeUndefined();
  });
});

describe("the CUR cost source feeds the unit-price trigger from its own rows", () => {
  const UNIT_PRICE = REGISTRY_TEXT.replace(
    "    triggers: { growth: 2.0 }\n",
    "    triggers: { growth: 2.0, unitPrice: 0.1 }\n",
  );
  const NOVA = {
    product_name: "Amazon Bedrock",
    product_code: "AmazonBedrock",
    usage_type: "USE1-Nova2.0Lite-input-tokens",
    pricing_unit: "1K tokens",
  };
  // April: 2 + 1 for 1,000 + 500 units (0.002 a unit); May: 1.25 for 500 units (0.0025, +25%).
  const rows = [
    line({
      ...NOVA,
      usage_date: "2026-04-03",
      resource_workflow: "support-triage",
      cost: "2",
      usage_amount: "1000",
    }),
    // The caller's tag attributes too: the rule chose support-triage, so it counts.
    line({
      ...NOVA,
      usage_date: "2026-04-09",
      principal_workflow: "support-triage",
      cost: "1",
      usage_amount: "500",
    }),
    line({
      ...NOVA,
      usage_date: "2026-05-06",
      resource_workflow: "support-triage",
      cost: "1.25",
      usage_amount: "500",
    }),
    // Unowned and unregistered lines are no workflow's prices.
    line({ ...NOVA, usage_date: "2026-05-06", cost: "9", usage_amount: "1" }),
    line({
      ...NOVA,
      usage_date: "2026-05-06",
      resource_workflow: "Support-Triage",
      cost: "9",
      usage_amount: "1",
    }),
  ];

  it("derives cost and usage per workflow, usage type and month, by the attribution rule", () => {
    const aggregator = createAggregator({
      workflowIds: ["support-triage", "invoice-matching"],
      currency: "USD",
      period: periodFor(RUN_DATE),
    });
    aggregator.add(rows.map((r) => costRowOf(r, true)));
    aggregator.add(ROWS.map((r) => costRowOf(r, true)));
    const months = aggregator.finish().usageTypes;
    expect(months.filter((m) => m.usageType === NOVA.usage_type)).toEqual([
      {
        workflowId: "support-triage",
        usageType: NOVA.usage_type,
        month: "2026-04-01",
        cost: "3",
        usage: "1500",
      },
      {
        workflowId: "support-triage",
        usageType: NOVA.usage_type,
        month: "2026-05-01",
        cost: "1.25",
        usage: "500",
      },
    ]);
    // The credit line's usage is summed with its cost (a zero usage), under the caller's workflow.
    expect(months).toContainEqual({
      workflowId: "invoice-matching",
      usageType: "USE1-MP:USE1_InputTokenCount-Units",
      month: "2026-05-01",
      cost: "1.5",
      usage: "500",
    });
    expect(months.map((m) => m.workflowId)).not.toContain("Support-Triage");
  });

  it("raises unit-price-change with no usage-type query, even when one is offered", async () => {
    let asked = 0;
    const report = await runReconciliation({
      registry: testRegistry(UNIT_PRICE),
      source: curCostSource(memoryEngine(rows)),
      runDate: RUN_DATE,
      usageTypes: {
        name: "never",
        fetch: () => {
          asked += 1;
          return Promise.reject(new Error("a line-level source must not ask"));
        },
      },
    });
    expect(asked).toBe(0);
    expect(report.ceRequests).toBe(0);
    const flags = report.workflows.find((w) => w.id === "support-triage")!.flags;
    expect(flags.filter((f) => f.kind === "unit-price-change")).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`"${NOVA.usage_type}" went up 25%`),
      }),
    ]);
  });
});

describe("a CUR report ranks the unowned AI spend by caller and by resource", () => {
  const ROLE = (n: number) => `arn:aws:sts::111122223333:assumed-role/r${n}/s`;

  it("largest first, capped, the rest and the spend naming neither stated, footing to spend", async () => {
    const rows = [
      ...Array.from({ length: UNOWNED_RANKED + 3 }, (_, i) =>
        line({ unattributed_principal: ROLE(i), cost: String(i + 1) }),
      ),
      line({ unattributed_principal: ROLE(0), cost: "100" }),
      line({
        product_name: "Amazon SageMaker",
        product_code: "AmazonSageMaker",
        usage_type: "USE1-Host:ml.g5.xlarge",
        pricing_unit: "Hrs",
        unattributed_resource: "arn:aws:sagemaker:us-east-1:111122223333:endpoint/e1",
        cost: "7",
      }),
      // Tagged lines are not unowned, whatever they name.
      line({ resource_workflow: "support-triage", cost: "50" }),
    ];
    const report = await curReport(rows);
    const by = report.unownedBy;
    expect(by.principals).toHaveLength(UNOWNED_RANKED);
    expect(by.principals[0]).toEqual({ principal: ROLE(0), spend: 101 });
    expect(by.principals[1]).toEqual({ principal: ROLE(UNOWNED_RANKED + 2), spend: 23 });
    // Left out: the three smallest, 2 + 3 + 4.
    expect(by.principalsRest).toEqual({ count: 3, spend: 9 });
    expect(by.withoutPrincipal).toBe(7);
    expect(by.resources).toEqual([
      {
        resourceId: "arn:aws:sagemaker:us-east-1:111122223333:endpoint/e1",
        service: "Amazon SageMaker",
        spend: 7,
      },
    ]);
    expect(by.resourcesRest).toEqual({ count: 0, spend: 0 });
    expect(by.withoutResource).toBe(report.unowned.spend - 7);
    const ranked = by.principals.reduce((so, p) => so + p.spend, 0);
    expect(ranked + by.principalsRest.spend + by.withoutPrincipal).toBe(report.unowned.spend);
    // unowned itself is the same shape as from Cost Explorer.
    expect(Object.keys(report.unowned).sort()).toEqual(["byService", "spend"]);
    expect(() => assertRenderable(report)).not.toThrow();
    expect(() =>
      assertRenderable({ ...report, unownedBy: { ...by, withoutPrincipal: 0 } }),
    ).toThrow(/unownedBy\.principals: .* not unowned\.spend/);
  });

  it("a Cost Explorer report has no such rankings, and may not claim any", async () => {
    const report = await runReconciliation({
      registry: testRegistry(),
      source: memorySource([row("2026-05-04", null, "Amazon Bedrock", "2")]),
      runDate: RUN_DATE,
    });
    expect(report.unowned).toEqual({ spend: 2, byService: { "Amazon Bedrock": 2 } });
    expect(() => assertRenderable({ ...report, unownedBy: {} } as Report)).toThrow(
      /Cost Explorer report has no unowned spend by caller/,
    );
  });
});
