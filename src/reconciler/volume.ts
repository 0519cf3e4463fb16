/**
 * How many items a workflow processed this month: measured from the CloudWatch metric the
 * registry names (`volume.metric`), else the registry's expected volume prorated to the days
 * reported. The report says which (`reviewCostBasis`), because a measured review cost is a
 * fact and an estimated one is a promise.
 */
import type { Period } from "./period";
import type { VolumeRequest } from "./ports";
import type { Workflow } from "../registry";

export type Items =
  | { readonly basis: "measured"; readonly items: number }
  | { readonly basis: "estimated"; readonly items: number | null };

/** The workflows that name a metric, as requests for a `VolumeSource`. */
export function volumeRequests(workflows: readonly Workflow[]): VolumeRequest[] {
  const requests: VolumeRequest[] = [];
  for (const workflow of workflows) {
    const metric = workflow.volume?.metric;
    if (metric !== undefined) requests.push({ workflowId: workflow.id, metric });
  }
  return requests;
}

/** Items of one workflow for the period, measured when available, else estimated. */
export function itemsFor(
  workflow: Workflow,
  period: Period,
  measured: ReadonlyMap<string, number>,
): Items {
  const value = measured.get(workflow.id);
  if (workflow.volume?.metric !== undefined && value !== undefined) {
    return { basis: "measured", items: value };
  }
  if (workflow.volume === undefined) return { basis: "estimated", items: null };
  return {
    basis: "estimated",
    items: (workflow.volume.itemsPerMonth * period.elapsedDays) / period.daysInMonth,
  };
}
