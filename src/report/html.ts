/**
 * The report people look at: one self-contained HTML file (the charting library, the data and
 * the styles are inline; nothing is fetched), readable by a finance partner.
 *
 * Every value that came from a tag, the bill or the registry enters the markup through the
 * escaping `html` template tag, and the data for the charts through `jsonForScript`. A strict
 * Content-Security-Policy (hashes of the exact inline script and style) backs that up.
 */
import { formatItemCount, OUTSIDE_IAC_FIX, SEVERITIES, SEVERITY_RANK } from "../reconciler";
import type {
  AttributionRoute,
  Flag,
  ModelReport,
  Report,
  ReportAudit,
  ReportHealth,
  ReportHealthItem,
  Severity,
  WorkflowReport,
} from "../reconciler";
import {
  footedTotal,
  formatAmount as amount,
  formatMoney as money,
  formatUnitMoney as unitMoney,
} from "../util/money";
import { chartLibrary } from "./chart-library";
import {
  CHART_IDS,
  chartModel,
  credits,
  MODEL_CHART_ID,
  OUTCOME_CHART_ID,
  outcomeGap,
} from "./charts";
import { contentSecurityPolicy } from "./csp";
import { jsonForScript } from "./escape";
import {
  count,
  METRIC_IN_WORDS,
  multiple,
  percent,
  periodInWords,
  timestampInWords,
} from "./format";
import { PAGE_SCRIPT } from "./page-script";
import { html, trustedHtml } from "./safe-html";
import type { SafeHtml } from "./safe-html";
import { STYLES } from "./styles";
import { assertRenderable } from "./validate";

export interface HtmlOptions {
  /** Page title and heading. Default: "AI spend by workflow and owner". */
  readonly title?: string;
  /**
   * Who receives unowned and unregistered spend (the registry's
   * `settings.unownedSpendContact`); named in the page when given.
   */
  readonly unownedSpendContact?: string;
}

const SEVERITY_WORD: Readonly<Record<Severity, string>> = {
  critical: "Critical",
  warning: "Warning",
  info: "Note",
};
const rank = (s: Severity) => SEVERITY_RANK[s];

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function sortFlags(flags: readonly Flag[]): Flag[] {
  return [...flags].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );
}

function worst(flags: readonly Flag[]): Severity | null {
  return sortFlags(flags)[0]?.severity ?? null;
}

function flagList(flags: readonly Flag[]): SafeHtml {
  if (flags.length === 0) return html``;
  return html`<ul class="flags">
    ${sortFlags(flags).map(
      (f) =>
        html`<li class="flag ${f.severity}" data-kind="${f.kind}">
          <span class="sev">${SEVERITY_WORD[f.severity]}</span>${f.message}
        </li>`,
    )}
  </ul>`;
}

function badge(flags: readonly Flag[]): SafeHtml {
  const severity = worst(flags);
  if (severity === null) return html`<span class="badge ok">No flags</span>`;
  const n = flags.filter((f) => f.severity === severity).length;
  return html`<span class="badge ${severity}">${n} ${SEVERITY_WORD[severity].toLowerCase()}</span>`;
}

/** Unregistered spend as the table of values shows it: the sum of its rows as shown. */
const unregisteredTotal = (report: Report) => footedTotal(report.unregistered.map((u) => u.spend));
const dash = "–";

function byService(
  byServiceAmounts: Readonly<Record<string, number>>,
  currency: string,
): [string, string][] {
  return Object.entries(byServiceAmounts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([service, amount]) => [service, money(amount, currency)]);
}

// ---------------------------------------------------------------------------------------------

function header(report: Report, title: string): SafeHtml {
  return html`<header>
    <h1>${title}</h1>
    <p class="lede">
      <strong>${periodInWords(report.period)}</strong> (month to date). Amounts in
      <strong>${report.currency}</strong>, ${METRIC_IN_WORDS[report.metric]}.
    </p>
  </header>`;
}

function tiles(report: Report): SafeHtml {
  const c = report.currency;
  // Totals next to the parts they sum are added as shown, so that they foot to the cent.
  const review = footedTotal(report.workflows.map((w) => w.reviewCost));
  const loaded = footedTotal(report.workflows.map((w) => w.fullyLoaded));
  const untagged = report.unowned.spend;
  const unregistered = unregisteredTotal(report);
  const tile = (label: string, value: string, note: string, id: string) =>
    html`<div class="tile" data-tile="${id}">
      <div class="label">${label}</div>
      <div class="value">${value}</div>
      <div class="note">${note}</div>
    </div>`;
  return html`<section class="tiles" aria-label="Totals">
    ${tile("AI spend", money(report.totals.aiSpend, c), `of ${money(report.totals.spend, c)} total cloud spend`, "ai-spend")}
    ${tile("Explained by a workflow", percent(report.totals.attributedShare), "of AI spend has a registered owner", "attributed")}
    ${tile("Nobody's spend", money(footedTotal([untagged, unregistered]), c), `untagged ${money(untagged, c)} + unregistered tags ${money(unregistered, c)}`, "unowned")}
    ${tile("Review cost", money(review, c), "people checking the model's output", "review")}
    ${tile("Fully loaded cost", money(loaded, c), "workflows' cloud spend plus review cost", "fully-loaded")}
  </section>`;
}

