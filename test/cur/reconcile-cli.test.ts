/**
 * `ai-spend-guard reconcile` on CUR: `--cur DIR`, `--cur s3://...` and `--athena-table`, against
 * the local AWS (Cost Explorer, S3, Athena, CloudWatch on one endpoint), with the usage errors
 * and the bad inputs of a real export.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { run } from "../../src/cli/main";
import { athenaHandler } from "../../src/local-aws/athena";
import { cloudWatchHandler } from "../../src/local-aws/cloudwatch";
import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import { writeCurExport } from "../../src/local-aws/cur-export";
import { datasetFromRows } from "../../src/local-aws/datasets";
import { s3Handler } from "../../src/local-aws/s3";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import type { Report } from "../../src/reconciler";
import { memoryIo } from "../helpers/io";
import { REGISTRY_TEXT } from "../reconciler/fixtures";
import { curLinesOf, equivalenceRows } from "./bill-lines";
import { scratchDir } from "./fixtures";

const BUCKET = "cur-bucket";
const ROOT = "exports/ai-spend-cur";
let scratch: ReturnType<typeof scratchDir>;
let exportDir: string;
let aws: LocalAws;
let closeAthena: () => void;

beforeAll(async () => {
  scratch = scratchDir();
  writeFileSync(join(scratch.dir, "workflows.yaml"), REGISTRY_TEXT);
  exportDir = join(scratch.dir, "export");
  await writeCurExport(exportDir, curLinesOf(equivalenceRows()), {
    s3Prefix: `s3://${BUCKET}/exports`,
  });
  const s3 = s3Handler();
  for (const file of walk(exportDir))
    s3.put(BUCKET, `${ROOT}/${relative(exportDir, file)}`, readFileSync(file));
  const athena = await athenaHandler({
    tables: [{ database: "cur", table: "cur2", dir: exportDir }],
  });
  closeAthena = athena.close;
  aws = await startLocalAws([
    costExplorerHandler(
      datasetFromRows({ name: "cli", tagKey: "workflow", rows: equivalenceRows() }),
      { groupsPerPage: 50 },
    ),
    cloudWatchHandler([]),
    s3,
    athena.handler,
  ]);
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterAll(async () => {
  await aws.close();
  closeAthena();
  scratch.remove();
  vi.restoreAllMocks();
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const io = () =>
  memoryIo({
    cwd: scratch.dir,
    today: "2026-11-28",
    env: {
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDLOCAL",
      AWS_SECRET_ACCESS_KEY: "local-secret",
    },
  });

async function reportOf(args: readonly string[]): Promise<{ report: Report; stderr: string }> {
  const out = io();
  const code = await run(["reconcile", "--json", ...args], out);
  expect(code, out.stderr()).toBe(0);
  return { report: JSON.parse(out.stdout()) as Report, stderr: out.stderr() };
}

/** What every source must agree on. */
const agreed = ({ generatedAt: _, source: __, ceRequests: ___, ...rest }: Report) => ({
  ...rest,
  engine: undefined,
  query: undefined,
  unknownUsageTypes: undefined,
  unownedBy: undefined,
  workflows: rest.workflows.map(({ models: _m, ...w }) => w),
});

