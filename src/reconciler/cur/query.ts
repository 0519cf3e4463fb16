/**
 * The one CUR 2.0 query of a reconciliation: its definition (`CurQuery`, pure data), the SQL text
 * built from it for a dialect (`buildCurSql`), and the columns it reads (`queryColumns`).
 *
 * The query aggregates line items per
 *   day x resource-tag workflow value x principal-tag workflow value x service (product name and
 *   code) x usage type x pricing unit x line item type x currency
 * and, for lines with neither tag, the calling IAM principal (so the unowned summary can name
 * the caller to chase; bounded, because only unattributed lines carry it) and, for those of them
 * on an AI service, the billed resource id (the same reason; restricted to AI services because
 * an account's untagged EC2 and S3 resources are many, and not ours to chase). Summed: the
 * metric's cost column and the usage amount.
 *
 * Not in the SQL, on purpose, because each lives in one TypeScript module the rest of the
 * reconciler already uses: which services are AI spend (`ai-services.ts`, applied to the
 * aggregated rows' product name) and which model and token class a usage type names
 * (`usage-types.ts`). Both are functions of columns the query groups by, so grouping by those
 * columns loses nothing. The one exception is the resource id's condition, which has to be in
 * the SQL to keep the rows few: it is written from the same table (`AI_SERVICES` and the
 * Marketplace suffix, `aiServiceCondition`), and the core still classifies every row itself.
 *
 * Amounts: CUR 2.0 stores costs and usage amounts as `double`. Each line is cast to
 * DECIMAL(38, 10) before summing, so sums are exact decimals in both engines (a double sum would
 * depend on the order of rows, which differs between engines and runs) and come back as text.
 * Ten places is what CUR and Cost Explorer amounts carry; a double holds any amount of up to 15
 * significant digits exactly, so the cast gives back the amount AWS wrote.
 */
import { addDays, isCalendarDate } from "../../util/dates";
import { AI_SERVICES, BEDROCK_EDITION_SUFFIX } from "../ai-services";
import { CUR_COST_COLUMNS } from "../cost-metrics";
import type { CostMetric } from "../cost-metrics";
import type { CurColumnName } from "./columns";
import type { CurRelation, Dialect } from "./dialect";
import { stringLiteral } from "./dialect";

/** Decimal places each line's amount is cast to before summing (see the module comment). */
export const AMOUNT_SCALE = 10;

export class CurQueryError extends Error {
  override readonly name = "CurQueryError";
}

export interface CurQuery {
  /** First day, `YYYY-MM-DD` (inclusive). */
  readonly start: string;
  /** Day after the last day, `YYYY-MM-DD` (exclusive, as the Cost Explorer source). */
  readonly end: string;
  /** Billing periods (`YYYY-MM`) the days fall in: the only partitions read. */
  readonly periods: readonly string[];
  readonly metric: CostMetric;
  readonly costColumn: CurColumnName;
  /** The registry's workflow tag key (`settings.tagKeys.workflow`). */
  readonly tagKey: string;
  /** Its key in `resource_tags`: `user_<key>`. */
  readonly resourceTagKey: string;
  /** Its key in `tags` for the caller's principal tag: `iamPrincipal/<key>`. */
  readonly principalTagKey: string;
}

/**
 * The query definition for a date range. Throws `CurQueryError` for bad dates or a metric the
 * CUR source cannot compute.
 *
 * @example
 * curQuery({ start: "2026-04-20", end: "2026-05-03", metric: "UnblendedCost", tagKey: "workflow" }).periods
 * // ["2026-04", "2026-05"]
 */
export function curQuery(options: {
  readonly start: string;
  readonly end: string;
  readonly metric: CostMetric;
  readonly tagKey: string;
}): CurQuery {
  const { start, end, metric, tagKey } = options;
  for (const [name, value] of [
    ["start", start],
    ["end", end],
  ] as const) {
    if (!isCalendarDate(value))
      throw new CurQueryError(`${name} ${JSON.stringify(value)} is not a YYYY-MM-DD date`);
  }
  if (start >= end)
    throw new CurQueryError(`start ${start} must be before end ${end} (end is exclusive)`);
  const cost = CUR_COST_COLUMNS[metric];
  if (cost === undefined) throw new CurQueryError(`unknown cost metric ${JSON.stringify(metric)}`);
  if (cost.kind === "refused") throw new CurQueryError(cost.reason);
  if (tagKey.length === 0) throw new CurQueryError("the workflow tag key is empty");
  return {
    start,
    end,
    periods: billingPeriods(start, end),
    metric,
    costColumn: cost.column,
    tagKey,
    resourceTagKey: `user_${tagKey}`,
    principalTagKey: `iamPrincipal/${tagKey}`,
  };
}