/**
 * What needs attention first: the account's flags, and every workflow's critical flags (over
 * budget, an experiment past its review date), each naming its workflow, so that a reader who
 * stops at the top of the page still sees them.
 */
function attention(report: Report): SafeHtml {
  const critical = report.workflows.flatMap((w) =>
    sortFlags(w.flags.filter((f) => f.severity === "critical")).map((flag) => ({ w, flag })),
  );
  if (report.flags.length === 0 && critical.length === 0) return html``;
  return html`<section aria-labelledby="h-attention">
    <h2 id="h-attention">Needs attention</h2>
    ${
      critical.length === 0
        ? html``
        : html`<ul class="flags">
            ${critical.map(
              ({ w, flag }) =>
                html`<li
                  class="flag ${flag.severity}"
                  data-kind="${flag.kind}"
                  data-workflow="${w.id}"
                >
                  <span class="sev">${SEVERITY_WORD[flag.severity]}</span
                  ><span class="id">${w.id}</span>: ${flag.message}
                </li>`,
            )}
          </ul>`
    }
    ${flagList(report.flags)}
  </section>`;
}

/** The credits the daily chart dips for, in words: the chart labels them, this says them. */
function creditNote(report: Report): string {
  const list = credits(report);
  if (list.length === 0) return "";
  const c = report.currency;
  const shown = list.slice(0, 3).map((k) => `${k.workflow} ${money(k.amount, c)} on ${k.day}`);
  const more = list.length > 3 ? ` and ${list.length - 3} more` : "";
  return ` Below zero: ${list.length === 1 ? "a credit" : "credits"} (${shown.join("; ")}${more}).`;
}

/** A chart's frame: the page script draws into the canvas; the tables carry the figures. */
function figure(id: string, title: string, note: string): SafeHtml {
  return html`<figure>
    <figcaption>${title}<span class="muted">${note}</span></figcaption>
    <div class="chart-box">
      <canvas id="${id}" role="img" aria-label="${title}">${title}: see the tables below.</canvas>
    </div>
  </figure>`;
}

function charts(report: Report): SafeHtml {
  return html`<section aria-labelledby="h-charts">
    <h2 id="h-charts">At a glance</h2>
    <noscript
      ><p class="chart-error">
        The charts need JavaScript. The tables below carry every figure.
      </p></noscript
    >
    <p id="chart-error" class="chart-error" hidden></p>
    <div class="charts">
      ${figure(CHART_IDS.spendVsBudget, "Spend against budget", "Spent so far this month, projected by month end (red when above budget), and the monthly budget.")}
      ${figure(CHART_IDS.daily, "Daily spend per workflow", `Cloud spend per day. A line that climbs steeply is a review trigger.${creditNote(report)}`)}
      ${figure(CHART_IDS.fullyLoaded, "Fully loaded cost", "What each workflow really costs: cloud spend plus the people who review its output.")}
      ${figure(CHART_IDS.unownedShare, "Who owns the AI spend", "Spend on AI services by registered workflow, untagged, and unregistered tag values.")}
      ${
        chartModel(report).charts.some((c) => c.canvasId === MODEL_CHART_ID)
          ? figure(
              MODEL_CHART_ID,
              "Cost per million tokens, by model",
              "What a million tokens (input, output and cache together) cost each workflow on each model, from the CUR line items.",
            )
          : html``
      }
    </div>
  </section>`;
}

/** Tokens are whole; a fraction from a rounded usage amount is not worth a column of decimals. */
const tokens = (n: number | null): string | SafeHtml =>
  n === null || n === 0 ? dash : count(Math.round(n));

/** Whether a model row carries outcome figures (its outcomes are measured per model). */
const hasOutcomes = (m: ModelReport): m is Extract<ModelReport, { accepted: number }> =>
  "costPerAccepted" in m;

/**
 * The models table, one per report: per workflow, per model, spend; from CUR also the tokens by
 * class and what a million tokens cost; where outcomes are measured per model, accepted and
 * reworked outputs and the cost per accepted outcome, with the workflow's `cheap-model-dearer`
 * flag beside its models. Then, from CUR, the Bedrock usage types no rule could read (counted,
 * not guessed). Nothing for a Cost Explorer report that names no model.
 */
