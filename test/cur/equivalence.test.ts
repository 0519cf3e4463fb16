/**
 * One line-level bill served twice: as Cost Explorer responses (the local Cost Explorer, the real
 * SDK client, `costExplorerSource`) and as a CUR 2.0 export (Parquet, read by DuckDB, and by the
 * local Athena through the real AthenaClient). The reports agree on spend, attribution, unowned
 * and unregistered spend: the one attribution rule, applied by both sources.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { athenaHandler } from "../../src/local-aws/athena";
import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import { writeCurExport } from "../../src/local-aws/cur-export";
import { datasetFromRows } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import { curCostSource, runReconciliation } from "../../src/reconciler";
import type { CostSource, Report } from "../../src/reconciler";
import {
  AthenaCurEngine,
  costExplorerSource,
  createCostExplorerClient,
} from "../../src/reconciler/aws";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";
import { testRegistry } from "../reconciler/fixtures";
import { curLinesOf, equivalenceRows, priceChangeRows } from "./bill-lines";
import type { CurLine } from "../../src/local-aws/cur-export";
import { costExplorerUsageTypes } from "../../src/reconciler/aws";
import { spendRouteItems } from "../../src/audit";
import { printable } from "../../src/util/printable";
import { REGISTRY_TEXT } from "../reconciler/fixtures";
import { scratchDir } from "./fixtures";

const GATEWAY = "arn:aws:sts::111122223333:assumed-role/ai-gateway/s1";
const OPS = "arn:aws:iam::111122223333:user/\u001b[31mops";
const ENDPOINT = "arn:aws:sagemaker:us-east-1:111122223333:endpoint/triage-eval";
const rankedLine = (day: number, extra: Partial<CurLine>): CurLine => ({
  usageStart: `2026-11-${String(day).padStart(2, "0")}`,
  productCode: "AmazonBedrock",
  productName: "Amazon Bedrock",
  usageType: "USE1-Nova2.0Lite-input-tokens",
  pricingUnit: "1K tokens",
  usageAmount: "10",
  unblendedCost: "1",
  ...extra,
});

/** Unowned AI spend with callers and resources to rank, and lines that must not be ranked. */
const RANKED_LINES: readonly CurLine[] = [
  // Last month has a period folder too (the query reads both months).
  rankedLine(4, { usageStart: "2026-10-04", resourceTags: { user_workflow: "support-triage" } }),
  // The untagged gateway role, two days: 2 + 3; an untagged user with a control sequence.
  rankedLine(2, { iamPrincipal: GATEWAY, unblendedCost: "2" }),
  rankedLine(3, { iamPrincipal: GATEWAY, unblendedCost: "3" }),
  rankedLine(3, { iamPrincipal: OPS, unblendedCost: "0.5" }),
  // An untagged endpoint: no caller, a resource id.
  rankedLine(4, {
    productCode: "AmazonSageMaker",
    productName: "Amazon SageMaker",
    usageType: "USE1-Host:ml.g5.xlarge",
    pricingUnit: "Hrs",
    resourceId: ENDPOINT,
    unblendedCost: "7.25",
  }),
  // Not unowned AI spend, so in neither ranking: a tagged line, an untagged S3 bucket.
  rankedLine(4, {
    iamPrincipal: GATEWAY,
    resourceId: "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x",
    resourceTags: { user_workflow: "support-triage" },
    unblendedCost: "40",
  }),
  rankedLine(5, {
    productCode: "AmazonS3",
    productName: "Amazon Simple Storage Service",
    usageType: "USE1-TimedStorage-ByteHrs",
    pricingUnit: "GB-Mo",
    resourceId: "logs-bucket",
    iamPrincipal: GATEWAY,
    unblendedCost: "9",
  }),
];

const RUN_DATE = "2026-11-28";
const credentials = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
let scratch: ReturnType<typeof scratchDir>;
let ranked: ReturnType<typeof scratchDir>;
let aws: LocalAws;
let closeAthena: () => void;

beforeAll(async () => {
  scratch = scratchDir();
  ranked = scratchDir();
  await writeCurExport(scratch.dir, curLinesOf(equivalenceRows()), { filesPerPeriod: 3 });
  await writeCurExport(ranked.dir, RANKED_LINES);
  const athena = await athenaHandler({
    tables: [
      { database: "cur", table: "cur2", dir: scratch.dir },
      { database: "cur", table: "ranked", dir: ranked.dir },
    ],
  });
  closeAthena = athena.close;
  aws = await startLocalAws([
    costExplorerHandler(
      datasetFromRows({ name: "equivalence", tagKey: "workflow", rows: equivalenceRows() }),
      { groupsPerPage: 7 },
    ),
    athena.handler,
  ]);
});
afterAll(async () => {
  await aws.close();
  closeAthena();
  scratch.remove();
  ranked.remove();
});

