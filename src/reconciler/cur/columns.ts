/**
 * The CUR 2.0 columns the reconciliation reads: one list, used by the query builder (what it
 * selects), the engines (what a schema must have, and what to tell the user when it lacks one),
 * the synthetic export writer and, later, the export the stack creates (exactly these columns).
 *
 * Types are CUR 2.0's own (AWS Data Exports table dictionary, `COST_AND_USAGE_REPORT`): costs and
 * usage amounts are `double`, dates are `timestamp`, the nested columns are `map<string,string>`.
 */

export type CurColumnType = "string" | "double" | "timestamp" | "map<string,string>";

export interface CurColumn {
  readonly name: string;
  readonly type: CurColumnType;
  /**
   * How a missing column is added to an export: a table configuration that adds it
   * (`INCLUDE_RESOURCES`), or, for a column every CUR 2.0 table has, listing it in the export's
   * query.
   */
  readonly addedBy:
    { readonly kind: "table-configuration"; readonly name: string } | { readonly kind: "query" };
}

const query = { kind: "query" } as const;

/** Every column the reconciliation reads, in the order the synthetic export writes them. */
export const CUR_COLUMNS = [
  { name: "bill_billing_period_start_date", type: "timestamp", addedBy: query },
  { name: "line_item_usage_start_date", type: "timestamp", addedBy: query },
  { name: "line_item_usage_account_id", type: "string", addedBy: query },
  { name: "line_item_line_item_type", type: "string", addedBy: query },
  { name: "line_item_product_code", type: "string", addedBy: query },
  { name: "line_item_usage_type", type: "string", addedBy: query },
  { name: "line_item_operation", type: "string", addedBy: query },
  {
    name: "line_item_resource_id",
    type: "string",
    addedBy: { kind: "table-configuration", name: "INCLUDE_RESOURCES" },
  },
  {
    name: "line_item_iam_principal",
    type: "string",
    addedBy: { kind: "table-configuration", name: "INCLUDE_IAM_PRINCIPAL_DATA" },
  },
  { name: "line_item_usage_amount", type: "double", addedBy: query },
  { name: "line_item_unblended_cost", type: "double", addedBy: query },
  { name: "line_item_net_unblended_cost", type: "double", addedBy: query },
  { name: "line_item_currency_code", type: "string", addedBy: query },
  { name: "pricing_unit", type: "string", addedBy: query },
  { name: "product", type: "map<string,string>", addedBy: query },
  { name: "resource_tags", type: "map<string,string>", addedBy: query },
  { name: "tags", type: "map<string,string>", addedBy: query },
] as const satisfies readonly CurColumn[];

export type CurColumnName = (typeof CUR_COLUMNS)[number]["name"];

const BY_NAME = new Map<string, CurColumn>(CUR_COLUMNS.map((c) => [c.name, c]));

/** The column's entry; throws for a name that is not in the list (a programming error). */
export function curColumn(name: CurColumnName): CurColumn {
  return BY_NAME.get(name)!;
}

/**
 * The sentence telling the user how to get a missing column, e.g.
 * "the export lacks line_item_iam_principal: create the export with the table configuration
 * INCLUDE_IAM_PRINCIPAL_DATA".
 */
export function missingColumnHint(name: CurColumnName): string {
  const column = curColumn(name);
  return column.addedBy.kind === "table-configuration"
    ? `the export lacks ${name}: create the export with the table configuration ${column.addedBy.name} set to TRUE`
    : `the export lacks ${name}: add ${name} to the export's column list (its query's SELECT)`;
}
