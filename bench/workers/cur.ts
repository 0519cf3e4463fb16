/**
 * One CUR 2.0 query over a local export, measured from inside its own process. `engine`: the
 * DuckDB engine's whole run (file listing, footer checks, the query, typed rows). Two floors,
 * each kept inside DuckDB (`CREATE TEMP TABLE ... AS`, nothing converted to JavaScript):
 * `floor` is DuckDB's bare aggregation, a hand-written `SELECT ... GROUP BY` of the same groups
 * summing the DOUBLE columns as they are; `same-sql` is the engine's own SQL text (exact
 * DECIMAL(38, 10) sums), which isolates what the engine adds around DuckDB. Prints one JSON
 * line. `reconcile`: the whole reconciliation on that engine (`runReconciliation` over
 * `curCostSource`, a registry of the export's 1,000 workflows): rows to report.
 */
import { performance } from "node:perf_hooks";
import { DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB } from "../../src/reconciler/cur/dialect";
import { periodFiles } from "../../src/reconciler/cur/export-folder";
import { buildCurSql, curQuery } from "../../src/reconciler/cur/query";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";
import { curCostSource, runReconciliation } from "../../src/reconciler";
import { parseRegistry } from "../../src/registry";
import { benchRegistryText } from "../registry";

interface Options {
  readonly dir: string;
  readonly mode: "engine" | "floor" | "same-sql" | "reconcile";
  /** The export's workflow count (reconcile: the registry's workflows, as the export names them). */
  readonly workflows?: number;
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

/**
 * The benchmark registry, its ids shifted to the generator's (`wf-0000`... where the registry's
 * start at `wf-0001`), so every workflow of the export is registered.
 */
function exportRegistry(workflows: number) {
  const text = benchRegistryText(workflows).replace(
    /^ {2}wf-(\d{4}):$/gm,
    (_, n: string) => `  wf-${String(Number(n) - 1).padStart(4, "0")}:`,
  );
  return parseRegistry(text, "bench-workflows.yaml");
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as Options;
  const query = curQuery({
    start: options.start,
    end: options.end,
    metric: "UnblendedCost",
    tagKey: "workflow",
  });
  // Parsed before the clock starts: the registry is the caller's, as in the Lambda.
  const registry =
    options.mode === "reconcile" ? exportRegistry(options.workflows ?? 1_000) : undefined;
  const readyRssBytes = process.memoryUsage().rss;
  const started = performance.now();
  let rows: number;
  let bytesScanned = 0;
  if (options.mode === "reconcile") {
    const engine = await DuckDbCurEngine.open(options.dir);
    let counted = 0;
    const counting = curCostSource(engine);
    const report = await runReconciliation({
      registry: registry!,
      source: {
        ...counting,
        fetch: (query, fetchOptions) =>
          counting.fetch(query, {
            ...fetchOptions,
            onPage: (_page, pageRows) => (counted += pageRows),
          }),
      },
      runDate: options.end,
      now: () => new Date(`${options.end}T06:00:00Z`),
    });
    rows = counted;
    if (report.source === "cur") bytesScanned = report.query.bytesScanned;
    engine.close();
  } else if (options.mode === "engine") {
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