const reconcile = (source: CostSource): Promise<Report> =>
  runReconciliation({
    registry: testRegistry(),
    source,
    runDate: RUN_DATE,
    now: () => new Date(`${RUN_DATE}T06:00:00Z`),
  });

/** What both sources must agree on. */
const shared = (report: Report) => ({
  period: report.period,
  totals: report.totals,
  attribution: report.attribution,
  unowned: report.unowned,
  unregistered: report.unregistered,
  workflows: report.workflows.map((w) => ({
    id: w.id,
    spend: w.spend,
    spendByService: w.spendByService,
    attribution: w.attribution,
    daily: w.daily,
    lastMonthSpend: w.lastMonthSpend,
    projectedSpend: w.projectedSpend,
    flags: w.flags,
  })),
  flags: report.flags,
});

async function fromCostExplorer(): Promise<Report> {
  const client = createCostExplorerClient({ endpoint: aws.endpoint, credentials });
  return reconcile(costExplorerSource(client, { sleep: async () => undefined }));
}

async function fromDuckDb(): Promise<Report> {
  const engine = await DuckDbCurEngine.open(scratch.dir);
  try {
    return await reconcile(curCostSource(engine));
  } finally {
    engine.close();
  }
}

function athenaEngine(pageSize = 1000, table = "cur2"): AthenaCurEngine {
  return new AthenaCurEngine({
    client: new AthenaClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
    }),
    database: "cur",
    table,
    workGroup: "primary",
    outputLocation: "s3://results/athena/",
    firstPollMs: 1,
    maxPollMs: 4,
    pageSize,
  });
}

describe("Cost Explorer and CUR give the same report for the same lines", () => {
  it("DuckDB over the Parquet export: the same spend, attribution, unowned and unregistered", async () => {
    const ce = await fromCostExplorer();
    const cur = await fromDuckDb();
    expect(shared(cur)).toEqual(shared(ce));
    // The bill has every case: make sure the comparison is not of empty reports.
    expect(ce.unowned.spend).toBeGreaterThan(0);
    expect(ce.unregistered.map((u) => [u.value, u.route])).toEqual(
      expect.arrayContaining([
        ["Support-Triage", "resourceTag"],
        ["shadow-experiment", "principalTag"],
      ]),
    );
    expect(ce.unregistered.map((u) => u.value)).not.toContain("data-lake");
    expect(ce.attribution.conflicts).toEqual([
      { resourceTag: "support-triage", principalTag: "invoice-matching", spend: 4.4 },
    ]);
    expect(ce.attribution.principalTag).toBeGreaterThan(0);
    // Where they differ, by contract: the source, the requests, the query, the models.
    expect(ce).toMatchObject({ source: "cost-explorer" });
    expect(ce.ceRequests).toBeGreaterThan(0);
    expect(cur).toMatchObject({ source: "cur", engine: "duckdb", ceRequests: 0 });
  });

  it("Athena (local, executing on DuckDB) through the real client, results on many pages", async () => {
    const ce = await fromCostExplorer();
    const report = await reconcile(curCostSource(athenaEngine(10)));
    expect(shared(report)).toEqual(shared(ce));
    if (report.source !== "cur") throw new Error("expected a CUR report");
    expect(report.engine).toBe("athena");
    expect(report.query.engine).toBe("athena");
    expect(report.query.bytesScanned).toBeGreaterThan(0);
    // Under 10 MB scanned: Athena bills its 10 MB minimum, USD 5 per TB.
    expect(report.query.cost).toBeCloseTo((10 * 2 ** 20 * 5) / 2 ** 40, 12);
    const duck = await fromDuckDb();
    if (duck.source !== "cur") throw new Error("expected a CUR report");
    expect(report.workflows.map((w) => w.models)).toEqual(duck.workflows.map((w) => w.models));
    expect(report.query.bytesScanned).toBe(duck.query.bytesScanned);
  });

  it("the models per workflow: Marketplace names without the edition suffix, by spend", async () => {
    const cur = await fromDuckDb();
    const invoices = cur.workflows.find((w) => w.id === "invoice-matching")!;
    // 27 days of 7.5 (caller's tag) + 1.125 (both tags), and the -20 credit.
    expect(invoices.models).toEqual([
      {
        model: "Claude Sonnet 4.5",
        spend: 212.875,
        inputTokens: 27 * 2 * 10_000,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costPerMillionTokens: 394.212963,
      },
    ]);
    const triage = cur.workflows.find((w) => w.id === "support-triage")!;
    expect(triage.models!.map((m) => m.model)).toEqual(["Nova2.0Lite", "Claude Sonnet 4.5"]);
  });
});

