/**
 * Stage 5's second table: per workflow and model, the measured outcomes and what one accepted
 * outcome costs once review, rework and escalations are counted (`workflows[].models[]` with
 * `costPerAccepted`), then the cheap-model findings in full. Only models whose outcomes are
 * measured per model (`outcomes.metrics.modelDimension`) have a row.
 */
import type { Report } from "../reconciler";
import { formatAmount } from "../util/money";
import { printable } from "../util/printable";
import { money, renderTable } from "./table";

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "" when no model of any workflow has measured outcomes. */
export function renderModelOutcomes(report: Report): string {
  const rows: string[][] = [];
  for (const w of report.workflows) {
    for (const m of w.models ?? []) {
      if (!("costPerAccepted" in m)) continue;
      rows.push([
        w.id,
        printable(m.model),
        COUNT.format(m.accepted),
        COUNT.format(m.reworked),
        COUNT.format(m.escalated),
        money(m.spend),
        money(m.reviewCost + m.reworkCost + m.exceptionCost),
        m.costPerAccepted === null ? "-" : formatAmount(m.costPerAccepted),
      ]);
    }
  }
  if (rows.length === 0) return "";
  const findings = report.workflows.flatMap((w) =>
    w.flags
      .filter((f) => f.kind === "cheap-model-dearer")
      .map((f) => `${f.severity}: ${w.id}: ${printable(f.message)}`),
  );
  return [
    renderTable(
      [
        { header: "WORKFLOW" },
        { header: "MODEL" },
        { header: "ACCEPTED", align: "right" },
        { header: "REWORKED", align: "right" },
        { header: "ESCALATED", align: "right" },
        { header: `SPEND (${report.currency})`, align: "right" },
        { header: "REVIEW+REWORK+EXCEPTIONS", align: "right" },
        { header: "PER ACCEPTED", align: "right" },
      ],
      rows,
    ),
    "PER ACCEPTED: (spend + review + rework + exceptions) / accepted, from outcomes measured per model",
    ...findings,
  ].join("\n");
}
