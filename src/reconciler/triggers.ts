/**
 * Review triggers: the conditions under which a person should look at a workflow (or at the
 * spend nobody owns), as plain data. Pure functions of the figures; each flag says what
 * happened and what to do, in one sentence fit for an email.
 */
import { principalTagKey } from "./attribution";
import { formatRatio, formatShare, quoteUntrusted, unregisteredHint } from "./format";
import { bySeverity } from "./severity";
import { tidy } from "./format";
import type { Period } from "./period";
import type { MetricQuery, MetricResult, UsageTypeMonth } from "./ports";
import type { AttributionConflict, Flag, UnregisteredSpend, WorkflowOutcomes } from "./types";
// From its own module: the registry (which re-exports it) would pull its schema into the bundle.
import { REVIEW_WARNING_DAYS } from "../rules/review-date";
import type { Workflow } from "../registry";
import { daysBetween } from "../util/dates";
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

// --- Triggers before spend scales ---------------------------------------------------------

/** The query id of a workflow's review-queue metric. */
export function reviewQueueQueryId(workflowId: string): string {
  return `queue:${workflowId}`;
}

/** The review-queue metrics of the registry (daily Maximum: a queue's worst moment of the day). */
export function reviewQueueQueries(workflows: readonly Workflow[]): MetricQuery[] {
  const queries: MetricQuery[] = [];
  for (const workflow of workflows) {
    const queue = workflow.triggers.reviewQueue;
    if (queue === undefined) continue;
    queries.push({
      id: reviewQueueQueryId(workflow.id),
      namespace: queue.metric.namespace,
      name: queue.metric.name,
      dimensions: queue.metric.dimensions,
      stat: "Maximum",
    });
  }
  return queries;
}

/**
 * `review-queue`: the queue's latest daily maximum above `max`, or the last 7 days' mean daily
 * maximum `growth` times the 7 days before. Goes to the owner and the reviewer (the person who
 * works the queue). A queue metric that could not be read is said, never taken as "no queue";
 * one without data points this fortnight is an empty queue that published nothing.
 */
export function reviewQueueFlags(
  workflow: Workflow,
  result: MetricResult | undefined,
  period: Period,
): Flag[] {
  const queue = workflow.triggers.reviewQueue;
  if (queue === undefined || result === undefined) return [];
  const where = `${queue.metric.namespace}/${queue.metric.name}`;
  const alsoTo =
    workflow.review?.reviewer === undefined ? {} : { alsoTo: [workflow.review.reviewer] };
  if (result.kind === "failed") {
    return [
      {
        kind: "review-queue",
        severity: "warning",
        message: `The review queue ${where} could not be read (${result.reason}), so nobody can tell whether it is over its limit: check the metric name and the reconciler's cloudwatch:GetMetricData permission.`,
        ...alsoTo,
      },
    ];
  }
  const points = result.series.flatMap((s) => s.points);
  const inWeek = (w: { start: string; end: string }) =>
    points.filter((p) => p.date >= w.start && p.date < w.end).map((p) => p.value);
  const last = inWeek(period.lastWeek);
  const prior = inWeek(period.priorWeek);
  const flags: Flag[] = [];
  const latest = [...points]
    .filter((p) => p.date < period.lastWeek.end)
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .at(-1);
  if (
    queue.max !== undefined &&
    latest !== undefined &&
    latest.date >= period.lastWeek.start &&
    latest.value > queue.max
  ) {
    flags.push({
      kind: "review-queue",
      severity: "warning",
      message: `The review queue ${where} reached ${formatCount(latest.value)} on ${latest.date}, above its limit of ${formatCount(queue.max)}: the reviewer needs help or the workflow needs slowing before outputs wait unchecked.`,
      ...alsoTo,
    });
  }
  const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  if (queue.growth !== undefined && last.length > 0 && prior.length > 0 && mean(prior) > 0) {
    const ratio = mean(last) / mean(prior);
    if (ratio >= queue.growth) {
      flags.push({
        kind: "review-queue",
        severity: "warning",
        message: `The review queue ${where} averaged ${formatCount(mean(last))} a day over the last 7 days, ${formatRatio(ratio)} the 7 days before (${formatCount(mean(prior))}), at or above its ${formatRatio(queue.growth)} trigger: decide who reviews the extra work before it piles up.`,
        ...alsoTo,
      });
    }
  }
  return flags;
}

const countFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const formatCount = (value: number) => countFormat.format(value);

/**
 * `rework-rate`: the measured rework share (reworked / the outputs counted: accepted + reworked
 * + escalated) above the expected `reworkShare` by more than `triggers.reworkMargin`. Only on
 * measured outcomes: an estimate compared with itself says nothing.
 */
export function reworkRateFlags(workflow: Workflow, outcomes: WorkflowOutcomes | null): Flag[] {
  const margin = workflow.triggers.reworkMargin;
  const expected = workflow.outcomes?.expected?.reworkShare;
  if (margin === undefined || expected === undefined || outcomes?.basis !== "measured") return [];
  const handled = outcomes.accepted + outcomes.reworked + outcomes.escalated;
  if (!(handled > 0)) return [];
  const share = outcomes.reworked / handled;
  // Compared in whole millionths so that 0.15 - 0.10 is exactly 0.05.
  if (Math.round((share - expected) * 1e6) <= Math.round(margin * 1e6)) return [];
  return [
    {
      kind: "rework-rate",
      severity: "warning",
      message: `${formatShare(share)} of its outputs were reworked this month (${formatCount(outcomes.reworked)} of ${formatCount(handled)}), against the ${formatShare(expected)} the registry expects, more than its ${formatShare(margin)} margin: find which model or input drives the rework before the volume grows, and rerun the cost case with it.`,
    },
  ];
}

