import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  DUCKDB,
  TRINO,
  identifier,
  stringLiteral,
  SqlLiteralError,
} from "../../src/reconciler/cur/dialect";
import {
  billingPeriods,
  buildCurSql,
  curQuery,
  CurQueryError,
  queryColumns,
  RESULT_COLUMNS,
} from "../../src/reconciler/cur/query";

const base = {
  start: "2026-04-20",
  end: "2026-05-03",
  metric: "UnblendedCost",
  tagKey: "workflow",
} as const;
const table = { kind: "table", database: "cur", table: "cost_and_usage" } as const;

describe("curQuery", () => {
  it("derives the billing periods, the cost column and the tag keys", () => {
    expect(curQuery(base)).toEqual({
      ...base,
      periods: ["2026-04", "2026-05"],
      costColumn: "line_item_unblended_cost",
      resourceTagKey: "user_workflow",
      principalTagKey: "iamPrincipal/workflow",
    });
    expect(curQuery({ ...base, metric: "NetUnblendedCost" }).costColumn).toBe(
      "line_item_net_unblended_cost",
    );
  });

  it("refuses amortized metrics with the reason, instead of approximating them", () => {
    expect(() => curQuery({ ...base, metric: "AmortizedCost" })).toThrow(
      /AmortizedCost is not one CUR column/,
    );
    expect(() => curQuery({ ...base, metric: "NetAmortizedCost" })).toThrow(CurQueryError);
  });

  it.each([
    [{ start: "2026-02-30" }, /start "2026-02-30" is not a YYYY-MM-DD date/],
    [{ end: "tomorrow" }, /end "tomorrow"/],
    [{ start: "2026-05-03", end: "2026-05-03" }, /must be before end/],
    [{ tagKey: "" }, /tag key is empty/],
  ])("refuses %j", (change, message) => {
    expect(() => curQuery({ ...base, ...change })).toThrow(message);
  });

  it.each([
    ["2026-05-01", "2026-05-02", ["2026-05"]],
    ["2026-05-01", "2026-06-01", ["2026-05"]],
    ["2026-05-31", "2026-06-02", ["2026-05", "2026-06"]],
    ["2025-11-15", "2026-02-01", ["2025-11", "2025-12", "2026-01"]],
  ])("billing periods of [%s, %s)", (start, end, periods) => {
    expect(billingPeriods(start, end)).toEqual(periods);
  });
});

