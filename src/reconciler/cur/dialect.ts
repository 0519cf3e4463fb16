/**
 * Where Trino (Athena) and DuckDB SQL differ, for the one CUR query: everything else in the
 * query text is common SQL both engines accept. Each difference is one method here, unit-tested
 * for both dialects (and DuckDB's against the real engine).
 *
 * Differences met:
 * - Map access. Trino: `map[key]` raises on a missing key, `element_at(map, key)` returns null.
 *   DuckDB (1.5): `element_at(map, key)` and `map_extract` return a LIST (`['v']`, `[]` when
 *   missing); `map[key]` returns the value in 1.5 but returned a list in older releases;
 *   `map_extract_value(map, key)` returns the value or NULL and does not exist in releases that
 *   had the list semantics, so a version mismatch fails loudly instead of comparing lists.
 * - The relation. Athena reads a Glue table; DuckDB reads Parquet files by path
 *   (`read_parquet([...])`), which is how only the needed periods' files are ever opened.
 * - Dates. Both accept `TIMESTAMP 'YYYY-MM-DD HH:MM:SS'` literals and `CAST(ts AS DATE)`, so the
 *   query uses only those (Trino's `date_format` and DuckDB's `strftime` are not each other's).
 * - String literals. Both are standard SQL: a quote is doubled, a backslash is an ordinary
 *   character (DuckDB's `E'...'` escapes are not used). NUL cannot be written in either.
 */

export type DialectName = "trino" | "duckdb";

/** What the query reads from. */
export type CurRelation =
  /** A Glue/Hive table partitioned by `billing_period` (Athena). */
  | { readonly kind: "table"; readonly database: string; readonly table: string }
  /** Parquet files by path, with the Hive partition column read from the folder names. */
  | { readonly kind: "parquet-files"; readonly files: readonly string[] };

export interface Dialect {
  readonly name: DialectName;
  /** The value of `key` in a map column, NULL when absent. */
  mapValue(map: string, key: string): string;
  /** The FROM clause's relation. */
  relation(relation: CurRelation): string;
  /** A timestamp literal for midnight UTC of a `YYYY-MM-DD` day. */
  timestampAt(date: string): string;
  /** The `YYYY-MM-DD` text of a timestamp expression's day. */
  dayOf(timestamp: string): string;
}

/** A character no engine can carry in a literal. */
const NUL = "\u0000";

/**
 * A SQL string literal for `value`: quotes doubled. Tag keys come from the registry (user
 * input): they are always written through this, never interpolated raw.
 */
export function stringLiteral(value: string): string {
  if (value.includes(NUL)) {
    throw new SqlLiteralError(
      `a NUL character cannot be written in a SQL literal: ${JSON.stringify(value)}`,
    );
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted identifier (database, table): double quotes doubled. */
export function identifier(name: string): string {
  if (name.length === 0 || name.includes(NUL)) {
    throw new SqlLiteralError(`not a usable SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

export class SqlLiteralError extends Error {
  override readonly name = "SqlLiteralError";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function timestampAt(date: string): string {
  if (!DAY.test(date)) throw new SqlLiteralError(`not a YYYY-MM-DD day: ${JSON.stringify(date)}`);
  return `TIMESTAMP ${stringLiteral(`${date} 00:00:00`)}`;
}

function dayOf(timestamp: string): string {
  return `CAST(CAST(${timestamp} AS DATE) AS VARCHAR)`;
}

export const TRINO: Dialect = {
  name: "trino",
  mapValue: (map, key) => `element_at(${map}, ${stringLiteral(key)})`,
  relation(relation) {
    if (relation.kind !== "table") {
      throw new SqlLiteralError("Athena reads a Glue table, not Parquet files by path");
    }
    return `${identifier(relation.database)}.${identifier(relation.table)}`;
  },
  timestampAt,
  dayOf,
};

export const DUCKDB: Dialect = {
  name: "duckdb",
  mapValue: (map, key) => `map_extract_value(${map}, ${stringLiteral(key)})`,
  relation(relation) {
    if (relation.kind === "table")
      return `${identifier(relation.database)}.${identifier(relation.table)}`;
    if (relation.files.length === 0) throw new SqlLiteralError("no Parquet files to read");
    // hive_partitioning gives the `billing_period` column from `BILLING_PERIOD=YYYY-MM/`
    // (column names are case-insensitive, but hive_types keys are not: spelled as the folder),
    // typed VARCHAR so DuckDB does not guess a type from "2026-05".
    return `read_parquet([${relation.files.map(stringLiteral).join(", ")}], hive_partitioning = true, hive_types = {'BILLING_PERIOD': VARCHAR})`;
  },
  timestampAt,
  dayOf,
};

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { trino: TRINO, duckdb: DUCKDB };
