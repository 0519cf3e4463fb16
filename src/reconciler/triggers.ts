/**
 * Review triggers: the conditions under which a person should look at a workflow (or at the
 * spend nobody owns), as plain data. Pure functions of the figures; each flag says what
 * happened and what to do, in one sentence fit for an email.
 */
import { principalTagKey } from "./attribution";
import { formatRatio, formatShare, quoteUntrusted, unregisteredHint } from "./format";
import { bySeverity } from "./severity";
import type { Period } from "./period";
import type { AttributionConflict, Flag, UnregisteredSpend } from "./types";
import type { Workflow } from "../registry";
import { formatMoney } from "../util/money";

/** The figures a workflow's triggers look at. */
export interface WorkflowFigures {
  readonly spend: number;
  /** True when the month to date had any non-zero amount (credits included). */
  readonly spendSeen: boolean;
  readonly lastMonthSpend: number;
  readonly projectedSpend: number;
  readonly lastWeekSpend: number;
  readonly priorWeekSpend: number;
  readonly growth: number | null;
  /** Attribution conflicts naming this workflow on either side. */
  readonly conflicts: readonly AttributionConflict[];
}

/**
 * The one sentence about an attribution conflict, the same in both owners' digests and in the
 * unowned summary: both values, the amount, which one the guard counted, and the fix.
 */
export function conflictMessage(
  conflict: AttributionConflict,
  tagKey: string,
  currency: string,
): string {
  const resource = quoteUntrusted(conflict.resourceTag);
  const principal = quoteUntrusted(conflict.principalTag);
  return `${formatMoney(conflict.spend, currency)} of spend carries the resource tag ${tagKey}=${resource} but was called by an IAM role or user tagged ${principalTagKey(tagKey)}=${principal}: the guard counted it under ${resource} (the resource tag decides); re-tag the role or the resource so that both name the workflow that owns this spend.`;
}

function conflictFlags(
  conflicts: readonly AttributionConflict[],
  tagKey: string,
  currency: string,
): Flag[] {
  return conflicts.map((conflict) => ({
    kind: "attribution-conflict",
    severity: "warning",
    message: conflictMessage(conflict, tagKey, currency),
  }));
}

export function workflowFlags(
  workflow: Workflow,
  figures: WorkflowFigures,
  period: Period,
  currency: string,
  tagKey: string,
): Flag[] {
  const flags: Flag[] = [];
  const money = (amount: number) => formatMoney(amount, currency);
  const budget = workflow.budget;

  if (budget !== undefined && figures.spend > budget.monthly) {
    const left =
      period.remainingDays > 0 ? ` with ${period.remainingDays} day(s) of the month to go` : "";
    flags.push({
      kind: "over-budget",
      severity: "critical",
      message: `Spent ${money(figures.spend)} of its ${money(budget.monthly)} monthly budget (${formatShare(figures.spend / budget.monthly)})${left}: cut usage or raise the budget in the registry.`,
    });
  } else if (budget !== undefined && period.remainingDays > 0) {
    const threshold = (budget.forecastAlert ?? 100) / 100;
    if (figures.projectedSpend > budget.monthly * threshold) {
      flags.push({
        kind: "forecast-over-budget",
        severity: "warning",
        message: `On track to spend ${money(figures.projectedSpend)} this month, ${formatShare(figures.projectedSpend / budget.monthly)} of its ${money(budget.monthly)} budget: find what drives it before the month ends.`,
      });
    }
  }

  const trigger = workflow.triggers.growth;
  if (trigger !== undefined && figures.growth !== null && figures.growth >= trigger) {
    flags.push({
      kind: "growth",
      severity: "warning",
      message: `Spend in the last 7 days (${money(figures.lastWeekSpend)}) is ${formatRatio(figures.growth)} the 7 days before (${money(figures.priorWeekSpend)}), at or above its ${formatRatio(trigger)} trigger: find out what changed.`,
    });
  }

  if (workflow.reviewBy !== undefined && workflow.reviewBy < period.runDate && figures.spendSeen) {
    flags.push({
      kind: "past-review-date",
      // An experiment past its end date is spend nobody decided to continue.
      severity: workflow.stage === "learning" ? "critical" : "warning",
      message: `Its review date ${workflow.reviewBy} has passed and it still spent ${money(figures.spend)} this month: renew the date in the registry after a review, or retire the workflow.`,
    });
  }

  if (!figures.spendSeen) {
    flags.push({
      kind: "no-spend",
      severity: "warning",
      message:
        figures.lastMonthSpend !== 0
          ? `No spend seen this month (last month: ${money(figures.lastMonthSpend)}): check that its resources still carry the workflow tag, or retire the workflow if it has stopped.`
          : `No spend seen this month or last although it is registered: check that its resources carry the workflow tag (and that the tag is activated for cost allocation), or retire it.`,
    });
  }
  flags.push(...conflictFlags(figures.conflicts, tagKey, currency));
  return bySeverity(flags);
}