function modelTable(report: Report): SafeHtml {
  const c = report.currency;
  const rows = report.workflows.flatMap((w) => (w.models ?? []).map((m) => ({ w, m })));
  if (report.source !== "cur" && rows.length === 0) return html``;
  const withTokens = report.source === "cur";
  const withOutcomes = rows.some(({ m }) => hasOutcomes(m));
  const columns = 3 + (withTokens ? 5 : 0) + (withOutcomes ? 3 : 0);
  const unit = (n: number | null) => (n === null ? dash : unitMoney(n, c).replace(` ${c}`, ""));
  const flagRow = (w: WorkflowReport) =>
    w.flags
      .filter((f) => f.kind === "cheap-model-dearer")
      .map(
        (f) =>
          html`<tr class="model-flag" data-workflow="${w.id}">
            <td colspan="${columns}">
              <div class="flag ${f.severity}" data-kind="${f.kind}">
                <span class="sev">${SEVERITY_WORD[f.severity]}</span>${f.message}
              </div>
            </td>
          </tr>`,
      );
  const title = withOutcomes
    ? withTokens
      ? "Models: tokens and outcomes"
      : "Models and outcomes"
    : withTokens
      ? "Models and tokens"
      : "Models";
  return html`<section aria-labelledby="h-models" id="models">
    <h2 id="h-models">${title}</h2>
    ${
      withTokens
        ? ""
        : html`<p class="muted">
            Cost Explorer names only the Marketplace models (their service is the model); it has no
            token counts.
          </p>`
    }
    ${
      rows.length === 0
        ? html`<p class="muted">No registered workflow has model spend this month.</p>`
        : html`<div class="table-wrap">
            <table id="model-table">
              <thead>
                <tr>
                  <th>Workflow</th>
                  <th>Model</th>
                  <th class="num">Spend (${c})</th>
                  ${
                    withTokens
                      ? html`<th class="num">Input tokens</th>
                          <th class="num">Output tokens</th>
                          <th class="num">Cache read</th>
                          <th class="num">Cache write</th>
                          <th class="num">Per million tokens (${c})</th>`
                      : ""
                  }
                  ${
                    withOutcomes
                      ? html`<th class="num">Accepted</th>
                          <th class="num">Reworked</th>
                          <th class="num">Per accepted outcome (${c})</th>`
                      : ""
                  }
                </tr>
              </thead>
              <tbody>
                ${report.workflows.map((w) => [
                  ...(w.models ?? []).map(
                    (m) =>
                      html`<tr data-workflow="${w.id}" data-model="${m.model}">
                        <td class="id">${w.id}</td>
                        <td>${m.model}</td>
                        <td class="num">${amount(m.spend)}</td>
                        ${
                          withTokens
                            ? html`<td class="num">${tokens(m.inputTokens)}</td>
                                <td class="num">${tokens(m.outputTokens)}</td>
                                <td class="num">${tokens(m.cacheReadTokens)}</td>
                                <td class="num">${tokens(m.cacheWriteTokens)}</td>
                                <td class="num">${unit(m.costPerMillionTokens)}</td>`
                            : ""
                        }
                        ${
                          withOutcomes
                            ? hasOutcomes(m)
                              ? html`<td class="num">${formatItemCount(m.accepted)}</td>
                                  <td class="num">${formatItemCount(m.reworked)}</td>
                                  <td class="num" data-cost-per-accepted>
                                    ${unit(m.costPerAccepted)}
                                  </td>`
                              : html`<td class="num">${dash}</td>
                                  <td class="num">${dash}</td>
                                  <td class="num" data-cost-per-accepted>${dash}</td>`
                            : ""
                        }
                      </tr>`,
                  ),
                  ...((w.models ?? []).length === 0 ? [] : flagRow(w)),
                ])}
              </tbody>
            </table>
          </div>`
    }
    ${
      report.source !== "cur" || report.unknownUsageTypes.length === 0
        ? html``
        : html`<p>
              Bedrock usage types the guard could not read as tokens (their spend is in the
              workflows' totals, not in any model's row):
            </p>
            <ul id="unknown-usage-types">
              ${report.unknownUsageTypes.map(
                (u) =>
                  html`<li>
                    <code>${u.usageType}</code> on ${u.service}: ${count(u.lineItems)} line
                    item${u.lineItems === 1 ? "" : "s"}, ${money(u.spend, c)} (${u.reason})
                  </li>`,
              )}
            </ul>`
    }
  </section>`;
}

/** Why a workflow has no cost per accepted outcome, in words. */
function gapReason(w: WorkflowReport): SafeHtml | null {
  const gap = outcomeGap(w);
  if (gap === null) return null;
  if (gap.kind === "no-outcomes") {
    return gap.flag === null
      ? html`the registry gives it no <code>outcomes</code>.`
      : html`${gap.flag}`;
  }
  return gap.flag === null
    ? html`nothing was accepted this month, so there is no cost per accepted outcome.`
    : html`${gap.flag}`;
}

/**
 * Cost per accepted outcome per workflow: the stacked bar (model, review, rework, exceptions,
 * each / accepted), its figures in a table, and every workflow without such a cost with the
 * reason, never drawn as a zero.
 */
