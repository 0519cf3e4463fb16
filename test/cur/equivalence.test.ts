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
import { curLinesOf, equivalenceRows } from "./bill-lines";
import { scratchDir } from "./fixtures";

const RUN_DATE = "2026-11-28";
const credentials = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
let scratch: ReturnType<typeof scratchDir>;
let aws: LocalAws;
let closeAthena: () => void;

beforeAll(async () => {
  scratch = scratchDir();
  await writeCurExport(scratch.dir, curLinesOf(equivalenceRows()), { filesPerPeriod: 3 });
  const athena = await athenaHandler({
    tables: [{ database: "cur", table: "cur2", dir: scratch.dir }],
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

function athenaEngine(pageSize = 1000): AthenaCurEngine {
  return new AthenaCurEngine({
    client: new AthenaClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
    }),
    database: "cur",
    table: "cur2",
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
