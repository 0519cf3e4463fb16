/**
 * Writes a synthetic CUR 2.0 export as AWS delivers it (Parquet data per billing period plus
 * the period's manifest), for tests, the demo and the benchmark:
 *
 *   DIR/data/BILLING_PERIOD=YYYY-MM/<export>-00001.snappy.parquet
 *   DIR/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json
 *
 * Columns are CUR 2.0's names and types (`CUR_COLUMNS`): costs and usage amounts `DOUBLE`,
 * dates `TIMESTAMP`, `product` / `resource_tags` / `tags` `MAP(VARCHAR, VARCHAR)`. DuckDB writes
 * the Parquet (`COPY ... (FORMAT PARQUET)`) from newline-delimited JSON, read with the column
 * types stated, so no type is guessed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";

import { DuckDBInstance } from "@duckdb/node-api";

import { CUR_COLUMNS } from "../reconciler/cur/columns";
import type { CurColumnName, CurColumnType } from "../reconciler/cur/columns";
import { stringLiteral } from "../reconciler/cur/dialect";
import {
  DATA_FOLDER,
  METADATA_FOLDER,
  PARTITION_PREFIX,
  periodFolder,
} from "../reconciler/cur/export-folder";

/** One line item. Amounts are decimal text (written as DOUBLE, as CUR 2.0 does). */
export interface CurLine {
  /** Usage start, `YYYY-MM-DD` (midnight UTC, a DAILY export) or `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly usageStart: string;
  readonly accountId?: string;
  /** Usage (default), Credit, Refund, Tax, ... */
  readonly lineItemType?: string;
  readonly productCode: string;
  /** `product['product_name']`; omitted = no such key in the map. */
  readonly productName?: string;
  readonly usageType: string;
  readonly operation?: string;
  readonly resourceId?: string;
  readonly iamPrincipal?: string;
  readonly usageAmount: string;
  readonly unblendedCost: string;
  /** Default: the unblended cost. */
  readonly netUnblendedCost?: string;
  readonly currency?: string;
  readonly pricingUnit?: string;
  /** `resource_tags`, keys as CUR writes them (`user_workflow`). */
  readonly resourceTags?: Readonly<Record<string, string>>;
  /** `tags`, keys as CUR writes them (`iamPrincipal/workflow`). */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface WriteCurExportOptions {
  /** The export's name (file names, manifest); default "ai-spend-cur". */
  readonly exportName?: string;
  /** Data files per period (lines dealt round-robin); default 1. */
  readonly filesPerPeriod?: number;
  /** Write each period's manifest (default true). */
  readonly manifest?: boolean;
  /** Columns left out of the files (to exercise an export created without a setting). */
  readonly omitColumns?: readonly CurColumnName[];
  /** Bucket and prefix the manifest's S3 URIs name; default "s3://cur-bucket/exports". */
  readonly s3Prefix?: string;
}

export interface WrittenPeriod {
  readonly period: string;
  readonly files: readonly string[];
  readonly manifest: string | null;
  readonly lines: number;
}

const SQL_TYPES: Readonly<Record<CurColumnType, string>> = {
  string: "VARCHAR",
  double: "DOUBLE",
  timestamp: "TIMESTAMP",
  "map<string,string>": "MAP(VARCHAR, VARCHAR)",
};

/** Writes `lines` as a CUR 2.0 export under `dir`; returns what it wrote, per period. */
export async function writeCurExport(
  dir: string,
  lines: Iterable<CurLine>,
  options: WriteCurExportOptions = {},
): Promise<WrittenPeriod[]> {
  const exportName = options.exportName ?? "ai-spend-cur";
  const filesPerPeriod = options.filesPerPeriod ?? 1;
  if (!Number.isInteger(filesPerPeriod) || filesPerPeriod < 1) {
    throw new RangeError(`filesPerPeriod must be a whole number >= 1, got ${filesPerPeriod}`);
  }
  const omitted = new Set<string>(options.omitColumns ?? []);
  const columns = CUR_COLUMNS.filter((c) => !omitted.has(c.name));
  const scratch = mkdtempSync(join(tmpdir(), "cur-export-"));
  try {
    // Lines go to one NDJSON file per (period, file number): the input of each COPY.
    const buckets = new Map<
      string,
      { path: string; count: number; stream: ReturnType<typeof createWriteStream> }
    >();
    const perPeriod = new Map<string, number>();
    for (const line of lines) {
      const record = toRecord(line);
      const period = record.billingPeriod;
      const seen = perPeriod.get(period) ?? 0;
      perPeriod.set(period, seen + 1);
      const key = `${period}#${seen % filesPerPeriod}`;
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        const path = join(scratch, `${period}-${seen % filesPerPeriod}.ndjson`);
        bucket = { path, count: 0, stream: createWriteStream(path) };
        buckets.set(key, bucket);
      }
      bucket.count += 1;
      if (!bucket.stream.write(`${JSON.stringify(record.row)}\n`))
        await once(bucket.stream, "drain");
    }
    await Promise.all(
      [...buckets.values()].map(
        (b) =>
          new Promise<void>((resolve, reject) =>
            b.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
          ),
      ),
    );

    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const spec = columns.map((c) => `${c.name}: ${stringLiteral(SQL_TYPES[c.type])}`).join(", ");
      const written: WrittenPeriod[] = [];
      for (const period of [...perPeriod.keys()].sort()) {
        const folder = periodFolder(dir, period);
        mkdirSync(folder, { recursive: true });
        const files: string[] = [];
        for (let n = 0; n < filesPerPeriod; n++) {
          const bucket = buckets.get(`${period}#${n}`);
          if (bucket === undefined) continue;
          const file = join(
            folder,
            `${exportName}-${String(n + 1).padStart(5, "0")}.snappy.parquet`,
          );
          await connection.run(
            `COPY (SELECT ${columns.map((c) => c.name).join(", ")} FROM read_json(${stringLiteral(bucket.path)}, format = 'newline_delimited', columns = {${spec}})) TO ${stringLiteral(file)} (FORMAT PARQUET, COMPRESSION SNAPPY)`,
          );
          files.push(file);
        }
        let manifest: string | null = null;
        if (options.manifest ?? true) {
          manifest = writeManifest(
            dir,
            period,
            exportName,
            files,
            columns,
            options.s3Prefix ?? "s3://cur-bucket/exports",
          );
        }
        written.push({ period, files, manifest, lines: perPeriod.get(period)! });
      }
      return written;
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function toRecord(line: CurLine): { billingPeriod: string; row: Record<string, unknown> } {
  const start = /^(\d{4}-\d{2})-\d{2}(?:T(\d{2}:\d{2}:\d{2})Z)?$/.exec(line.usageStart);
  if (start === null) {
    throw new RangeError(
      `usageStart ${JSON.stringify(line.usageStart)}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`,
    );
  }
  const billingPeriod = start[1]!;
  const timestamp = `${line.usageStart.slice(0, 10)} ${start[2] ?? "00:00:00"}`;
  const row: Record<CurColumnName, unknown> = {
    bill_billing_period_start_date: `${billingPeriod}-01 00:00:00`,
    line_item_usage_start_date: timestamp,
    line_item_usage_account_id: line.accountId ?? "111122223333",
    line_item_line_item_type: line.lineItemType ?? "Usage",
    line_item_product_code: line.productCode,
    line_item_usage_type: line.usageType,
    line_item_operation: line.operation ?? "InvokeModel",
    line_item_resource_id: line.resourceId ?? null,
    line_item_iam_principal: line.iamPrincipal ?? null,
    // As numbers: the JSON number is read as DOUBLE, as CUR 2.0 stores amounts.
    line_item_usage_amount: Number(line.usageAmount),
    line_item_unblended_cost: Number(line.unblendedCost),
    line_item_net_unblended_cost: Number(line.netUnblendedCost ?? line.unblendedCost),
    line_item_currency_code: line.currency ?? "USD",
    pricing_unit: line.pricingUnit ?? null,
    product: line.productName === undefined ? {} : { product_name: line.productName },
    resource_tags: line.resourceTags ?? {},
    tags: line.tags ?? {},
  };
  return { billingPeriod, row };
}

/** The manifest, shaped like the one AWS writes after a period's data files. */
function writeManifest(
  dir: string,
  period: string,
  exportName: string,
  files: readonly string[],
  columns: readonly { readonly name: string; readonly type: string }[],
  s3Prefix: string,
): string {
  const folder = join(dir, METADATA_FOLDER, `${PARTITION_PREFIX}${period}`);
  mkdirSync(folder, { recursive: true });
  const [year, month] = period.split("-").map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
  const path = join(folder, `${exportName}${"-Manifest.json"}`);
  const base = `${s3Prefix}/${exportName}/${DATA_FOLDER}/${PARTITION_PREFIX}${period}`;
  // The fields implementations of real exports read (AWS does not document them): see
  // src/reconciler/cur/manifest.ts.
  writeFileSync(
    path,
    `${JSON.stringify(
      {
        exportArn: `arn:aws:bcm-data-exports:us-east-1:111122223333:export/${exportName}-0a1b2c3d`,
        exportName,
        executionId: `exec-${period}`,
        billingPeriod: { start: `${period}-01T00:00:00.000Z`, end: `${next}-01T00:00:00.000Z` },
        columns: columns.map((c) => ({ name: c.name, type: manifestType(c.type) })),
        dataFiles: files.map((file) => `${base}/${file.slice(file.lastIndexOf("/") + 1)}`),
      },
      null,
      2,
    )}\n`,
  );
  return path;
}

/** A column type as manifests name it: the nested columns are `map`. */
function manifestType(type: string): string {
  return type.startsWith("map<") ? "map" : type;
}

export interface GeneratedExportOptions {
  /** The billing period, `YYYY-MM`. */
  readonly period: string;
  /** Line items to write (the benchmark uses 10 million). */
  readonly lines: number;
  /** Distinct workflow tag values (`wf-0000` ...). */
  readonly workflows: number;
  /** Distinct models: half Marketplace products, half first-party usage types. */
  readonly models: number;
  /** Data files (default 1). */
  readonly files?: number;
  readonly exportName?: string;
}

/**
 * A large synthetic period generated inside DuckDB (no line passes through JavaScript), for the
 * benchmark. Line i: day i % days; a resource tag on 2 lines in 5, a principal tag on 2 in 5 and
 * on every 7th (another workflow's: a conflict where the line also has a resource tag), neither
 * on the rest (unowned); model i % models; token class i % 4; a Tax
 * line every 1,000th; costs and usage as DOUBLE, as CUR stores them.
 */
export async function writeGeneratedCurExport(
  dir: string,
  options: GeneratedExportOptions,
): Promise<WrittenPeriod> {
  const { period, lines, workflows, models } = options;
  const files = options.files ?? 1;
  const exportName = options.exportName ?? "ai-spend-cur";
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period))
    throw new RangeError(`period must be YYYY-MM, got ${period}`);
  for (const [name, value] of [
    ["lines", lines],
    ["workflows", workflows],
    ["models", models],
    ["files", files],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a whole number >= 1, got ${value}`);
  }
  const [year, month] = period.split("-").map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const folder = periodFolder(dir, period);
  mkdirSync(folder, { recursive: true });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const empty = "CAST(MAP([], []) AS MAP(VARCHAR, VARCHAR))";
  const workflow = (offset: string) =>
    `'wf-' || lpad(CAST((i + ${offset}) % ${workflows} AS VARCHAR), 4, '0')`;
  const marketplace = `i % ${models} < ${Math.ceil(models / 2)}`;
  const classes = ["Input", "Output", "CacheReadInput", "CacheWriteInput"];
  const kebab = [
    "input-tokens",
    "output-tokens",
    "cache-read-input-token-count",
    "cache-write-input-token-count",
  ];
  const select = (from: number, to: number): string => `
    SELECT
      TIMESTAMP '${period}-01 00:00:00' AS bill_billing_period_start_date,
      TIMESTAMP '${period}-01 00:00:00' + to_days(CAST(i % ${days} AS INTEGER)) AS line_item_usage_start_date,
      '1111' || lpad(CAST(i % 50 AS VARCHAR), 8, '0') AS line_item_usage_account_id,
      CASE WHEN i % 1000 = 999 THEN 'Tax' ELSE 'Usage' END AS line_item_line_item_type,
      CASE WHEN ${marketplace} THEN 'prod-' || CAST(i % ${models} AS VARCHAR) ELSE 'AmazonBedrock' END AS line_item_product_code,
      CASE WHEN ${marketplace}
        THEN 'USE1-MP:USE1_' || [${classes.map((c) => `'${c}'`).join(", ")}][i % 4 + 1] || 'TokenCount-Units'
        ELSE 'USE1-Model' || CAST(i % ${models} AS VARCHAR) || 'Lite-' || [${kebab.map((c) => `'${c}'`).join(", ")}][i % 4 + 1]
      END AS line_item_usage_type,
      'InvokeModel' AS line_item_operation,
      CAST(NULL AS VARCHAR) AS line_item_resource_id,
      'arn:aws:sts::111122223333:assumed-role/role-' || CAST(i % 97 AS VARCHAR) || '/s' AS line_item_iam_principal,
      CAST((i % 997) / 10.0 AS DOUBLE) AS line_item_usage_amount,
      CAST((i % 9973) / 100000.0 AS DOUBLE) AS line_item_unblended_cost,
      CAST((i % 9973) / 100000.0 AS DOUBLE) AS line_item_net_unblended_cost,
      'USD' AS line_item_currency_code,
      '1K tokens' AS pricing_unit,
      MAP {'product_name': CASE WHEN ${marketplace} THEN 'Model ' || CAST(i % ${models} AS VARCHAR) || ' (Amazon Bedrock Edition)' ELSE 'Amazon Bedrock' END} AS product,
      CASE WHEN i % 5 < 2 THEN MAP {'user_workflow': ${workflow("0")}} ELSE ${empty} END AS resource_tags,
      CASE WHEN i % 5 IN (2, 3) OR i % 7 = 0 THEN MAP {'iamPrincipal/workflow': ${workflow("CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END")}} ELSE ${empty} END AS tags
    FROM range(${from}, ${to}) t(i)`;
  try {
    const written: string[] = [];
    const per = Math.ceil(lines / files);
    for (let n = 0; n < files; n++) {
      const file = join(folder, `${exportName}-${String(n + 1).padStart(5, "0")}.snappy.parquet`);
      const to = Math.min(lines, (n + 1) * per);
      if (n * per >= to) break;
      await connection.run(
        `COPY (${select(n * per, to)}) TO ${stringLiteral(file)} (FORMAT PARQUET, COMPRESSION SNAPPY)`,
      );
      written.push(file);
    }
    const manifest = writeManifest(
      dir,
      period,
      exportName,
      written,
      CUR_COLUMNS,
      "s3://cur-bucket/exports",
    );
    return { period, files: written, manifest, lines };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