/** The `YYYY-MM` billing periods covering [start, end). */
export function billingPeriods(start: string, end: string): string[] {
  const last = addDays(end, -1).slice(0, 7);
  const periods: string[] = [];
  let [year, month] = start.split("-").map(Number) as [number, number];
  for (;;) {
    const period = `${year}-${String(month).padStart(2, "0")}`;
    periods.push(period);
    if (period >= last) return periods;
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
}

/** The result columns, in order: what every engine returns and `parseCurRow` reads. */
export const RESULT_COLUMNS = [
  "usage_date",
  "resource_workflow",
  "principal_workflow",
  "unattributed_principal",
  "unattributed_resource",
  "product_name",
  "product_code",
  "usage_type",
  "pricing_unit",
  "line_item_type",
  "currency",
  "cost",
  "usage_amount",
  "line_items",
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/** The CUR columns the query reads: what a schema must have. */
export function queryColumns(query: CurQuery): CurColumnName[] {
  return [
    "line_item_usage_start_date",
    "resource_tags",
    "tags",
    "line_item_iam_principal",
    "line_item_resource_id",
    "product",
    "line_item_product_code",
    "line_item_usage_type",
    "pricing_unit",
    "line_item_line_item_type",
    "line_item_currency_code",
    query.costColumn,
    "line_item_usage_amount",
  ];
}

/**
 * SQL true when `productName` is an AI service by `classifyService`'s table: listed by name, or
 * a Marketplace model ("... (Amazon Bedrock Edition)", any letter case). Both engines' LIKE
 * treats only `%` and `_` as wildcards, and the listed names have neither.
 */
export function aiServiceCondition(productName: string): string {
  const listed = Object.keys(AI_SERVICES).map(stringLiteral);
  const suffix = stringLiteral(`%${BEDROCK_EDITION_SUFFIX.toLowerCase()}`);
  return `(${productName} IN (${listed.join(", ")}) OR lower(${productName}) LIKE ${suffix})`;
}

/**
 * The SQL text of `query` in `dialect`, reading `relation`.
 *
 * The billing-period filter is on the partition column (`billing_period`, from the
 * `BILLING_PERIOD=YYYY-MM` folders), so Athena reads only those partitions; the day filter is on
 * `line_item_usage_start_date`. An empty tag value counts as no tag (the attribution rule takes
 * the first non-empty value).
 */
export function buildCurSql(query: CurQuery, dialect: Dialect, relation: CurRelation): string {
  const resource = `NULLIF(${dialect.mapValue("resource_tags", query.resourceTagKey)}, '')`;
  const principal = `NULLIF(${dialect.mapValue("tags", query.principalTagKey)}, '')`;
  const productName = dialect.mapValue("product", "product_name");
  const untagged = `${resource} IS NULL AND ${principal} IS NULL`;
  const decimal = (column: string): string =>
    `CAST(SUM(CAST(${column} AS DECIMAL(38, ${AMOUNT_SCALE}))) AS VARCHAR)`;
  const select: readonly (readonly [string, ResultColumn])[] = [
    [dialect.dayOf("line_item_usage_start_date"), "usage_date"],
    [resource, "resource_workflow"],
    [principal, "principal_workflow"],
    [`CASE WHEN ${untagged} THEN line_item_iam_principal END`, "unattributed_principal"],
    [
      `CASE WHEN ${untagged} AND ${aiServiceCondition(productName)} THEN NULLIF(line_item_resource_id, '') END`,
      "unattributed_resource",
    ],
    [productName, "product_name"],
    ["line_item_product_code", "product_code"],
    ["line_item_usage_type", "usage_type"],
    ["pricing_unit", "pricing_unit"],
    ["line_item_line_item_type", "line_item_type"],
    ["line_item_currency_code", "currency"],
    [decimal(query.costColumn), "cost"],
    [decimal("line_item_usage_amount"), "usage_amount"],
    ["COUNT(*)", "line_items"],
  ];
  const grouped = select.length - 3;
  const ordinals = Array.from({ length: grouped }, (_, i) => String(i + 1)).join(", ");
  return [
    "SELECT",
    select.map(([expression, name]) => `  ${expression} AS ${name}`).join(",\n"),
    `FROM ${dialect.relation(relation)}`,
    `WHERE billing_period IN (${query.periods.map(stringLiteral).join(", ")})`,
    `  AND line_item_usage_start_date >= ${dialect.timestampAt(query.start)}`,
    `  AND line_item_usage_start_date < ${dialect.timestampAt(query.end)}`,
    `GROUP BY ${ordinals}`,
    `ORDER BY ${ordinals}`,
  ].join("\n");
}
