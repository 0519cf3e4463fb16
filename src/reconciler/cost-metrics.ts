/**
 * The Cost Explorer metrics a reconciliation can report on: the one list the Lambda's
 * configuration, the stack's options, the CLI's `--metric` and the query check all read.
 */
export const COST_METRICS = ["UnblendedCost", "AmortizedCost", "NetAmortizedCost"] as const;

export type CostMetric = (typeof COST_METRICS)[number];

/** Cost as billed: what a reconciliation reports on unless told otherwise. */
export const DEFAULT_COST_METRIC = "UnblendedCost" satisfies CostMetric;

export function isCostMetric(value: string): value is CostMetric {
  return (COST_METRICS as readonly string[]).includes(value);
}