function outcomes(report: Report): SafeHtml {
  const c = report.currency;
  const measured = report.workflows.filter((w) => w.outcomes !== null);
  const gaps = report.workflows.flatMap((w) => {
    const reason = gapReason(w);
    return reason === null ? [] : [{ w, reason }];
  });
  const anyDeclared =
    measured.length > 0 ||
    report.workflows.some((w) => w.flags.some((f) => f.kind === "outcomes-unmeasured"));
  const drawn = chartModel(report).charts.some((ch) => ch.canvasId === OUTCOME_CHART_ID);
  return html`<section aria-labelledby="h-outcomes" id="outcomes">
    <h2 id="h-outcomes">Outcomes</h2>
    <p>
      What one accepted outcome costs: the model's spend (credits lower it to zero at most) plus the
      people around it (review, rework of outputs sent back, the exception path for escalations),
      divided by the outputs accepted. A cheap model whose output is often redone can cost more per
      accepted outcome than a dearer one.
    </p>
    ${
      !anyDeclared
        ? html`<p class="muted">
            No workflow declares outcomes in the registry, so there is no cost per accepted outcome
            yet: add an <code>outcomes</code> block (measured metrics, or expected shares) to a
            workflow.
          </p>`
        : html`${
            drawn
              ? html`<div class="charts">
                  ${figure(OUTCOME_CHART_ID, "Cost per accepted outcome", "Per workflow: the model's spend, review, rework and exceptions, each divided by the outputs accepted.")}
                </div>`
              : ""
          }
          ${
            measured.length === 0
              ? ""
              : html`<div class="table-wrap">
                  <table id="outcome-table">
                    <thead>
                      <tr>
                        <th>Workflow</th>
                        <th>Basis</th>
                        <th class="num">Accepted</th>
                        <th class="num">Reworked</th>
                        <th class="num">Escalated</th>
                        <th class="num">Model spend (${c})</th>
                        <th class="num">Review (${c})</th>
                        <th class="num">Rework (${c})</th>
                        <th class="num">Exceptions (${c})</th>
                        <th class="num">Per accepted outcome (${c})</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${measured.map((w) => {
                        const o = w.outcomes!;
                        return html`<tr data-workflow="${w.id}" data-basis="${o.basis}">
                          <td class="id">${w.id}</td>
                          <td>
                            ${o.basis === "measured" ? "Measured" : "Estimated"}
                            ${
                              o.basisReason === null
                                ? ""
                                : html`<span class="muted note">${o.basisReason}</span>`
                            }
                          </td>
                          <td class="num">${formatItemCount(o.accepted)}</td>
                          <td class="num">${formatItemCount(o.reworked)}</td>
                          <td class="num">${formatItemCount(o.escalated)}</td>
                          <td class="num">${amount(w.spend)}</td>
                          <td class="num">${amount(o.reviewCost)}</td>
                          <td class="num">${amount(o.reworkCost)}</td>
                          <td class="num">${amount(o.exceptionCost)}</td>
                          <td class="num" data-cost-per-accepted>
                            ${
                              o.costPerAccepted === null
                                ? dash
                                : unitMoney(o.costPerAccepted, c).replace(` ${c}`, "")
                            }
                          </td>
                        </tr>`;
                      })}
                    </tbody>
                  </table>
                </div>`
          }
          ${
            gaps.length === 0
              ? ""
              : html`<p>Not drawn, with the reason:</p>
                  <ul id="outcome-gaps">
                    ${gaps.map(
                      ({ w, reason }) =>
                        html`<li data-workflow="${w.id}">
                          <span class="id">${w.id}</span>: ${reason}
                        </li>`,
                    )}
                  </ul>`
          }`
    }
  </section>`;
}

