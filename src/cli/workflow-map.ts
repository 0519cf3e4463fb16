/** The workflow map: who owns what, with which budget, review cost and review date. */
import type { Registry } from "../registry";
import { reviewCost } from "../rules/review-cost";
import { printable } from "../util/printable";
import { money, renderTable } from "./table";

export interface WorkflowMapRow {
  readonly id: string;
  readonly owner: string;
  readonly stage: string;
  readonly risk: string;
  readonly monthlyBudget: number | null;
  /** Estimated monthly review cost from the registry's expected volume. */
  readonly reviewCostEstimate: number | null;
  readonly reviewBy: string | null;
  readonly allowList: string;
}

export function workflowMap(registry: Registry): WorkflowMapRow[] {
  return registry.workflows.map((w) => ({
    id: w.id,
    owner: w.owner,
    stage: w.stage,
    risk: w.risk,
    monthlyBudget: w.budget?.monthly ?? null,
    reviewCostEstimate:
      w.review !== undefined && w.volume !== undefined
        ? Math.round(reviewCost(w.volume.itemsPerMonth, w.review) * 100) / 100
        : null,
    reviewBy: w.reviewBy ?? null,
    allowList: [...(w.models ?? []), ...(w.instanceTypes ?? [])].join(", ") || "any",
  }));
}

export function renderWorkflowMap(registry: Registry): string {
  const currency = registry.settings.currency;
  return renderTable(
    [
      { header: "WORKFLOW" },
      { header: "OWNER" },
      { header: "STAGE" },
      { header: "RISK" },
      { header: `BUDGET/MO (${printable(currency)})`, align: "right" },
      { header: `REVIEW/MO (${printable(currency)})`, align: "right" },
      { header: "REVIEW BY" },
      { header: "MODELS / INSTANCES" },
    ],
    // Registry strings reach the terminal: escape sequences and bidi controls are shown, not run.
    workflowMap(registry).map((row) =>
      [
        row.id,
        row.owner,
        row.stage,
        row.risk,
        row.monthlyBudget === null ? "-" : money(row.monthlyBudget),
        row.reviewCostEstimate === null ? "-" : money(row.reviewCostEstimate),
        row.reviewBy ?? "-",
        row.allowList,
      ].map((text) => printable(text)),
    ),
  );
}