describe("the unit-price trigger: the same price change, the same flag, from either source", () => {
  let prices: ReturnType<typeof scratchDir>;
  let ceAws: LocalAws;
  const registry = () =>
    testRegistry(
      REGISTRY_TEXT.replace(
        "    triggers: { growth: 2.0 }\n",
        "    triggers: { growth: 2.0, unitPrice: 0.1 }\n",
      ),
    );
  beforeAll(async () => {
    prices = scratchDir();
    await writeCurExport(prices.dir, curLinesOf(priceChangeRows()));
    ceAws = await startLocalAws([
      costExplorerHandler(
        datasetFromRows({ name: "prices", tagKey: "workflow", rows: priceChangeRows() }),
      ),
    ]);
  });
  afterAll(async () => {
    await ceAws.close();
    prices.remove();
  });

  const unitPriceFlags = (report: Report) =>
    report.workflows.flatMap((w) =>
      w.flags.filter((f) => f.kind === "unit-price-change").map((f) => [w.id, f.message]),
    );

  it("Cost Explorer (its usage-type query) and CUR Parquet on DuckDB (its rows) agree", async () => {
    const client = createCostExplorerClient({ endpoint: ceAws.endpoint, credentials });
    const base = {
      registry: registry(),
      runDate: RUN_DATE,
      now: () => new Date(`${RUN_DATE}T06:00:00Z`),
    };
    const ce = await runReconciliation({
      ...base,
      source: costExplorerSource(client, { sleep: async () => undefined }),
      usageTypes: costExplorerUsageTypes(client, { random: () => 0 }),
    });
    const engine = await DuckDbCurEngine.open(prices.dir);
    let cur: Report;
    try {
      // Offered the Cost Explorer query too: a line-level source must not use it.
      cur = await runReconciliation({
        ...base,
        source: curCostSource(engine),
        usageTypes: costExplorerUsageTypes(
          createCostExplorerClient({ endpoint: "http://127.0.0.1:9", credentials }),
        ),
      });
    } finally {
      engine.close();
    }
    expect(unitPriceFlags(ce)).toEqual([
      [
        "support-triage",
        'The unit cost of "USE1-Nova2.0Lite-input-tokens" went up 25% since last month (0.002 USD to 0.0025 USD per unit), at or past its 10% trigger: rerun the workflow\'s cost case with the new price.',
      ],
    ]);
    expect(unitPriceFlags(cur)).toEqual(unitPriceFlags(ce));
    expect(cur.ceRequests).toBe(0);
  });
});

describe("what only CUR can tell: unowned AI spend by caller and by resource", () => {
  const rankings = (report: Report) => {
    if (report.source !== "cur") throw new Error("expected a CUR report");
    return { spend: report.unowned.spend, ...report.unownedBy };
  };

  it("DuckDB and Athena rank the same callers and resources, largest first", async () => {
    const engine = await DuckDbCurEngine.open(ranked.dir);
    let duck: Report;
    try {
      duck = await reconcile(curCostSource(engine));
    } finally {
      engine.close();
    }
    expect(rankings(duck)).toEqual({
      spend: 12.75,
      principals: [
        { principal: GATEWAY, spend: 5 },
        { principal: OPS, spend: 0.5 },
      ],
      principalsRest: { count: 0, spend: 0 },
      withoutPrincipal: 7.25,
      resources: [{ resourceId: ENDPOINT, service: "Amazon SageMaker", spend: 7.25 }],
      resourcesRest: { count: 0, spend: 0 },
      withoutResource: 5.5,
    });
    const athena = await reconcile(curCostSource(athenaEngine(1000, "ranked")));
    expect(rankings(athena)).toEqual(rankings(duck));
    // The doctor ranks from the report, the caller's control sequence escaped.
    const [item] = spendRouteItems(duck, testRegistry());
    expect(item!.message).toContain(
      `Unowned by caller: ${GATEWAY} 5.00 USD, ${printable(OPS)} 0.50 USD (7.25 USD on lines naming no caller)`,
    );
    expect(item!.message).not.toContain("\u001b");
    expect(item!.message).toContain(`by resource: ${ENDPOINT} (Amazon SageMaker) 7.25 USD`);
  });
});