/** What a renewal should cite: the month's figures, from the report. */
export interface RenewalFigures {
  readonly spend: number;
  readonly lastMonthSpend: number;
  readonly outcomes: WorkflowOutcomes | null;
}

/**
 * `renewal-due`: within `REVIEW_WARNING_DAYS` of `reviewBy` (and not past it: that is
 * past-review-date), the owner is asked for the renewal, with the figures it should cite.
 */
export function renewalDueFlags(
  workflow: Workflow,
  figures: RenewalFigures,
  period: Period,
  currency: string,
): Flag[] {
  if (workflow.reviewBy === undefined) return [];
  const days = daysBetween(period.runDate, workflow.reviewBy);
  if (days < 0 || days > REVIEW_WARNING_DAYS) return [];
  const money = (amount: number) => formatMoney(amount, currency);
  const o = figures.outcomes;
  const cite =
    o === null
      ? `spend ${money(figures.spend)} this month to date and ${money(figures.lastMonthSpend)} last month (no outcome figures: add outcomes to the registry so the renewal can cite a result)`
      : `${formatCount(o.accepted)} accepted outcomes (${o.basis}) at ${o.costPerAccepted === null ? "no cost per accepted outcome (none accepted)" : `${money(o.costPerAccepted)} each`}, with ${money(o.reviewCost + o.reworkCost + o.exceptionCost)} of review, rework and exception time on ${money(figures.spend)} of spend`;
  const decision =
    workflow.stage === "learning" ? "renew, graduate (to run-rate) or retire" : "renew or retire";
  return [
    {
      kind: "renewal-due",
      severity: "warning",
      message: `Its review date ${workflow.reviewBy} is in ${days} day(s): add a renewal to the registry (${decision}, with one workflow result and one cost lesson, reviewBy set to its until). Figures to cite: ${cite}.`,
    },
  ];
}

/** One usage type's unit cost, last month and this month. */
export interface UnitPriceChange {
  readonly usageType: string;
  readonly before: number;
  readonly after: number;
  /** after / before - 1 */
  readonly change: number;
}

/**
 * The usage types of a workflow whose unit cost (cost / usage) moved by at least `share` from
 * the month before to the month to date. Usage types with no usage, or no cost, in either month
 * are left out: a unit cost needs both.
 */
export function unitPriceChanges(
  months: readonly UsageTypeMonth[],
  workflowId: string,
  period: Pick<Period, "start" | "lastMonthStart">,
  share: number,
): UnitPriceChange[] {
  const unit = (month: string) => {
    const prices = new Map<string, { cost: number; usage: number }>();
    for (const m of months) {
      if (m.workflowId !== workflowId || m.month !== month) continue;
      const so = prices.get(m.usageType) ?? { cost: 0, usage: 0 };
      prices.set(m.usageType, {
        cost: so.cost + Number(m.cost),
        usage: so.usage + Number(m.usage),
      });
    }
    return prices;
  };
  const before = unit(period.lastMonthStart);
  const after = unit(period.start);
  const changes: UnitPriceChange[] = [];
  for (const [usageType, now] of after) {
    const then = before.get(usageType);
    if (
      then === undefined ||
      !(then.usage > 0) ||
      !(now.usage > 0) ||
      !(then.cost > 0) ||
      !(now.cost > 0)
    )
      continue;
    const b = then.cost / then.usage;
    const a = now.cost / now.usage;
    const change = a / b - 1;
    if (Math.round(Math.abs(change) * 1e6) >= Math.round(share * 1e6)) {
      changes.push({ usageType, before: b, after: a, change: tidy(change) });
    }
  }
  return changes.sort(
    (x, y) => Math.abs(y.change) - Math.abs(x.change) || (x.usageType < y.usageType ? -1 : 1),
  );
}

/** A unit price to three significant figures (a token costs millionths: 0.000003 USD). */
function unitPrice(amount: number, currency: string): string {
  return `${Number(amount.toPrecision(3))} ${currency}`;
}

/** `unit-price-change`: one flag per usage type whose unit cost moved past the registry's share. */
export function unitPriceFlags(
  workflow: Workflow,
  months: readonly UsageTypeMonth[] | undefined,
  period: Period,
  currency: string,
): Flag[] {
  const share = workflow.triggers.unitPrice;
  if (share === undefined || months === undefined) return [];
  return unitPriceChanges(months, workflow.id, period, share).map((c) => ({
    kind: "unit-price-change",
    severity: "warning",
    message: `The unit cost of ${quoteUntrusted(c.usageType)} went ${c.change > 0 ? "up" : "down"} ${formatShare(Math.abs(c.change))} since last month (${unitPrice(c.before, currency)} to ${unitPrice(c.after, currency)} per unit), at or past its ${formatShare(share)} trigger: rerun the workflow's cost case with the new price.`,
  }));
}
