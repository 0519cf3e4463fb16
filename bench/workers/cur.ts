/**
 * One CUR 2.0 query over a local export, measured from inside its own process. `engine`: the
 * DuckDB engine's whole run (file listing, footer checks, the query, typed rows). Two floors,
 * each kept inside DuckDB (`CREATE TEMP TABLE ... AS`, nothing converted to JavaScript):
 * `floor` is DuckDB's bare aggregation, a hand-written `SELECT ... GROUP BY` of the same groups
 * summing the DOUBLE columns as they are; `same-sql` is the engine's own SQL text (exact
 * DECIMAL(38, 10) sums), which isolates what the engine adds around DuckDB. Prints one JSON
 * line.
 */
import { performance } from "node:perf_hooks";
import { DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB } from "../../src/reconciler/cur/dialect";
import { periodFiles } from "../../src/reconciler/cur/export-folder";
import { buildCurSql, curQuery } from "../../src/reconciler/cur/query";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";

interface Options {
  readonly dir: string;
  readonly mode: "engine" | "floor" | "same-sql";
  readonly start: string;
  readonly end: string;
}

/** The same groups, written as anyone would: DATE, the map values, DOUBLE sums, GROUP BY ALL. */
function bareSql(relation: { kind: "parquet-files"; files: readonly string[] }): string {
  const resource = DUCKDB.mapValue("resource_tags", "user_workflow");
  const principal = DUCKDB.mapValue("tags", "iamPrincipal/workflow");
  return `SELECT CAST(line_item_usage_start_date AS DATE), ${resource}, ${principal},
      CASE WHEN ${resource} IS NULL AND ${principal} IS NULL THEN line_item_iam_principal END,
      ${DUCKDB.mapValue("product", "product_name")}, line_item_product_code, line_item_usage_type,
      pricing_unit, line_item_line_item_type, line_item_currency_code,
      SUM(line_item_unblended_cost), SUM(line_item_usage_amount), COUNT(*)
    FROM ${DUCKDB.relation(relation)}
    WHERE billing_period IN ('2026-05')
      AND line_item_usage_start_date >= ${DUCKDB.timestampAt("2026-05-01")}
      AND line_item_usage_start_date < ${DUCKDB.timestampAt("2026-06-01")}
    GROUP BY ALL`;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as Options;
  const query = curQuery({
    start: options.start,
    end: options.end,
    metric: "UnblendedCost",
    tagKey: "workflow",
  });
  const readyRssBytes = process.memoryUsage().rss;
  const started = performance.now();
  let rows: number;
  let bytesScanned = 0;
  if (options.mode === "engine") {
    const engine = await DuckDbCurEngine.open(options.dir);
    const result = await engine.run(query);
    rows = result.rows.length;
    bytesScanned = result.stats.bytesScanned;
    engine.close();
  } else {
    const files = query.periods.flatMap((period) => periodFiles(options.dir, period).files);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const relation = { kind: "parquet-files", files } as const;
    const sql =
      options.mode === "same-sql" ? buildCurSql(query, DUCKDB, relation) : bareSql(relation);
    await connection.run(`CREATE TEMP TABLE result AS ${sql}`);
    const count = await connection.runAndReadAll("SELECT COUNT(*) FROM result");
    rows = Number(count.getRows()[0]![0]);
    connection.closeSync();
    instance.closeSync();
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ mode: options.mode, ms, rows, bytesScanned, readyRssBytes }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
