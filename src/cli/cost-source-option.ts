/**
 * `reconcile`'s choice of cost source: Cost Explorer (the default), a CUR 2.0 export read by
 * DuckDB (`--cur DIR` or `--cur s3://bucket/prefix/export-name`), or the export's Glue table on
 * Athena (`--athena-table DB.TABLE --athena-workgroup WG [--athena-output s3://...]`).
 *
 * The flags are checked together before anything runs (a usage error, exit 2, naming the flag);
 * then `withCostSource` builds the source, hands it to the reconciliation and releases what it
 * opened (DuckDB, the temporary copy of an export fetched from S3) whatever happens.
 */
import { resolve } from "node:path";
import { AthenaClient } from "@aws-sdk/client-athena";

import { CUR_COST_COLUMNS, curCostSource, periodFor } from "../reconciler";
import type { CostMetric, CostSource } from "../reconciler";
import {
  AthenaCurEngine,
  createCurS3Client,
  parseCurS3Uri,
  withFetchedCurExport,
} from "../reconciler/aws";
import type { CurS3Fetch } from "../reconciler/aws";
import { billingPeriods, curQuery, queryColumns } from "../reconciler/cur/query";
import { exportPeriods } from "../reconciler/cur/export-folder";

export type CostSourceChoice =
  | { readonly kind: "cost-explorer" }
  | { readonly kind: "cur-folder"; readonly dir: string }
  | { readonly kind: "cur-s3"; readonly uri: string }
  | {
      readonly kind: "athena";
      readonly database: string;
      readonly table: string;
      readonly workGroup: string;
      readonly outputLocation?: string;
    };

export interface CostSourceFlags {
  readonly cur?: string;
  readonly "athena-table"?: string;
  readonly "athena-workgroup"?: string;
  readonly "athena-output"?: string;
  readonly "by-account": boolean;
  readonly metric: CostMetric;
}

/** A Glue name as the stack and Athena accept it: letters, digits, `_` and `-`. */
const GLUE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Athena workgroup names: letters, digits, `.`, `_` and `-`, 1 to 128. */
const WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;

/** The source the flags ask for, or a usage error naming the flag. */
export function costSourceChoice(
  flags: CostSourceFlags,
  cwd: string,
): CostSourceChoice | { readonly error: string } {
  const table = flags["athena-table"];
  const workGroup = flags["athena-workgroup"];
  const output = flags["athena-output"];
  if (flags.cur !== undefined && table !== undefined) {
    return {
      error:
        "--cur and --athena-table are two ways to read CUR: give one (--cur for a copy DuckDB reads, --athena-table for the Glue table on Athena)",
    };
  }
  if (table === undefined && (workGroup !== undefined || output !== undefined)) {
    return {
      error: `${workGroup !== undefined ? "--athena-workgroup" : "--athena-output"} needs --athena-table DB.TABLE`,
    };
  }
  if (flags.cur === undefined && table === undefined) return { kind: "cost-explorer" };

  if (flags["by-account"]) {
    return {
      error:
        "--by-account works with Cost Explorer only: the CUR query does not group by linked account",
    };
  }
  const column = CUR_COST_COLUMNS[flags.metric];
  if (column.kind === "refused") return { error: `--metric ${flags.metric}: ${column.reason}` };

  if (flags.cur !== undefined) {
    if (flags.cur === "") return { error: "--cur needs a folder or an s3:// location" };
    if (flags.cur.startsWith("s3://")) {
      try {
        parseCurS3Uri(flags.cur);
      } catch (error) {
        return { error: `--cur: ${(error as Error).message}` };
      }
      return { kind: "cur-s3", uri: flags.cur };
    }
    return { kind: "cur-folder", dir: resolve(cwd, flags.cur) };
  }

  const parts = table!.split(".");
  if (parts.length !== 2 || !parts.every((p) => GLUE_NAME.test(p))) {
    return {
      error: `--athena-table "${table}" is not DB.TABLE: the Glue database and table, e.g. ai_spend_guard_cur.ai_spend_guard_cur`,
    };
  }
  if (workGroup === undefined) {
    return {
      error:
        "--athena-table needs --athena-workgroup WG: the Athena workgroup to run the query in (its bytes-scanned limit applies)",
    };
  }
  if (!WORKGROUP.test(workGroup)) {
    return {
      error: `--athena-workgroup "${workGroup}" is not a workgroup name (letters, digits, '.', '_', '-')`,
    };
  }
  if (output !== undefined && !/^s3:\/\/[^/]+(\/.*)?$/.test(output)) {
    return {
      error: `--athena-output "${output}" is not an s3:// location, e.g. s3://my-athena-results/ai-spend-guard/`,
    };
  }
  return {
    kind: "athena",
    database: parts[0]!,
    table: parts[1]!,
    workGroup,
    ...(output === undefined ? {} : { outputLocation: output }),
  };
}

/** What the command's SDK clients share: region, endpoint and credentials from the environment. */
export interface AwsClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string | undefined;
  };
}

export interface WithCostSourceOptions {
  /** The AWS client configuration the command built. */
  readonly aws: AwsClientConfig;
  readonly runDate: string;
  readonly tagKey: string;
  readonly metric: CostMetric;
  /** The Cost Explorer source, built by the caller (it checks credentials its own way). */
  readonly costExplorer: () => CostSource;
  /** What was fetched from S3, before the query runs (bytes for the user). */
  readonly onFetched?: (fetched: CurS3Fetch) => void;
}

/** Runs `use` with the chosen source; DuckDB and any temporary copy are released afterwards. */
export async function withCostSource<T>(
  choice: CostSourceChoice,
  options: WithCostSourceOptions,
  use: (source: CostSource) => Promise<T>,
): Promise<T> {
  switch (choice.kind) {
    case "cost-explorer":
      return use(options.costExplorer());
    case "cur-folder":
      // A folder that is not an export is named before DuckDB starts.
      exportPeriods(choice.dir);
      return withDuckDb(choice.dir, use);
    case "cur-s3": {
      const period = periodFor(options.runDate);
      const query = curQuery({
        start: period.lastMonthStart,
        end: period.end,
        metric: options.metric,
        tagKey: options.tagKey,
      });
      const { value } = await withFetchedCurExport(
        // A custom endpoint (a local S3, MinIO) serves buckets by path, not by host name.
        createCurS3Client({ ...options.aws, forcePathStyle: options.aws.endpoint !== undefined }),
        choice.uri,
        { periods: billingPeriods(query.start, query.end), columns: queryColumns(query) },
        (fetched) => {
          options.onFetched?.(fetched);
          return withDuckDb(fetched.dir, use);
        },
      );
      return value;
    }
    case "athena": {
      const engine = new AthenaCurEngine({
        client: new AthenaClient({ ...options.aws, maxAttempts: 1 }),
        database: choice.database,
        table: choice.table,
        workGroup: choice.workGroup,
        ...(choice.outputLocation === undefined ? {} : { outputLocation: choice.outputLocation }),
      });
      return use(curCostSource(engine));
    }
  }
}

async function withDuckDb<T>(dir: string, use: (source: CostSource) => Promise<T>): Promise<T> {
  // Loaded only here: DuckDB's native library is for --cur, not for every command's start.
  const { DuckDbCurEngine } = await import("../reconciler/duckdb/duckdb-engine.js");
  const engine = await DuckDbCurEngine.open(dir);
  try {
    return await use(curCostSource(engine));
  } finally {
    engine.close();
  }
}