/** The human cost each team carries for workflows others own (the report's `teams`). */
function teams(report: Report): SafeHtml {
  const c = report.currency;
  return html`<section aria-labelledby="h-teams" id="teams">
    <h2 id="h-teams">Who absorbs the human cost</h2>
    <p>
      Review, rework and escalations take people's time. When those people sit in a team other than
      the workflow's own, the cost lands on that team, not on the owner who chose the model.
    </p>
    ${
      report.teams.length === 0
        ? html`<p class="muted">
            No team carries review, rework or exception time for a workflow another team owns.
          </p>`
        : html`<div class="table-wrap">
            <table id="team-table">
              <thead>
                <tr>
                  <th>Team</th>
                  <th class="num">Absorbs (${c})</th>
                  <th>Workflow</th>
                  <th>Owner</th>
                  <th class="num">Review (${c})</th>
                  <th class="num">Rework (${c})</th>
                  <th class="num">Exceptions (${c})</th>
                </tr>
              </thead>
              <tbody>
                ${report.teams.map((t) =>
                  t.workflows.map(
                    (w, i) =>
                      html`<tr data-team="${t.team}" data-workflow="${w.id}">
                        ${
                          i === 0
                            ? html`<td class="id" rowspan="${t.workflows.length}">${t.team}</td>
                                <td class="num" rowspan="${t.workflows.length}">
                                  ${amount(t.absorbs)}
                                </td>`
                            : ""
                        }
                        <td class="id">${w.id}</td>
                        <td>${w.owner}</td>
                        <td class="num">${amount(w.review)}</td>
                        <td class="num">${amount(w.rework)}</td>
                        <td class="num">${amount(w.exceptions)}</td>
                      </tr>`,
                  ),
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

/**
 * One row per workflow. Amounts are written without the currency code, which the column headers
 * carry, so the table fits a laptop screen without scrolling sideways.
 */
function workflowTable(report: Report): SafeHtml {
  const c = report.currency;
  return html`<section aria-labelledby="h-workflows">
    <h2 id="h-workflows">All workflows</h2>
    <div class="table-wrap">
      <table id="workflow-table">
        <thead>
          <tr>
            <th>Workflow</th>
            <th>Owner</th>
            <th>Stage</th>
            <th class="num">Spent so far (${c})</th>
            <th class="num">Budget (${c})</th>
            <th class="num">Used</th>
            <th class="num">Projected (${c})</th>
            <th class="num">Last month (${c})</th>
            <th class="num">Review cost (${c})</th>
            <th class="num">Fully loaded (${c})</th>
            <th>Flags</th>
          </tr>
        </thead>
        <tbody>
          ${report.workflows.map(
            (w) =>
              html`<tr data-workflow="${w.id}">
                <td class="id">${w.id}</td>
                <td>${w.owner}</td>
                <td>${stageWord(w)}</td>
                <td class="num">${amount(w.spend)}</td>
                <td class="num">${w.budget === null ? dash : amount(w.budget)}</td>
                <td class="num">${w.budgetUsed === null ? dash : percent(w.budgetUsed)}</td>
                <td class="num">${amount(w.projectedSpend)}</td>
                <td class="num">${amount(w.lastMonthSpend)}</td>
                <td class="num">${amount(w.reviewCost)}</td>
                <td class="num">${amount(w.fullyLoaded)}</td>
                <td>${badge(w.flags)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

const ROUTE_WORD = {
  resourceTag: "Resource tag",
  principalTag: "Caller's role tag",
} as const;

/** Spend by the route that attributed it, and the conflicts between the two routes. */
function attribution(report: Report): SafeHtml {
  const c = report.currency;
  const a = report.attribution;
  const share = (amount: number) =>
    report.totals.aiSpend > 0 ? ` (${percent(amount / report.totals.aiSpend)})` : "";
  return html`<section aria-labelledby="h-attribution" id="attribution">
    <h2 id="h-attribution">How the spend was attributed</h2>
    <p>
      A line of spend belongs to the workflow its resource's tag names; without one, to the workflow
      the tag of the IAM role or user that called the model names; without either, to nobody. AWS
      budgets and anomaly monitors filter on resource tags, so they do not see the spend attributed
      by the caller's tag.
    </p>
    <div class="table-wrap">
      <table id="route-table">
        <thead>
          <tr>
            <th>Attributed by</th>
            <th class="num">AI spend</th>
          </tr>
        </thead>
        <tbody>
          <tr data-route="resourceTag">
            <td>${ROUTE_WORD.resourceTag}</td>
            <td class="num">${money(a.resourceTag, c)}${share(a.resourceTag)}</td>
          </tr>
          <tr data-route="principalTag">
            <td>${ROUTE_WORD.principalTag} (iamPrincipal/)</td>
            <td class="num">${money(a.principalTag, c)}${share(a.principalTag)}</td>
          </tr>
          <tr data-route="none">
            <td>Neither (unowned)</td>
            <td class="num">${money(a.none, c)}${share(a.none)}</td>
          </tr>
        </tbody>
      </table>
    </div>
    <h3>Each workflow's spend by route</h3>
    <!-- Apart from the all-workflows table, which must fit a laptop screen without scrolling. -->
    <div class="table-wrap">
      <table id="workflow-routes">
        <thead>
          <tr>
            <th>Workflow</th>
            <th class="num">By resource tag (${c})</th>
            <th class="num">By caller's tag (${c})</th>
          </tr>
        </thead>
        <tbody>
          ${report.workflows.map(
            (w) =>
              html`<tr>
                <td class="id">${w.id}</td>
                <td class="num" data-route="resourceTag">${amount(w.attribution.resourceTag)}</td>
                <td class="num" data-route="principalTag">${amount(w.attribution.principalTag)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h3>Conflicts: ${money(sum(a.conflicts.map((x) => x.spend)), c)}</h3>
    ${
      a.conflicts.length === 0
        ? html`<p class="muted">
            None: no resource tag and caller's tag name different workflows.
          </p>`
        : html`<p>
              This spend carries a resource tag naming one workflow and was called by a role or user
              tagged with another. It is counted under the resource tag (already in the figures
              above, not added again).
            </p>
            <div class="table-wrap">
              <table id="conflicts-table">
                <thead>
                  <tr>
                    <th>Resource tag (counted)</th>
                    <th>Caller's role tag</th>
                    <th class="num">Spend</th>
                    <th>What to do</th>
                  </tr>
                </thead>
                <tbody>
                  ${a.conflicts.map(
                    (x) =>
                      html`<tr>
                        <td class="id">${x.resourceTag}</td>
                        <td class="id">${x.principalTag}</td>
                        <td class="num">${money(x.spend, c)}</td>
                        <td>
                          Re-tag the role or the resource so that both name the workflow that owns
                          this spend.
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
  </section>`;
}

function stageWord(w: WorkflowReport): string {
  return w.stage === "run-rate" ? "Run-rate (production)" : "Learning (experiment)";
}

function workflowCard(w: WorkflowReport, currency: string): SafeHtml {
  const c = currency;
  const figure = (label: string, value: string | SafeHtml) =>
    html`<div>
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  const services = byService(w.spendByService, c);
  return html`<article class="workflow" data-workflow="${w.id}">
    <h4><span class="id">${w.id}</span> <span class="muted">${stageWord(w)}</span></h4>
    ${
      w.budget !== null && w.budgetUsed !== null
        ? html`<p>
            <meter
              min="0"
              max="1"
              low="0.8"
              high="0.999"
              optimum="0.5"
              value="${Math.min(w.budgetUsed, 1)}"
            ></meter>
            ${percent(w.budgetUsed)} of the ${money(w.budget, c)} monthly budget used
          </p>`
        : html`<p class="muted">No monthly budget.</p>`
    }
    <dl class="figures">
      ${figure("Spent so far", money(w.spend, c))}
      ${
        w.attribution.principalTag === 0
          ? html``
          : figure(
              "Through its callers' role tag (its budget cannot see this)",
              money(w.attribution.principalTag, c),
            )
      }
      ${figure("Projected by month end", money(w.projectedSpend, c))}
      ${figure("Last month", money(w.lastMonthSpend, c))}
      ${figure("Last 7 days vs the 7 before", w.growth === null ? dash : multiple(w.growth))}
      ${figure(`Review cost (${w.reviewCostBasis === "measured" ? "measured volume" : "estimated volume"})`, money(w.reviewCost, c))}
      ${figure("Fully loaded", money(w.fullyLoaded, c))}
      ${figure("Items processed", w.items === null ? dash : formatItemCount(w.items))}
      ${figure("Cost per item", w.costPerItem === null ? dash : unitMoney(w.costPerItem, c))}
    </dl>
    ${
      services.length === 0
        ? html``
        : html`<p class="muted">
            By service: ${services.map(([s, a], i) => html`${i > 0 ? "; " : ""}${s} ${a}`)}
          </p>`
    }
    ${flagList(w.flags)}
  </article>`;
}

interface OwnerGroup {
  readonly owner: string;
  readonly workflows: readonly WorkflowReport[];
  readonly worst: Severity | null;
  readonly fullyLoaded: number;
}

/** Owners with the most serious flags first, then by what they spend, then by address. */
export function ownerGroups(report: Report): OwnerGroup[] {
  const byOwner = new Map<string, WorkflowReport[]>();
  for (const w of report.workflows) byOwner.set(w.owner, [...(byOwner.get(w.owner) ?? []), w]);
  const severityRank = (s: Severity | null) => (s === null ? SEVERITIES.length : rank(s));
  return [...byOwner]
    .map(([owner, workflows]) => ({
      owner,
      workflows,
      worst: worst(workflows.flatMap((w) => w.flags)),
      fullyLoaded: footedTotal(workflows.map((w) => w.fullyLoaded)),
    }))
    .sort(
      (a, b) =>
        severityRank(a.worst) - severityRank(b.worst) ||
        b.fullyLoaded - a.fullyLoaded ||
        (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0),
    );
}

function owners(report: Report): SafeHtml {
  const c = report.currency;
  return html`<section aria-labelledby="h-owners">
    <h2 id="h-owners">By owner</h2>
    <p class="muted">
      Each owner is accountable for their workflows' spend, review cost and flags.
    </p>
    ${ownerGroups(report).map(
      (g) =>
        html`<section class="owner" data-owner="${g.owner}">
          <h3>${g.owner}</h3>
          <p>
            ${g.workflows.length === 1 ? "1 workflow" : `${g.workflows.length} workflows`},
            ${money(g.fullyLoaded, c)} fully loaded. ${badge(g.workflows.flatMap((w) => w.flags))}
          </p>
          ${g.workflows.map((w) => workflowCard(w, c))}
        </section>`,
    )}
  </section>`;
}

function suggestion(
  value: string,
  suggested: string | null,
  caseOnly: boolean,
  route: AttributionRoute,
): SafeHtml {
  const what = route === "principalTag" ? "the roles or users" : "the resources";
  if (suggested === null) {
    return html`No registered workflow is close. Register it in the workflow registry, or retag
    ${what} with a registered workflow.`;
  }
  if (caseOnly) {
    return html`Same as <span class="id">${suggested}</span> except for letter case. Tags are
      case-sensitive: retag ${what} as <span class="id">${suggested}</span>.`;
  }
  return html`Probably meant <span class="id">${suggested}</span>: retag ${what}, or register
    <span class="id">${value}</span> as a workflow.`;
}

function nobodysSpend(report: Report, contact: string | undefined): SafeHtml {
  const c = report.currency;
  const services = byService(report.unowned.byService, c);
  const share = report.totals.aiSpend > 0 ? report.unowned.spend / report.totals.aiSpend : null;
  return html`<section aria-labelledby="h-unowned" id="unowned">
    <h2 id="h-unowned">Spend nobody owns</h2>
    <p>
      AI spend without a registered workflow reaches no owner and no budget.
      ${contact === undefined ? "" : html`It is routed to <strong>${contact}</strong>.`}
    </p>
    <h3>
      Untagged AI spend:
      ${money(report.unowned.spend, c)}${share === null ? "" : ` (${percent(share)} of AI spend)`}
    </h3>
    ${
      services.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<p>
              Resources on these services carry no workflow tag. Tag them with the workflow they
              serve; the policy pack stops new ones from being deployed untagged.
            </p>
            <div class="table-wrap">
              <table id="unowned-table">
                <thead>
                  <tr>
                    <th>Service</th>
                    <th class="num">Spend</th>
                  </tr>
                </thead>
                <tbody>
                  ${services.map(
                    ([s, a]) =>
                      html`<tr>
                        <td>${s}</td>
                        <td class="num">${a}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
    <h3>Unregistered tag values: ${money(unregisteredTotal(report), c)}</h3>
    ${
      report.unregistered.length === 0
        ? html`<p class="muted">None: every workflow tag names a registered workflow.</p>`
        : html`<p>These workflow tag values are not in the registry.</p>
            <div class="table-wrap">
              <table id="unregistered-table">
                <thead>
                  <tr>
                    <th>Tag value</th>
                    <th>Tag</th>
                    <th class="num">Spend</th>
                    <th>What to do</th>
                  </tr>
                </thead>
                <tbody>
                  ${report.unregistered.map(
                    (u) =>
                      html`<tr>
                        <td class="id">${u.value}</td>
                        <td>${ROUTE_WORD[u.route]}</td>
                        <td class="num">${money(u.spend, c)}</td>
                        <td>${suggestion(u.value, u.suggestion, u.caseOnly, u.route)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
  </section>`;
}

const AUDIT_SOURCE_WORD: Readonly<Record<ReportAudit["source"], string>> = {
  "resource-explorer":
    "AWS Resource Explorer (every region's index, never-tagged resources included)",
  "tagging-api":
    "the Resource Groups Tagging API (only resources that carry tags or once did: a resource never tagged is not listed)",
  none: "nowhere: the inventory could not be listed (see the notes)",
};

/**
 * The account audit (the report's `audit`, present when the account checks ran): the AI
 * resources that need action, made outside IaC or failing a mandatory rule of the pack, each
 * with what to do; then what could not be checked. ARNs and tag-derived owners are anyone's
 * text: escaped like every value.
 */
function auditSection(audit: ReportAudit): SafeHtml {
  const n = audit.needsAction.length;
  return html`<section aria-labelledby="h-audit" id="audit">
    <h2 id="h-audit">AI resources that need action</h2>
    <p>
      The account audit listed ${count(audit.resources)} AI
      resource${audit.resources === 1 ? "" : "s"} from ${AUDIT_SOURCE_WORD[audit.source]} and judged
      each by the policy pack's rules: ${n === 0 ? "none needs" : `${count(n)} need`} action.
      ${audit.iacChecked ? "" : "No stack export was compared, so none is marked as made outside IaC."}
      ${
        audit.unrecognised === 0
          ? ""
          : `${count(audit.unrecognised)} of an ARN shape the audit does not know ${audit.unrecognised === 1 ? "was" : "were"} listed, not judged.`
      }
    </p>
    ${
      audit.complete
        ? ""
        : html`<p class="chart-error" data-incomplete>
            The audit is incomplete: part of the account could not be checked (see the notes).
          </p>`
    }
    ${
      n === 0
        ? ""
        : html`<div class="table-wrap">
            <table id="audit-table">
              <thead>
                <tr>
                  <th>Resource</th>
                  <th>Region</th>
                  <th>Owner (from its tags)</th>
                  <th>What is wrong</th>
                </tr>
              </thead>
              <tbody>
                ${audit.needsAction.map(
                  (r) =>
                    html`<tr data-arn="${r.arn}">
                      <td><code>${r.arn}</code><br /><span class="muted">${r.type}</span></td>
                      <td>${r.region}</td>
                      <td>${r.owner ?? html`<span class="muted">its tags name nobody</span>`}</td>
                      <td>
                        <ul class="findings">
                          ${r.outsideIac ? html`<li data-outside-iac>${OUTSIDE_IAC_FIX}</li>` : ""}
                          ${r.findings.map(
                            (f) =>
                              html`<li data-policy="${f.policy}" class="${f.enforcement}">
                                <code>${f.policy}</code> (${f.enforcement}): ${f.message}
                              </li>`,
                          )}
                        </ul>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${
      audit.notes.length === 0
        ? ""
        : html`<h3>Notes</h3>
            <ul id="audit-notes">
              ${audit.notes.map((note) => html`<li>${note}</li>`)}
            </ul>`
    }
  </section>`;
}

const HEALTH_WORD: Readonly<Record<ReportHealthItem["status"], string>> = {
  error: "Error",
  warning: "Warning",
  unchecked: "Not checked",
  ok: "OK",
};
const HEALTH_ORDER: readonly ReportHealthItem["status"][] = ["error", "warning", "unchecked", "ok"];

/**
 * The doctor's items (the report's `health`): the attribution plumbing, errors first, each with
 * its exact fix. The order within a status is the doctor's.
 */
function healthSection(health: ReportHealth): SafeHtml {
  const items = [...health.items].sort(
    (a, b) => HEALTH_ORDER.indexOf(a.status) - HEALTH_ORDER.indexOf(b.status),
  );
  const bad = items.filter((i) => i.status !== "ok").length;
  return html`<section aria-labelledby="h-health" id="health">
    <h2 id="h-health">Attribution plumbing</h2>
    <p>
      What attribution depends on: the cost allocation tags activated (for resource and
      <code>iamPrincipal/</code> tags), the CUR export's settings, the spend each route attributes
      and the roles that may call models without the tags.
      ${bad === 0 ? "No problem found." : `${count(bad)} item${bad === 1 ? "" : "s"} to look at.`}
    </p>
    ${
      health.complete
        ? ""
        : html`<p class="chart-error" data-incomplete>
            A check could not run: the items marked "Not checked" say why.
          </p>`
    }
    <div class="table-wrap">
      <table id="health-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>Check</th>
            <th>Subject</th>
            <th>Finding</th>
            <th>Fix</th>
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (i) =>
              html`<tr data-status="${i.status}" data-check="${i.check}">
                <td>
                  <span class="badge ${HEALTH_CLASS[i.status]}">${HEALTH_WORD[i.status]}</span>
                </td>
                <td><code>${i.check}</code></td>
                <td class="id">${i.subject}</td>
                <td>${i.message}</td>
                <td>${i.fix === null ? dash : html`<code class="fix">${i.fix}</code>`}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

/** The badge colour of a health status (the flags' colours). */
const HEALTH_CLASS: Readonly<Record<ReportHealthItem["status"], string>> = {
  error: "critical",
  warning: "warning",
  unchecked: "info",
  ok: "ok",
};

/** Where the figures came from, and what reading them cost. */
function provenance(report: Report): SafeHtml {
  if (report.source === "cur") {
    const q = report.query;
    return html`Built from CUR 2.0 line items, queried with
    ${q.engine === "athena" ? "Athena" : "DuckDB"} (${count(q.bytesScanned)} bytes
    scanned${
      q.engine === "athena"
        ? html`: ${unitMoney(q.cost, "USD")} at USD 5 per TB, 10 MB minimum`
        : ""
    };
    no Cost Explorer requests).`;
  }
  const requests = report.ceRequests;
  return html`Built from ${count(requests)} Cost Explorer ${requests === 1 ? "request" : "requests"}
  (AWS charges ${money(0.01, "USD")} per request: ${money(requests * 0.01, "USD")}).`;
}

function footer(report: Report): SafeHtml {
  return html`<footer>
    <h2>How to read this report</h2>
    <p>
      <strong>Fully loaded cost</strong> is cloud spend plus review cost.
      <strong>Review cost</strong> is the time people spend checking the model's output: items ×
      share checked × minutes per item × hourly rate. It is <em>measured</em> when the item count
      comes from the workflow's own metric, <em>estimated</em> when it comes from the registry's
      expected volume.
    </p>
    <p>
      <strong>Projected</strong> extends this month's spend to the month end.
      <strong>Last 7 days vs the 7 before</strong> compares the last seven complete days with the
      seven days before them. Negative amounts are credits or refunds.
    </p>
    <p>${provenance(report)} Generated ${timestampInWords(report.generatedAt)}.</p>
  </footer>`;
}

/**
 * The report as one self-contained HTML page.
 *
 * @example
 * writeFileSync("out/report.html", renderHtml(report, { unownedSpendContact: "finops@example.com" }));
 */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  assertRenderable(report);
  const title = options.title ?? "AI spend by workflow and owner";
  const library = chartLibrary().source;
  // The CSP hashes must cover the elements' exact text, so these elements are assembled here
  // from the very strings that are hashed, not inside the (formatted) page template.
  const csp = contentSecurityPolicy({ scripts: [library, PAGE_SCRIPT], styles: [STYLES] });
  const style = trustedHtml(`<style>${STYLES}</style>`);
  const scripts = trustedHtml(
    `<script type="application/json" id="chart-data">${jsonForScript(chartModel(report))}</script>\n` +
      `<script>${library}</script>\n<script>${PAGE_SCRIPT}</script>`,
  );
  const page = html`<!doctype html>
    <html lang="en" data-charts="pending">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${csp}" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} – ${periodInWords(report.period)}</title>
        ${style}
      </head>
      <body>
        <main>
          ${header(report, title)} ${tiles(report)} ${attention(report)} ${charts(report)}
          ${workflowTable(report)} ${outcomes(report)} ${modelTable(report)} ${teams(report)}
          ${attribution(report)} ${owners(report)}
          ${nobodysSpend(report, options.unownedSpendContact)}
          ${report.audit === undefined ? "" : auditSection(report.audit)}
          ${report.health === undefined ? "" : healthSection(report.health)} ${footer(report)}
        </main>
        ${scripts}
      </body>
    </html>`;
  return `${page.markup}\n`;
}
