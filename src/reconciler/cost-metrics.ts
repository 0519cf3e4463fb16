/**
 * The cost metrics a reconciliation can report on: the one list the Lambda's configuration, the
 * stack's options, the CLI's `--metric` and the query checks all read, and what each metric is
 * in a CUR 2.0 export (one column, or refused with the reason).
 */
import type { CurColumnName } from "./cur/columns";

export const COST_METRICS = [
  "UnblendedCost",
  "AmortizedCost",
  "NetAmortizedCost",
  "NetUnblendedCost",
] as const;

export type CostMetric = (typeof COST_METRICS)[number];

/** Cost as billed: what a reconciliation reports on unless told otherwise. */
export const DEFAULT_COST_METRIC = "UnblendedCost" satisfies CostMetric;

export function isCostMetric(value: string): value is CostMetric {
  return (COST_METRICS as readonly string[]).includes(value);
}

/** A metric in a CUR 2.0 export: the column holding it, or why the CUR source refuses it. */
export type CurCostColumn =
  | { readonly kind: "column"; readonly column: CurColumnName }
  | { readonly kind: "refused"; readonly reason: string };

/**
 * Metric -> the CUR column holding it. Amortized cost is not one column: it is a CASE over
 * `line_item_line_item_type` picking reservation and Savings Plans effective-cost columns (and
 * zeroing the upfront fee and the recurring commitment lines), and those columns need the export
 * to include them. Until that mapping is written and tested against a real export, it is
 * refused with this reason rather than approximated by the unblended cost.
 */
export const CUR_COST_COLUMNS: Readonly<Record<CostMetric, CurCostColumn>> = {
  UnblendedCost: { kind: "column", column: "line_item_unblended_cost" },
  NetUnblendedCost: { kind: "column", column: "line_item_net_unblended_cost" },
  AmortizedCost: {
    kind: "refused",
    reason:
      "AmortizedCost is not one CUR column (it combines reservation_effective_cost, savings_plan_savings_plan_effective_cost and fees by line item type); the CUR source supports UnblendedCost and NetUnblendedCost",
  },
  NetAmortizedCost: {
    kind: "refused",
    reason:
      "NetAmortizedCost is not one CUR column (it combines the net reservation and Savings Plans effective-cost columns by line item type); the CUR source supports UnblendedCost and NetUnblendedCost",
  },
};
