import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { writeCurExport } from "../../src/local-aws/cur-export";
import { DuckDbCurEngine, topLevelColumns } from "../../src/reconciler/duckdb/duckdb-engine";
import { CurEngineError } from "../../src/reconciler/cur/engine";
import { exportPeriods, periodFolder } from "../../src/reconciler/cur/export-folder";
import { aiServiceCondition, curQuery } from "../../src/reconciler/cur/query";
import { AI_ADJACENT_SERVICES, AI_SERVICES, isAiService } from "../../src/reconciler/ai-services";
import { stringLiteral } from "../../src/reconciler/cur/dialect";
import { DuckDBInstance } from "@duckdb/node-api";
import type { CurRow } from "../../src/reconciler/cur/rows";
import { toString } from "../../src/util/decimal";
import { SAMPLE_LINES, scratchDir } from "./fixtures";

const MAY = curQuery({
  start: "2026-05-01",
  end: "2026-06-01",
  metric: "UnblendedCost",
  tagKey: "workflow",
});

/** A row as plain text, for readable assertions. */
function plain(row: CurRow) {
  return {
    date: row.date,
    resourceTag: row.resourceTag,
    principalTag: row.principalTag,
    caller: row.unattributedPrincipal,
    service: row.service,
    ai: row.serviceClass.kind,
    model: row.model,
    tokenClass: row.usage.kind === "tokens" ? row.usage.tokenClass : null,
    tokens: row.tokens === null ? null : toString(row.tokens),
    type: row.lineItemType,
    cost: toString(row.cost),
    lines: row.lineItems,
  };
}