describe("buildCurSql", () => {
  it("Trino: element_at for maps, the Glue table, the partition and date filters", () => {
    const sql = buildCurSql(curQuery(base), TRINO, table);
    expect(sql).toContain(
      `NULLIF(element_at(resource_tags, 'user_workflow'), '') AS resource_workflow`,
    );
    expect(sql).toContain(
      `NULLIF(element_at(tags, 'iamPrincipal/workflow'), '') AS principal_workflow`,
    );
    expect(sql).toContain(`element_at(product, 'product_name') AS product_name`);
    expect(sql).toContain(`FROM "cur"."cost_and_usage"`);
    expect(sql).toContain(`WHERE billing_period IN ('2026-04', '2026-05')`);
    expect(sql).toContain(`line_item_usage_start_date >= TIMESTAMP '2026-04-20 00:00:00'`);
    expect(sql).toContain(`line_item_usage_start_date < TIMESTAMP '2026-05-03 00:00:00'`);
    expect(sql).toContain(
      `CAST(SUM(CAST(line_item_unblended_cost AS DECIMAL(38, 10))) AS VARCHAR) AS cost`,
    );
    expect(sql).toContain("GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
    // Trino's map[key] raises on a missing key: never used.
    expect(sql).not.toMatch(/\w\[/);
    expect(sql).not.toContain("map_extract");
  });

  it("DuckDB: map_extract_value, Parquet files by path with the partition from the folder", () => {
    const sql = buildCurSql(curQuery(base), DUCKDB, {
      kind: "parquet-files",
      files: [
        "/x/data/BILLING_PERIOD=2026-04/a.parquet",
        "/x/data/BILLING_PERIOD=2026-05/b.parquet",
      ],
    });
    expect(sql).toContain(`NULLIF(map_extract_value(resource_tags, 'user_workflow'), '')`);
    expect(sql).toContain(
      `FROM read_parquet(['/x/data/BILLING_PERIOD=2026-04/a.parquet', '/x/data/BILLING_PERIOD=2026-05/b.parquet'], hive_partitioning = true`,
    );
    expect(sql).not.toContain("element_at");
  });

  it("selects only the columns the query needs: never SELECT *", () => {
    const query = curQuery(base);
    const sql = buildCurSql(query, TRINO, table);
    expect(sql).not.toMatch(/SELECT\s+\*/);
    const identifiers = new Set(
      sql
        .replace(/ AS \w+/g, "")
        .match(/\b(line_item_\w+|pricing_unit|product|resource_tags|tags)\b/g),
    );
    expect([...identifiers].sort()).toEqual([...queryColumns(query)].sort());
  });

  it("result columns come in RESULT_COLUMNS order", () => {
    const sql = buildCurSql(curQuery(base), TRINO, table);
    const names = [...sql.matchAll(/ AS (\w+)(?:,|\n)/g)].map((m) => m[1]);
    expect(names).toEqual([...RESULT_COLUMNS]);
  });

  it("writes a hostile tag key as a literal, in both dialects", () => {
    const query = curQuery({ ...base, tagKey: "team') OR 1=1 --" });
    for (const dialect of [TRINO, DUCKDB]) {
      const sql = buildCurSql(query, dialect, table);
      expect(sql).toContain(`'user_team'') OR 1=1 --'`);
      expect(sql).toContain(`'iamPrincipal/team'') OR 1=1 --'`);
    }
  });

  it("Trino cannot read Parquet files by path", () => {
    expect(() =>
      buildCurSql(curQuery(base), TRINO, { kind: "parquet-files", files: ["/a.parquet"] }),
    ).toThrow(SqlLiteralError);
  });
});

describe("literals", () => {
  it.each([
    ["plain", "'plain'"],
    ["it's", "'it''s'"],
    ["back\\slash", "'back\\slash'"],
    ["''", "''''''"],
    ["ünïcode/キー", "'ünïcode/キー'"],
  ])("%s", (value, literal) => {
    expect(stringLiteral(value)).toBe(literal);
  });

  it("refuses NUL, which neither engine can carry", () => {
    expect(() => stringLiteral("a\u0000b")).toThrow(SqlLiteralError);
  });

  it("identifiers double their quotes", () => {
    expect(identifier('we"ird')).toBe('"we""ird"');
    expect(() => identifier("")).toThrow(SqlLiteralError);
  });
});

// The DuckDB dialect against the real engine: the semantics the comments claim.
describe("the DuckDB dialect on DuckDB itself", () => {
  let instance: DuckDBInstance;
  const scalar = async (sql: string): Promise<unknown> => {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowsJson()[0]?.[0];
    } finally {
      connection.closeSync();
    }
  };
  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
  });
  afterAll(() => instance.closeSync());

  it("mapValue returns the value, or NULL for a missing key", async () => {
    const map = "MAP {'user_workflow': 'support-triage'}";
    expect(await scalar(`SELECT ${DUCKDB.mapValue(map, "user_workflow")}`)).toBe("support-triage");
    expect(await scalar(`SELECT ${DUCKDB.mapValue(map, "user_owner")} IS NULL`)).toBe(true);
  });

  it("element_at returns a list in DuckDB: why the dialect does not use it", async () => {
    expect(await scalar(`SELECT element_at(MAP {'k': 'v'}, 'k')`)).toEqual(["v"]);
    expect(await scalar(`SELECT element_at(MAP {'k': 'v'}, 'missing')`)).toEqual([]);
  });

  it("string literals round-trip hostile text", async () => {
    for (const text of ["it's", "a\\b", "team') OR 1=1 --", "ünïcode/キー", "$1"]) {
      expect(await scalar(`SELECT ${stringLiteral(text)}`)).toBe(text);
    }
  });

  it("a hostile key finds its own map entry and nothing else", async () => {
    const key = "team') OR 1=1 --";
    const map = `MAP {${stringLiteral(key)}: 'found', 'team': 'other'}`;
    expect(await scalar(`SELECT ${DUCKDB.mapValue(map, key)}`)).toBe("found");
  });

  it("timestampAt and dayOf agree with DuckDB on a UTC day", async () => {
    expect(await scalar(`SELECT ${DUCKDB.dayOf(DUCKDB.timestampAt("2026-05-03"))}`)).toBe(
      "2026-05-03",
    );
  });
});