describe("reconcile on CUR", () => {
  it("--cur DIR: the contract, and the same figures as Cost Explorer", async () => {
    const { report: ce } = await reportOf([]);
    const { report: cur } = await reportOf(["--cur", "export"]);
    expect(cur).toMatchObject({
      source: "cur",
      engine: "duckdb",
      ceRequests: 0,
      query: { engine: "duckdb", cost: 0 },
      unknownUsageTypes: [],
    });
    if (cur.source !== "cur") throw new Error("expected a CUR report");
    expect(cur.query.bytesScanned).toBeGreaterThan(0);
    expect(cur.workflows.every((w) => Array.isArray(w.models))).toBe(true);
    expect(agreed(cur)).toEqual(agreed(ce));
  });

  it("--from/--to behave as with Cost Explorer", async () => {
    const args = ["--from", "2026-11-01", "--to", "2026-11-15"];
    const { report: ce } = await reportOf(args);
    const { report: cur } = await reportOf(["--cur", "export", ...args]);
    expect(cur.period).toEqual({ start: "2026-11-01", end: "2026-11-15" });
    expect(agreed(cur)).toEqual(agreed(ce));
  });

  it("--cur s3://...: the needed periods fetched (bytes said), read, and the same report", async () => {
    const { report: local } = await reportOf(["--cur", "export"]);
    const { report, stderr } = await reportOf(["--cur", `s3://${BUCKET}/${ROOT}`]);
    expect(agreed(report)).toEqual(agreed(local));
    expect(stderr).toMatch(
      new RegExp(
        `fetched 4 object\\(s\\), \\d+ bytes, of s3://${BUCKET}/${ROOT} \\(billing periods 2026-10, 2026-11\\)`,
      ),
    );
  });

  it("--athena-table DB.TABLE --athena-workgroup WG: the same report, the Athena query's figures", async () => {
    const { report: local } = await reportOf(["--cur", "export"]);
    const { report } = await reportOf([
      "--athena-table",
      "cur.cur2",
      "--athena-workgroup",
      "primary",
      "--athena-output",
      "s3://results/athena/",
    ]);
    expect(agreed(report)).toEqual(agreed(local));
    expect(report).toMatchObject({ source: "cur", engine: "athena", ceRequests: 0 });
    if (report.source !== "cur") throw new Error("expected a CUR report");
    expect(report.query.cost).toBeGreaterThan(0);
  });

  it("prints the per-model table and the query in the summary", async () => {
    const out = io();
    expect(await run(["reconcile", "--cur", "export"], out)).toBe(0);
    expect(out.stdout()).toMatch(/invoice-matching\s+Claude Sonnet 4\.5\s+212\.88/);
    expect(out.stdout()).toMatch(/CUR query on duckdb: [\d.]+ KiB scanned/);
    expect(out.stdout()).not.toContain("(USD 0.01 each)");
  });

  it.each([
    [["--cur", "export", "--athena-table", "cur.cur2"], /--cur and --athena-table are two ways/],
    [["--athena-table", "cur2", "--athena-workgroup", "wg"], /"cur2" is not DB\.TABLE/],
    [["--athena-table", "a.b.c", "--athena-workgroup", "wg"], /"a\.b\.c" is not DB\.TABLE/],
    [["--athena-table", "cur.cur2"], /--athena-table needs --athena-workgroup/],
    [["--athena-workgroup", "wg"], /--athena-workgroup needs --athena-table/],
    [["--athena-output", "s3://x/"], /--athena-output needs --athena-table/],
    [
      ["--athena-table", "cur.cur2", "--athena-workgroup", "wg", "--athena-output", "/tmp/x"],
      /--athena-output "\/tmp\/x" is not an s3:\/\/ location/,
    ],
    [["--cur", "s3://bucket"], /is not an export's S3 location/],
    [["--cur", "export", "--by-account"], /--by-account works with Cost Explorer only/],
    [["--cur", "export", "--metric", "AmortizedCost"], /AmortizedCost is not one CUR column/],
  ])("rejects %j as usage (exit 2)", async (args, message) => {
    const out = io();
    expect(await run(["reconcile", ...args], out)).toBe(2);
    expect(out.stderr()).toMatch(message);
    expect(out.stdout()).toBe("");
  });
});

describe("reconcile on a bad export: a clear error, never a partial report", () => {
  async function fails(args: readonly string[], message: RegExp): Promise<void> {
    const out = io();
    expect(await run(["reconcile", "--json", ...args], out)).toBe(2);
    expect(out.stderr()).toMatch(message);
    expect(out.stdout()).toBe("");
  }

  it("a folder that is not an export", async () => {
    mkdirSync(join(scratch.dir, "not-an-export"), { recursive: true });
    await fails(
      ["--cur", "not-an-export"],
      /not-an-export is not a CUR 2\.0 export: no data\/BILLING_PERIOD=/,
    );
  });

  it("a period the report needs with no files", async () => {
    await fails(["--cur", "export", "--from", "2026-08-01"], /billing period 2026-07 has no data/);
  });

  it("a corrupt Parquet file in a needed period", async () => {
    const dir = join(scratch.dir, "corrupt");
    await writeCurExport(dir, curLinesOf(equivalenceRows()), { manifest: false });
    const folder = join(dir, "data", "BILLING_PERIOD=2026-11");
    const file = join(folder, readdirSync(folder)[0]!);
    writeFileSync(file, readFileSync(file).subarray(0, 200));
    await fails(["--cur", "corrupt"], /is not a readable Parquet file/);
  });

  it("a schema without a needed column: the column and the export setting that adds it", async () => {
    const dir = join(scratch.dir, "no-principal");
    await writeCurExport(dir, curLinesOf(equivalenceRows()), {
      omitColumns: ["line_item_iam_principal"],
    });
    await fails(
      ["--cur", "no-principal"],
      /lacks line_item_iam_principal: create the export with the table configuration INCLUDE_IAM_PRINCIPAL_DATA/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
