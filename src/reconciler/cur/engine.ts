/**
 * The port a CUR 2.0 query engine implements: DuckDB embedded over a local export, Athena over a
 * Glue table. The reconciler's CUR cost source (`./source.ts`) depends on this interface only; the engines
 * live behind it (`../duckdb/duckdb-engine.ts`, `../aws/athena-engine.ts` with the AWS SDK).
 */
import type { Amount } from "../../util/decimal";
import type { CurQuery } from "./query";
import type { CurRow } from "./rows";

export type CurEngineName = "duckdb" | "athena";

export interface CurQueryStats {
  readonly engine: CurEngineName;
  /**
   * Bytes the engine read: Athena's `DataScannedInBytes`; for DuckDB, the compressed size of the
   * column chunks the query reads in the files it opened (what a scan must read at least).
   */
  readonly bytesScanned: number;
  /** What the query cost (Athena: USD 5 per TB scanned, 10 MB minimum); zero for DuckDB. */
  readonly cost: Amount;
  /** Data files opened (DuckDB), or 0 when the engine does not say (Athena). */
  readonly files: number;
  /** The SQL text the engine ran, for logs and the report's appendix. */
  readonly sql: string;
  /** Athena's query execution id. */
  readonly executionId?: string;
}

export interface CurResult {
  readonly rows: readonly CurRow[];
  readonly stats: CurQueryStats;
}

export interface CurEngine {
  readonly name: CurEngineName;
  run(query: CurQuery, options?: { readonly signal?: AbortSignal }): Promise<CurResult>;
}

/** A fault an engine reports: the message says what happened and what to do. */
export class CurEngineError extends Error {
  override readonly name = "CurEngineError";
  constructor(
    message: string,
    readonly reason:
      | "not-an-export"
      | "no-files"
      | "corrupt-file"
      | "missing-column"
      | "manifest"
      | "query-failed"
      | "query-cancelled"
      | "bytes-scanned-limit"
      | "deadline"
      /** An export on S3 could not be fetched (a refusal, or faults past every retry). */
      | "fetch-failed",
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
