/**
 * The CUR 2.0 engine at organisation scale: a synthetic export of one month (10 million line
 * items, 1,000 workflows, resource and principal tags, 40 models) generated here into a
 * temporary folder (never committed), then the DuckDB engine's whole run against DuckDB's own
 * aggregation of the same SQL over the same files (the floor), alternating, in the same run.
 * Also the bytes the pruned, projected query reads against a full scan of the files, and the
 * whole reconciliation on the engine (rows to report, 1,000 workflows). A reconciliation also
 * reads the month before (last month's spend), so the export gets a small previous month.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeGeneratedCurExport } from "../src/local-aws/cur-export";
import { stringLiteral } from "../src/reconciler/cur/dialect";
import { buildWorkers } from "./build-workers";
import { lastJsonLine, runNode } from "./child";
import { median } from "./stats";

interface WorkerRun {
  readonly ms: number;
  readonly rows: number;
  readonly bytesScanned: number;
}

export interface CurBenchResult {
  readonly lines: number;
  readonly workflows: number;
  readonly models: number;
  readonly files: number;
  readonly generateMs: number;
  /** Result rows (groups) the query returns. */
  readonly groups: number;
  readonly engine: { readonly ms: number; readonly peakRssBytes: number; readonly runs: number[] };
  /** DuckDB's bare aggregation of the same groups (DOUBLE sums): the floor. */
  readonly floor: { readonly ms: number; readonly peakRssBytes: number; readonly runs: number[] };
  /** The engine's own SQL kept inside DuckDB: the engine's overhead around DuckDB. */
  readonly sameSql: { readonly ms: number; readonly peakRssBytes: number; readonly runs: number[] };
  /** `runReconciliation` over `curCostSource` on the engine: the report, end to end. */
  readonly reconcile: {
    readonly ms: number;
    readonly peakRssBytes: number;
    readonly runs: number[];
  };
  /** The reconciliation against the floor, and its peak memory against the floor's. */
  readonly reconcileRatio: number;
  readonly reconcileMemoryRatio: number;
  readonly timeRatio: number;
  readonly sameSqlRatio: number;
  readonly memoryRatio: number;
  readonly bytes: {
    /** The compressed column chunks the query reads (its columns, its period). */
    readonly projected: number;
    /** Every column chunk of every file: a full scan. */
    readonly fullScan: number;
    /** The files on disk. */
    readonly files: number;
  };
}

export async function curEngine(options: {
  readonly lines: number;
  readonly workflows: number;
  readonly models: number;
  readonly files: number;
  readonly runs: number;
}): Promise<CurBenchResult> {
  const workers = await buildWorkers();
  const dir = mkdtempSync(join(tmpdir(), "bench-cur-"));
  try {
    const generating = performance.now();
    const written = await writeGeneratedCurExport(dir, {
      period: "2026-05",
      lines: options.lines,
      workflows: options.workflows,
      models: options.models,
      files: options.files,
    });
    // The month before, small: the reconciliation reads it for last month's spend.
    await writeGeneratedCurExport(dir, {
      period: "2026-04",
      lines: 10_000,
      workflows: options.workflows,
      models: options.models,
      files: 1,
    });
    const generateMs = performance.now() - generating;
    const run = async (mode: "engine" | "floor" | "same-sql" | "reconcile") => {
      const child = await runNode([
        workers.cur,
        JSON.stringify({
          dir,
          mode,
          start: "2026-05-01",
          end: "2026-06-01",
          workflows: options.workflows,
        }),
      ]);
      return { ...lastJsonLine<WorkerRun>(child), peakRssBytes: child.peakRssBytes };
    };
    const engine: (WorkerRun & { peakRssBytes: number })[] = [];
    const floor: (WorkerRun & { peakRssBytes: number })[] = [];
    const sameSql: (WorkerRun & { peakRssBytes: number })[] = [];
    const reconcile: (WorkerRun & { peakRssBytes: number })[] = [];
    // Interleaved, so a busy spell on a shared machine falls on every side.
    for (let i = 0; i < options.runs; i++) {
      floor.push(await run("floor"));
      engine.push(await run("engine"));
      sameSql.push(await run("same-sql"));
      reconcile.push(await run("reconcile"));
    }
    if (engine[0]!.rows !== floor[0]!.rows || engine[0]!.rows !== sameSql[0]!.rows) {
      throw new Error(`the engine returned ${engine[0]!.rows} rows, the floor ${floor[0]!.rows}`);
    }
    const fullScan = await compressedBytes(written.files);
    const engineMs = median(engine.map((r) => r.ms));
    const floorMs = median(floor.map((r) => r.ms));
    const sameSqlMs = median(sameSql.map((r) => r.ms));
    const summary = (runs: readonly (WorkerRun & { peakRssBytes: number })[]) => ({
      ms: median(runs.map((r) => r.ms)),
      peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
      runs: runs.map((r) => r.ms),
    });
    return {
      lines: options.lines,
      workflows: options.workflows,
      models: options.models,
      files: written.files.length,
      generateMs,
      groups: engine[0]!.rows,
      engine: summary(engine),
      floor: summary(floor),
      sameSql: summary(sameSql),
      reconcile: summary(reconcile),
      reconcileRatio: median(reconcile.map((r) => r.ms)) / floorMs,
      reconcileMemoryRatio: summary(reconcile).peakRssBytes / summary(floor).peakRssBytes,
      timeRatio: engineMs / floorMs,
      sameSqlRatio: engineMs / sameSqlMs,
      memoryRatio: summary(engine).peakRssBytes / summary(floor).peakRssBytes,
      bytes: {
        projected: engine[0]!.bytesScanned,
        fullScan,
        files: written.files.reduce((n, f) => n + statSync(f).size, 0),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The compressed size of every column chunk of `files`: what a full scan reads. */
async function compressedBytes(files: readonly string[]): Promise<number> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT SUM(total_compressed_size) FROM parquet_metadata([${files.map(stringLiteral).join(", ")}])`,
    );
    return Number(reader.getRows()[0]![0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `tsx bench/cur.ts`: this benchmark alone. */
if (require.main === module) {
  curEngine({ lines: 10_000_000, workflows: 1_000, models: 40, files: 4, runs: 3 })
    .then((result) => console.log(JSON.stringify(result, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
