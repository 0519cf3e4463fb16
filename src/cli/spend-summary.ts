/**
 * The reconciliation for people, in a terminal: one row per workflow (spend, the part of it
 * attributed by the caller's role tag, budget used, projection, review cost, fully loaded,
 * flags), then unowned and unregistered spend, totals, spend by attribution route and the
 * conflicts, every flag's sentence and the Cost Explorer requests made. `reconcile` and `demo`
 * print it.
 */
import { formatShare, SEVERITY_RANK, unregisteredHint } from "../reconciler";
import { footedTotal, formatMoney } from "../util/money";
import type { Report } from "../reconciler";
import { addDays } from "../util/dates";
import { styler } from "./io";
import type { Io } from "./io";
import { money, renderTable } from "./table";

export function renderSpendSummary(report: Report, source: string, io: Io): string {
  const style = styler(io);
  const currency = report.currency;
  const lastDay = addDays(report.period.end, -1);
  // The sum of the unregistered lines below as they are printed, so the parts add up.
  const unregistered = footedTotal(report.unregistered.map((u) => u.spend));
  const lines = [
    style(
      "bold",
      `AI spend by workflow, ${report.period.start} to ${lastDay} (${source}, ${report.metric})`,
    ),
    "",
    renderTable(
      [
        { header: "WORKFLOW" },
        { header: "OWNER" },
        { header: `SPEND (${currency})`, align: "right" },
        { header: "BY ROLE TAG", align: "right" },
        { header: "BUDGET", align: "right" },
        { header: `PROJECTED`, align: "right" },
        { header: `REVIEW`, align: "right" },
        { header: `FULLY LOADED`, align: "right" },
        { header: "FLAGS" },
      ],
      report.workflows.map((w) => [
        w.id,
        w.owner,
        money(w.spend),
        w.attribution.principalTag === 0 ? "-" : money(w.attribution.principalTag),
        w.budgetUsed === null ? "-" : formatShare(w.budgetUsed),
        money(w.projectedSpend),
        reviewCell(w.reviewCost, w.reviewCostBasis),
        money(w.fullyLoaded),
        w.flags
          .map((f) => (f.severity === "critical" ? style("red", f.kind) : f.kind))
          .join(", ") || "-",
      ]),
    ),
    "* review cost estimated from the registry's expected volume; - no human review cost",
    "BY ROLE TAG: spend attributed by the caller's iamPrincipal/ tag (no resource tag): the workflow's AWS budget cannot see it",
    "",
    `AI spend ${formatMoney(report.totals.aiSpend, currency)}; attributed ${formatShare(report.totals.attributedShare)}; nobody's ${formatMoney(footedTotal([report.unowned.spend, unregistered]), currency)} (unowned ${formatMoney(report.unowned.spend, currency)} + unregistered ${formatMoney(unregistered, currency)}); all cloud spend ${formatMoney(report.totals.spend, currency)}`,
  ];
  for (const u of report.unregistered) {
    const hint = u.suggestion === null ? "" : ` ${unregisteredHint(u)}`;
    const where = u.route === "principalTag" ? " (caller's role tag)" : "";
    lines.push(
      `  unregistered ${JSON.stringify(u.value)}${where}: ${formatMoney(u.spend, currency)}${hint}`,
    );
  }
  const a = report.attribution;
  lines.push(
    `AI spend by route: resource tag ${formatMoney(a.resourceTag, currency)}; caller's role tag ${formatMoney(a.principalTag, currency)}; neither ${formatMoney(a.none, currency)}`,
  );
  for (const c of a.conflicts) {
    lines.push(
      `  conflict: resource tag ${JSON.stringify(c.resourceTag)}, caller's role tag ${JSON.stringify(c.principalTag)}: ${formatMoney(c.spend, currency)} (counted under ${JSON.stringify(c.resourceTag)})`,
    );
  }
  // Most serious first (over budget, an experiment past its review date), the account's flags
  // before the workflows' within a severity.
  const flagLines = [
    ...report.flags.map((flag) => ({ flag, line: `${flag.severity}: ${flag.message}` })),
    ...report.workflows.flatMap((w) =>
      w.flags.map((flag) => ({ flag, line: `${flag.severity}: ${w.id}: ${flag.message}` })),
    ),
  ].sort((a, b) => SEVERITY_RANK[a.flag.severity] - SEVERITY_RANK[b.flag.severity]);
  for (const { flag, line } of flagLines) {
    lines.push(flag.severity === "critical" ? style("red", line) : line);
  }
  lines.push("", `Cost Explorer requests: ${report.ceRequests} (USD 0.01 each)`);
  return lines.join("\n");
}

/** A workflow nobody reviews shows "-", not an "estimated" zero. */
function reviewCell(cost: number, basis: "measured" | "estimated"): string {
  if (cost === 0) return "-";
  return `${money(cost)}${basis === "estimated" ? "*" : ""}`;
}