describe("DuckDB engine over a local CUR 2.0 export", () => {
  let scratch: ReturnType<typeof scratchDir>;
  let engine: DuckDbCurEngine | undefined;
  beforeEach(() => {
    scratch = scratchDir();
  });
  afterEach(() => {
    engine?.close();
    engine = undefined;
    scratch.remove();
  });

  async function open(dir = scratch.dir): Promise<DuckDbCurEngine> {
    engine = await DuckDbCurEngine.open(dir);
    return engine;
  }

  it("aggregates per day x resource tag x principal tag x service x usage type, exactly", async () => {
    await writeCurExport(scratch.dir, SAMPLE_LINES, { filesPerPeriod: 2 });
    const { rows, stats } = await (await open()).run(MAY);
    const found = rows.map(plain);
    expect(found).toContainEqual({
      date: "2026-05-02",
      resourceTag: "support-triage",
      principalTag: null,
      caller: null,
      service: "Amazon Bedrock",
      ai: "ai",
      model: "Nova2.0Lite",
      tokenClass: "cache-read",
      tokens: "500000",
      type: "Usage",
      cost: "0.2000000002",
      lines: 2,
    });
    expect(found).toContainEqual(
      expect.objectContaining({
        resourceTag: "support-triage",
        principalTag: "invoice-matching",
        model: "Claude Sonnet 4.5",
        tokens: "10000",
        cost: "0.03",
      }),
    );
    // Neither tag (the empty value counts as none): the caller is named.
    expect(found).toContainEqual(
      expect.objectContaining({
        resourceTag: null,
        principalTag: null,
        caller: "arn:aws:sts::111122223333:assumed-role/llm-gateway/s9",
        cost: "0.03",
      }),
    );
    expect(found).toContainEqual(expect.objectContaining({ type: "Credit", cost: "-0.5" }));
    expect(found).toContainEqual(
      expect.objectContaining({ service: "AWS Lambda", ai: "not-ai", tokens: null }),
    );
    // Only May: April's line is outside both the partition and the date range.
    expect(found.every((r) => r.date.startsWith("2026-05"))).toBe(true);
    expect(rows.reduce((n, r) => n + r.lineItems, 0)).toBe(SAMPLE_LINES.length - 1);
    expect(stats).toMatchObject({ engine: "duckdb", files: 2 });
    expect(stats.bytesScanned).toBeGreaterThan(0);
  });

  it("filters on the days inside a period, not only on the period", async () => {
    await writeCurExport(scratch.dir, SAMPLE_LINES);
    const query = curQuery({
      start: "2026-04-30",
      end: "2026-05-03",
      metric: "UnblendedCost",
      tagKey: "workflow",
    });
    const { rows } = await (await open()).run(query);
    expect([...new Set(rows.map((r) => r.date))].sort()).toEqual(["2026-04-30", "2026-05-02"]);
  });

  it("reads the net unblended cost column for NetUnblendedCost", async () => {
    await writeCurExport(scratch.dir, [
      { ...SAMPLE_LINES[0]!, unblendedCost: "10", netUnblendedCost: "9.25" },
    ]);
    const query = curQuery({ ...MAY, metric: "NetUnblendedCost" });
    const { rows } = await (await open()).run(query);
    expect(rows.map((r) => toString(r.cost))).toEqual(["9.25"]);
  });

  it("never opens a file of a period the query does not need", async () => {
    await writeCurExport(scratch.dir, SAMPLE_LINES);
    // A corrupt file in April: reading it would fail the query.
    writeFileSync(
      join(periodFolder(scratch.dir, "2026-04"), "ai-spend-cur-00002.snappy.parquet"),
      "not parquet",
    );
    rmSync(join(scratch.dir, "metadata", "BILLING_PERIOD=2026-04"), { recursive: true });
    const may = await (await open()).run(MAY);
    expect(may.rows.length).toBeGreaterThan(0);
    // Proof that the file is read when April is needed: the same engine then fails on it.
    const april = curQuery({
      start: "2026-04-01",
      end: "2026-05-01",
      metric: "UnblendedCost",
      tagKey: "workflow",
    });
    await expect(engine!.run(april)).rejects.toThrow(
      /ai-spend-cur-00002\.snappy\.parquet is not a readable Parquet file/,
    );
  });

  it("uses the manifest's file list: a file left from an earlier delivery is ignored", async () => {
    const [may] = (await writeCurExport(scratch.dir, SAMPLE_LINES)).filter(
      (p) => p.period === "2026-05",
    );
    const stale = join(periodFolder(scratch.dir, "2026-05"), "old-delivery-00009.snappy.parquet");
    writeFileSync(stale, readFileSync(may!.files[0]!));
    const first = await (await open()).run(MAY);
    expect(engine!.lastPeriods.find((p) => p.period === "2026-05")?.listedBy.kind).toBe("manifest");
    // Without the manifest, every Parquet file in the folder counts (and the stale copy doubles it).
    rmSync(may!.manifest!);
    const second = await engine!.run(MAY);
    expect(engine!.lastPeriods.find((p) => p.period === "2026-05")?.listedBy.kind).toBe("folder");
    const lines = (rows: readonly CurRow[]) => rows.reduce((n, r) => n + r.lineItems, 0);
    expect(lines(second.rows)).toBe(2 * lines(first.rows));
  });

  it("a manifest listing a file that is not there: the copy is incomplete", async () => {
    const [may] = (await writeCurExport(scratch.dir, SAMPLE_LINES)).filter(
      (p) => p.period === "2026-05",
    );
    rmSync(may!.files[0]!);
    await expect((await open()).run(MAY)).rejects.toThrow(
      /lists 1 data file\(s\) missing .* the copy is incomplete/,
    );
  });

  it("a folder that is not an export", async () => {
    expect(() => exportPeriods(scratch.dir)).toThrow(
      /is not a CUR 2\.0 export: no data\/BILLING_PERIOD=YYYY-MM\/ folder/,
    );
    await expect((await open(join(scratch.dir, "missing"))).run(MAY)).rejects.toThrow(
      CurEngineError,
    );
  });

  it("a needed period with no folder, and one with no Parquet file", async () => {
    await writeCurExport(
      scratch.dir,
      SAMPLE_LINES.filter((l) => l.usageStart.startsWith("2026-04")),
      {
        manifest: false,
      },
    );
    await expect((await open()).run(MAY)).rejects.toThrow(
      /billing period 2026-05 has no data .*no folder data\/BILLING_PERIOD=2026-05/,
    );
    const april = curQuery({
      start: "2026-04-01",
      end: "2026-05-01",
      metric: "UnblendedCost",
      tagKey: "workflow",
    });
    for (const file of (await engine!.run(april)).stats.sql.match(/'[^']+\.parquet'/g) ?? [])
      rmSync(file.slice(1, -1));
    await expect(engine!.run(april)).rejects.toThrow(/billing period 2026-04 has no Parquet file/);
  });

  it.each([
    [
      "line_item_iam_principal",
      /lacks line_item_iam_principal: create the export with the table configuration INCLUDE_IAM_PRINCIPAL_DATA/,
    ],
    ["tags", /lacks tags: add tags to the export's column list/],
    // The unowned AI spend by resource id reads it (untagged AI lines only).
    [
      "line_item_resource_id",
      /lacks line_item_resource_id: create the export with the table configuration INCLUDE_RESOURCES/,
    ],
  ] as const)("a schema without %s names the column and how to add it", async (column, message) => {
    await writeCurExport(scratch.dir, SAMPLE_LINES, { omitColumns: [column] });
    const error = await (await open()).run(MAY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurEngineError);
    expect((error as CurEngineError).reason).toBe("missing-column");
    expect((error as Error).message).toMatch(message);
  });

  it("a column the query does not read may be missing (line_item_operation)", async () => {
    await writeCurExport(scratch.dir, SAMPLE_LINES, { omitColumns: ["line_item_operation"] });
    await expect((await open()).run(MAY)).resolves.toMatchObject({ stats: { engine: "duckdb" } });
  });

  it("bytes scanned: the projected columns only, less than the files", async () => {
    const written = await writeCurExport(scratch.dir, SAMPLE_LINES);
    const { stats } = await (await open()).run(MAY);
    const fileBytes = written
      .find((p) => p.period === "2026-05")!
      .files.reduce((n, f) => n + readFileSync(f).length, 0);
    expect(stats.bytesScanned).toBeGreaterThan(0);
    expect(stats.bytesScanned).toBeLessThan(fileBytes);
  });

  it("honours an abort signal", async () => {
    await writeCurExport(scratch.dir, SAMPLE_LINES);
    const controller = new AbortController();
    controller.abort(new Error("deadline"));
    await expect((await open()).run(MAY, { signal: controller.signal })).rejects.toThrow(
      "deadline",
    );
  });
});

describe("schema parsing", () => {
  it("topLevelColumns skips nested children", () => {
    expect(
      topLevelColumns([
        ["duckdb_schema", "3"],
        ["a", null],
        ["product", "1"],
        ["key_value", "2"],
        ["key", null],
        ["value", null],
        ["b", null],
      ]),
    ).toEqual(["a", "product", "b"]);
  });
});

describe("the SQL AI-service condition (which untagged lines carry their resource id)", () => {
  it("agrees with isAiService on every listed, adjacent and Marketplace name", async () => {
    const names = [
      ...Object.keys(AI_SERVICES),
      ...Object.keys(AI_ADJACENT_SERVICES),
      "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
      "Llama 3 70B (amazon bedrock edition)",
      "Amazon Bedrock Edition",
      "amazon bedrock",
      "Amazon Simple Storage Service",
      "AWS Lambda",
      "",
    ];
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const values = names.map((n) => `(${stringLiteral(n)})`).join(", ");
      const reader = await connection.runAndReadAll(
        `SELECT name, ${aiServiceCondition("name")} FROM (VALUES ${values}) AS t(name)`,
      );
      const found = reader.getRows().map(([name, ai]) => [name, ai]);
      expect(found).toEqual(names.map((n) => [n, isAiService(n)]));
      expect(found.filter(([, ai]) => ai).length).toBeGreaterThan(Object.keys(AI_SERVICES).length);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
