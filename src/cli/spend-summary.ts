/**
 * The reconciliation for people, in a terminal: one row per workflow (spend, the part of it
 * attributed by the caller's role tag, budget used, projection, review cost, fully loaded,
 * flags), then unowned and unregistered spend, totals, spend by attribution route and the
 * conflicts, every flag's sentence and the Cost Explorer requests made. `reconcile` and `demo`
 * print it.
 */
import {
  formatCostPerAccepted,
  formatReworkAndExceptions,
  formatShare,
  SEVERITY_RANK,
  unregisteredHint,
} from "../reconciler";
import { footedTotal, formatMoney, formatUnitMoney } from "../util/money";
import type { Report } from "../reconciler";
import { printable } from "../util/printable";
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
  const outcomes = renderOutcomes(report);
  if (outcomes !== "") lines.push("", outcomes);
  const teams = renderTeams(report);
  if (teams !== "") lines.push("", teams);
  if (report.source === "cur") {
    const models = renderModelEconomics(report);
    if (models !== "") lines.push("", models);
    for (const u of report.unknownUsageTypes) {
      lines.push(
        `  unknown usage type ${JSON.stringify(printable(u.usageType))} on ${printable(u.service)}: ${u.lineItems} line item(s), ${formatMoney(u.spend, currency)}, not counted as tokens (${printable(u.reason)})`,
      );
    }
    lines.push(
      "",
      `CUR query on ${report.query.engine}: ${formatBytes(report.query.bytesScanned)} scanned, ${formatUnitMoney(report.query.cost, "USD")}; Cost Explorer requests: 0`,
    );
  } else {
    lines.push("", `Cost Explorer requests: ${report.ceRequests} (USD 0.01 each)`);
  }
  return lines.join("\n");
}

/**
 * Cost per accepted outcome per workflow with its basis, rework and exceptions, in the digest's
 * wording; then why any figures are estimated. "" when no workflow has outcome figures.
 */
export function renderOutcomes(report: Report): string {
  const rows = report.workflows.flatMap((w) =>
    w.outcomes === null ? [] : [{ id: w.id, outcomes: w.outcomes }],
  );
  if (rows.length === 0) return "";
  const c = report.currency;
  const lines = [
    renderTable(
      [
        { header: "WORKFLOW" },
        { header: "COST PER ACCEPTED OUTCOME" },
        { header: "REWORK / EXCEPTIONS" },
      ],
      rows.map((r) => [
        r.id,
        formatCostPerAccepted(r.outcomes, c),
        formatReworkAndExceptions(r.outcomes, c),
      ]),
    ),
  ];
  for (const r of rows) {
    if (r.outcomes.basisReason !== null)
      lines.push(`  ${r.id}: outcomes estimated: ${printable(r.outcomes.basisReason)}`);
  }
  return lines.join("\n");
}

/** The human cost each team carries for workflows others own; "" when none does. */
export function renderTeams(report: Report): string {
  if (report.teams.length === 0) return "";
  return [
    "Human cost absorbed by teams for workflows others own:",
    renderTable(
      [
        { header: "TEAM" },
        { header: `ABSORBS (${report.currency})`, align: "right" },
        { header: "WORKFLOW" },
        { header: "OWNER" },
        { header: "REVIEW", align: "right" },
        { header: "REWORK", align: "right" },
        { header: "EXCEPTIONS", align: "right" },
      ],
      report.teams.flatMap((t) =>
        t.workflows.map((w, i) => [
          i === 0 ? t.team : "",
          i === 0 ? money(t.absorbs) : "",
          w.id,
          w.owner,
          money(w.review),
          money(w.rework),
          money(w.exceptions),
        ]),
      ),
    ),
  ].join("\n");
}

/**
 * Per workflow, per model: spend, tokens by class and cost per million tokens (a CUR report);
 * "" when no workflow has model spend. Model names come from the bill: printable only.
 */
export function renderModelEconomics(report: Extract<Report, { source: "cur" }>): string {
  // One table per concept: the cost per accepted outcome is a column where models have one.
  const perAccepted = report.workflows.some((w) =>
    (w.models ?? []).some((m) => "costPerAccepted" in m),
  );
  const rows = report.workflows.flatMap((w) =>
    (w.models ?? []).map((m) => [
      w.id,
      printable(m.model),
      money(m.spend),
      tokens(m.inputTokens),
      tokens(m.outputTokens),
      tokens(m.cacheReadTokens),
      tokens(m.cacheWriteTokens),
      m.costPerMillionTokens === null ? "-" : formatUnitMoney(m.costPerMillionTokens, "").trim(),
      ...(perAccepted
        ? [
            !("costPerAccepted" in m) || m.costPerAccepted === null
              ? "-"
              : formatUnitMoney(m.costPerAccepted, "").trim(),
          ]
        : []),
    ]),
  );
  if (rows.length === 0) return "";
  return renderTable(
    [
      { header: "WORKFLOW" },
      { header: "MODEL" },
      { header: `SPEND (${report.currency})`, align: "right" },
      { header: "INPUT", align: "right" },
      { header: "OUTPUT", align: "right" },
      { header: "CACHE READ", align: "right" },
      { header: "CACHE WRITE", align: "right" },
      { header: "PER 1M TOKENS", align: "right" },
      ...(perAccepted ? [{ header: "PER ACCEPTED", align: "right" as const }] : []),
    ],
    rows,
  );
}

const TOKENS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 1234567 -> "1,234,567" (tokens are whole; a fraction from a rounded usage amount is dropped). */
function tokens(count: number | null): string {
  return count === null || count === 0 ? "-" : TOKENS.format(count);
}

/** 1536 -> "1.5 KiB": bytes for a person. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A workflow nobody reviews shows "-", not an "estimated" zero. */
function reviewCell(cost: number, basis: "measured" | "estimated"): string {
  if (cost === 0) return "-";
  return `${money(cost)}${basis === "estimated" ? "*" : ""}`;
}
