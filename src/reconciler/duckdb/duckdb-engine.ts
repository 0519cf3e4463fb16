/**
 * The CUR query on DuckDB, embedded (`@duckdb/node-api`, whose native binary ships inside the
 * npm package), over a local copy of an export.
 *
 * Only the query's billing periods are touched: their files are listed (manifest first, see
 * `export-folder.ts`) and handed to `read_parquet` by path, so a file in another period's folder
 * is never opened. Before the query, each file's footer is read once: a corrupt file, or one
 * whose schema lacks a column the query reads, is a clear error naming the file (and, for a
 * column, the export setting that adds it), never NULLs in a partial report.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";

import { ZERO } from "../../util/decimal";
import { missingColumnHint } from "../cur/columns";
import type { CurColumnName } from "../cur/columns";
import { DUCKDB, stringLiteral } from "../cur/dialect";
import { CurEngineError } from "../cur/engine";
import type { CurEngine, CurResult } from "../cur/engine";
import { periodFiles } from "../cur/export-folder";
import type { ExportPeriodFiles } from "../cur/export-folder";
import { buildCurSql, queryColumns } from "../cur/query";
import type { CurQuery } from "../cur/query";
import { parseCurValues } from "../cur/rows";
import type { CurRow } from "../cur/rows";

export interface DuckDbCurEngineOptions {
  /** DuckDB's memory limit, e.g. "1GB" (default: DuckDB's own, 80% of RAM). */
  readonly memoryLimit?: string;
  /** Worker threads (default: DuckDB's own, one per core). */
  readonly threads?: number;
}

export class DuckDbCurEngine implements CurEngine {
  readonly name = "duckdb" as const;
  /** What the last run read: the period file lists (for the report and the tests). */
  lastPeriods: readonly ExportPeriodFiles[] = [];

  private constructor(
    private readonly dir: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** An engine over the export in `dir` (checked on each run, not here: it may still be copying). */
  static async open(dir: string, options: DuckDbCurEngineOptions = {}): Promise<DuckDbCurEngine> {
    const config: Record<string, string> = {};
    if (options.memoryLimit !== undefined) config["memory_limit"] = options.memoryLimit;
    if (options.threads !== undefined) config["threads"] = String(options.threads);
    const instance = await DuckDBInstance.create(":memory:", config);
    const connection = await instance.connect();
    // CUR dates are UTC. A TIMESTAMPTZ column cast to DATE uses the session time zone. The npm
    // package ships without the ICU extension, so DuckDB works in UTC (and refuses any other
    // zone); pinning UTC keeps that true where ICU happens to be installed.
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckDbCurEngine(dir, instance, connection);
  }

  async run(query: CurQuery, options: { readonly signal?: AbortSignal } = {}): Promise<CurResult> {
    const periods = query.periods.map((period) => periodFiles(this.dir, period));
    this.lastPeriods = periods;
    const files = periods.flatMap((p) => p.files);
    const needed = queryColumns(query);
    await this.checkSchemas(files, needed);
    const bytesScanned = await this.projectedBytes(files, needed);
    const sql = buildCurSql(query, DUCKDB, { kind: "parquet-files", files });
    const onAbort = (): void => this.connection.interrupt();
    options.signal?.throwIfAborted();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let columns: unknown[][];
    try {
      const reader = await this.connection.runAndReadAll(sql);
      // Column by column, as JavaScript values: the query returns text for everything but
      // the count, so the cells arrive as strings without a DuckDB value object per cell.
      columns = reader.getColumnsJS();
    } catch (error) {
      options.signal?.throwIfAborted();
      throw this.explain(error, files);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
    const count = columns[0]?.length ?? 0;
    const rows: CurRow[] = new Array<CurRow>(count);
    const values: (string | null)[] = new Array<string | null>(columns.length);
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < columns.length; c++) values[c] = textOf(columns[c]![r]);
      rows[r] = parseCurValues(values, r + 1);
    }
    return {
      rows,
      stats: { engine: "duckdb", bytesScanned, cost: ZERO, files: files.length, sql },
    };
  }

  /** Releases DuckDB (idempotent). */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Each file's top-level columns, from its footer: missing columns and corrupt files, named. */
  private async checkSchemas(
    files: readonly string[],
    needed: readonly CurColumnName[],
  ): Promise<void> {
    for (const file of files) {
      let rows: (string | null)[][];
      try {
        const reader = await this.connection.runAndReadAll(
          `SELECT name, num_children FROM parquet_schema(${stringLiteral(file)})`,
        );
        rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      } catch (error) {
        throw this.explain(error, [file]);
      }
      const present = new Set(topLevelColumns(rows));
      const missing = needed.filter((column) => !present.has(column));
      if (missing.length > 0) {
        throw new CurEngineError(
          `${file}: ${missing.map((column) => missingColumnHint(column)).join("; ")}`,
          "missing-column",
        );
      }
    }
  }

  /**
   * The compressed bytes of the needed columns' chunks in `files`: what the pruned, projected
   * query has to read, as Athena counts it (a full scan would read every column).
   */
  private async projectedBytes(
    files: readonly string[],
    needed: readonly string[],
  ): Promise<number> {
    const reader = await this.connection.runAndReadAll(
      `SELECT path_in_schema, SUM(total_compressed_size) FROM parquet_metadata([${files.map(stringLiteral).join(", ")}]) GROUP BY 1`,
    );
    const wanted = new Set(needed);
    let bytes = 0;
    for (const [path, size] of reader.getRows()) {
      if (wanted.has(String(path).split(", ")[0]!)) bytes += Number(size);
    }
    return bytes;
  }

  /** A DuckDB failure as a `CurEngineError` saying which file and what to do. */
  private explain(error: unknown, files: readonly string[]): Error {
    const message = error instanceof Error ? error.message : String(error);
    const file =
      files.find((f) => message.includes(f)) ?? (files.length === 1 ? files[0] : undefined);
    if (
      /magic bytes|too small to be a Parquet file|Invalid Input Error.*Parquet|Corrupt|corrupt/i.test(
        message,
      )
    ) {
      return new CurEngineError(
        `${file ?? "a data file"} is not a readable Parquet file (${firstLine(message)}): copy it again from the export`,
        "corrupt-file",
        { cause: error },
      );
    }
    return new CurEngineError(
      `DuckDB failed on the CUR query: ${firstLine(message)}`,
      "query-failed",
      {
        cause: error,
      },
    );
  }
}

/** A result cell as text: strings as they are, the count (a BigInt) in decimal. */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : String(value);
}

function firstLine(text: string): string {
  return text.split("\n")[0]!;
}

/**
 * The top-level column names from `parquet_schema` rows (name, num_children) in schema order:
 * the first row is the root; a nested column's descendants follow it depth first.
 */
export function topLevelColumns(rows: readonly (readonly (string | null)[])[]): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (): void => {
    const children = Number(rows[i]?.[1] ?? 0);
    i += 1;
    for (let c = 0; c < children; c++) skip();
  };
  const rootChildren = Number(rows[0]?.[1] ?? 0);
  for (let c = 0; c < rootChildren && i < rows.length; c++) {
    names.push(String(rows[i]![0]));
    skip();
  }
  return names;
}