export interface ReportFigures {
  readonly currency: string;
  readonly aiSpend: number;
  readonly unownedSpend: number;
  readonly unownedShareAlert: number;
  readonly unregistered: readonly UnregisteredSpend[];
  readonly estimatedDays: readonly string[];
  /** Spend set aside per foreign currency code. */
  readonly foreign: ReadonlyMap<string, number>;
  readonly tagKey: string;
  /** The principal route is on (registry `settings.principalTags`). */
  readonly principalTags: boolean;
  readonly conflicts: readonly AttributionConflict[];
}

export function reportFlags(figures: ReportFigures): Flag[] {
  const flags: Flag[] = [];
  const money = (amount: number) => formatMoney(amount, figures.currency);

  if (figures.aiSpend > 0) {
    const share = figures.unownedSpend / figures.aiSpend;
    if (share > figures.unownedShareAlert) {
      flags.push({
        kind: "unowned-share",
        severity: "warning",
        message: `Unowned AI spend is ${formatShare(share)} of AI spend (${money(figures.unownedSpend)} of ${money(figures.aiSpend)}), above the ${formatShare(figures.unownedShareAlert)} alert: ${figures.principalTags ? `tag those resources, or the IAM roles and users that call the models, with ${figures.tagKey}=<a registered workflow id>` : `tag those resources with ${figures.tagKey}=<a registered workflow id>`}.`,
      });
    }
  }

  for (const entry of figures.unregistered) {
    const hint = unregisteredHint(entry, "sentence");
    flags.push({
      kind: "unregistered-tag",
      severity: "warning",
      message:
        entry.route === "principalTag"
          ? `Caller tag value ${quoteUntrusted(entry.value)} (${principalTagKey(figures.tagKey)} on an IAM role or user) is not a registered workflow${hint === "" ? "" : ` ${hint}`} and spent ${money(entry.spend)} this month: correct the role's tag or register the workflow.`
          : `Tag value ${quoteUntrusted(entry.value)} is not a registered workflow${hint === "" ? "" : ` ${hint}`} and spent ${money(entry.spend)} this month: correct the tag or register the workflow.`,
    });
  }

  flags.push(...conflictFlags(figures.conflicts, figures.tagKey, figures.currency));

  for (const [unit, amount] of figures.foreign) {
    flags.push({
      kind: "currency-mismatch",
      severity: "warning",
      message: `${amount} ${quoteUntrusted(unit)} of spend is not in the registry's currency ${figures.currency}: it is left out of every total in this report; check the billing currency or settings.currency.`,
    });
  }

  if (figures.estimatedDays.length > 0) {
    const first = figures.estimatedDays[0]!;
    const last = figures.estimatedDays[figures.estimatedDays.length - 1]!;
    const days = first === last ? first : `${first} to ${last}`;
    flags.push({
      kind: "estimated-data",
      severity: "info",
      message: `Figures for ${days} are still estimates and may change when AWS finalises them.`,
    });
  }
  return bySeverity(flags);
}
