/**
 * Exact aggregates + the registry -> the `Report` (the JSON contract). Pure.
 *
 * Projection (documented in the README): month-to-date spend plus the mean daily spend of the
 * last 7 complete days times the days left in the month. A recent run rate follows a workflow
 * that changed mid-month (a new model, a traffic spike) better than the month's average, and
 * 7 days smooth out the weekday / weekend swing. A negative run rate (credits) projects no
 * further spend rather than a refund.
 */
import type { Aggregates, SpendBucket } from "./aggregate";
import { roundItems, tidy } from "./format";
import type { Period } from "./period";
import { cheapModelFinding, marketplaceModelSpend, modelEconomics } from "./models";
import { readOutcomes, teamsAbsorbing, workflowOutcomes } from "./outcomes";
import type { HumanCost } from "./outcomes";
import {
  renewalDueFlags,
  reportFlags,
  reviewQueueFlags,
  reviewQueueQueryId,
  reworkRateFlags,
  unitPriceFlags,
  workflowFlags,
} from "./triggers";
import { bySeverity } from "./severity";
import type { CostMetric } from "./cost-metrics";
import type { ModelAmounts } from "./aggregate";
import type { CurQueryStats } from "./cur/engine";
import type { MetricResult, UsageTypeMonth } from "./ports";
import type {
  AttributionConflict,
  ModelSpend,
  Report,
  ReportCommon,
  UnknownUsageTypeSpend,
  UnownedBy,
  UnregisteredSpend,
  WorkflowReport,
} from "./types";
import { itemsFor } from "./volume";
import type { Registry, Workflow } from "../registry";
import { reviewCost } from "../rules/review-cost";
import { add, fromNumber, isZero, subtract, toNumber, ZERO } from "../util/decimal";
import type { Amount } from "../util/decimal";
import { suggest } from "../util/suggest";

export interface BuildReportInput {
  readonly registry: Registry;
  readonly period: Period;
  readonly aggregates: Aggregates;
  readonly metric: CostMetric;
  /** Which source the aggregates came from; a CUR source also says what its query read. */
  readonly source:
    { readonly kind: "cost-explorer" } | { readonly kind: "cur"; readonly query: CurQueryStats };
  readonly ceRequests: number;
  /** Items per workflow measured from CloudWatch (absent = not measured). */
  readonly measured: ReadonlyMap<string, number>;
  /**
   * Registry-named metrics read this run, by query id: outcomes over the reported month,
   * review queues over the last 14 days (absent = no reader; the outcomes fall back and say so).
   */
  readonly metrics?: ReadonlyMap<string, MetricResult>;
  /** Cost and usage per usage type (month before, month to date), for unit-price triggers. */
  readonly usageTypes?: readonly UsageTypeMonth[];
  readonly generatedAt: string;
}

export function buildReport(input: BuildReportInput): Report {
  const { registry, period, aggregates } = input;
  const currency = registry.settings.currency;
  const ids = registry.workflows.map((w) => w.id);

  let attributed = ZERO;
  // AI spend per route: registered and unregistered values alike (the rule does not ask).
  let byResourceTag = ZERO;
  let byPrincipalTag = ZERO;
  for (const bucket of aggregates.workflows.values()) {
    attributed = add(attributed, bucket.monthToDate);
    byResourceTag = add(byResourceTag, bucket.byRoute.resourceTag);
    byPrincipalTag = add(byPrincipalTag, bucket.byRoute.principalTag);
  }
  let unregisteredTotal = ZERO;
  const unregistered: UnregisteredSpend[] = [];
  for (const { value, route, bucket } of aggregates.unregistered) {
    unregisteredTotal = add(unregisteredTotal, bucket.monthToDate);
    byResourceTag = add(byResourceTag, bucket.byRoute.resourceTag);
    byPrincipalTag = add(byPrincipalTag, bucket.byRoute.principalTag);
    if (isZero(bucket.monthToDate)) continue;
    const found = suggest(value, ids);
    unregistered.push({
      value,
      spend: toNumber(bucket.monthToDate),
      suggestion: found?.candidate ?? null,
      caseOnly: found?.kind === "case-only",
      route,
    });
  }
  unregistered.sort(
    (a, b) =>
      b.spend - a.spend ||
      (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) ||
      (a.route < b.route ? -1 : a.route > b.route ? 1 : 0),
  );
  const conflicts: AttributionConflict[] = aggregates.conflicts
    .filter((c) => !isZero(c.amount))
    .map((c) => ({
      resourceTag: c.resourceTag,
      principalTag: c.principalTag,
      spend: toNumber(c.amount),
    }))
    .sort(
      (a, b) =>
        b.spend - a.spend ||
        (a.resourceTag < b.resourceTag ? -1 : a.resourceTag > b.resourceTag ? 1 : 0) ||
        (a.principalTag < b.principalTag ? -1 : a.principalTag > b.principalTag ? 1 : 0),
    );
  const aiSpend = add(add(attributed, aggregates.unowned.monthToDate), unregisteredTotal);
  const aiSpendNumber = toNumber(aiSpend);
  const unownedSpend = toNumber(aggregates.unowned.monthToDate);
  const workflows = registry.workflows.map((workflow) =>
    workflowReport(workflow, aggregates.workflows.get(workflow.id), input, conflicts),
  );
  let runRate = ZERO;
  let learning = ZERO;
  const humanCosts: HumanCost[] = [];
  registry.workflows.forEach((workflow, index) => {
    const spent = aggregates.workflows.get(workflow.id)?.monthToDate ?? ZERO;
    if (workflow.stage === "run-rate") runRate = add(runRate, spent);
    else learning = add(learning, spent);
    const report = workflows[index]!;
    humanCosts.push({
      workflow,
      review: report.reviewCost,
      rework: report.outcomes?.reworkCost ?? 0,
      exceptions: report.outcomes?.exceptionCost ?? 0,
    });
  });

  const foreign = new Map<string, number>();
  for (const [unit, amount] of [...aggregates.foreign].sort(([a], [b]) => (a < b ? -1 : 1))) {
    foreign.set(unit, toNumber(amount));
  }

  const common: ReportCommon = {
    period: { start: period.start, end: period.end },
    generatedAt: input.generatedAt,
    currency,
    metric: input.metric,
    ceRequests: input.ceRequests,
    workflows,
    unowned: { spend: unownedSpend, byService: byService(aggregates.unowned) },
    unregistered,
    totals: {
      spend: toNumber(aggregates.totalSpend),
      aiSpend: aiSpendNumber,
      // Nothing to attribute means nothing unexplained.
      attributedShare: aiSpendNumber > 0 ? tidy(toNumber(attributed) / aiSpendNumber) : 1,
      byStage: { "run-rate": toNumber(runRate), learning: toNumber(learning) },
    },
    teams: teamsAbsorbing(humanCosts),
    attribution: {
      resourceTag: toNumber(byResourceTag),
      principalTag: toNumber(byPrincipalTag),
      none: unownedSpend,
      conflicts,
    },
    flags: reportFlags({
      currency,
      aiSpend: aiSpendNumber,
      unownedSpend,
      unownedShareAlert: registry.settings.unownedShareAlert,
      unregistered,
      estimatedDays: aggregates.estimatedDays,
      foreign,
      tagKey: registry.settings.tagKeys.workflow,
      principalTags: registry.settings.principalTags,
      conflicts,
    }),
  };
  const source = input.source;
  if (source.kind === "cost-explorer") return { ...common, source: "cost-explorer" };
  return {
    ...common,
    source: "cur",
    engine: source.query.engine,
    query: {
      engine: source.query.engine,
      bytesScanned: source.query.bytesScanned,
      cost: toNumber(source.query.cost),
    },
    unknownUsageTypes: unknownUsageTypes(aggregates),
    unownedBy: unownedRankings(aggregates),
  };
}

/** How many entries each unowned ranking of a CUR report names; the rest are summed. */
export const UNOWNED_RANKED = 20;

/** The unowned AI spend by caller and by resource, largest first, capped, the rest stated. */
function unownedRankings(aggregates: Aggregates): UnownedBy {
  const ranked = <T extends { readonly spend: number }>(
    entries: readonly { readonly entry: T; readonly amount: Amount; readonly name: string }[],
  ) => {
    const sorted = [...entries].sort(
      (a, b) => b.entry.spend - a.entry.spend || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    const rest = sorted.slice(UNOWNED_RANKED);
    const all = entries.reduce((so, e) => add(so, e.amount), ZERO);
    return {
      top: sorted.slice(0, UNOWNED_RANKED).map((e) => e.entry),
      rest: {
        count: rest.length,
        spend: toNumber(rest.reduce((so, e) => add(so, e.amount), ZERO)),
      },
      without: toNumber(subtract(aggregates.unowned.monthToDate, all)),
    };
  };
  const principals = ranked(
    [...aggregates.unownedBy.principals].map(([principal, amount]) => ({
      entry: { principal, spend: toNumber(amount) },
      amount,
      name: principal,
    })),
  );
  const resources = ranked(
    aggregates.unownedBy.resources.map((r) => ({
      entry: { resourceId: r.resourceId, service: r.service, spend: toNumber(r.amount) },
      amount: r.amount,
      name: `${r.resourceId}\u0000${r.service}`,
    })),
  );
  return {
    principals: principals.top,
    principalsRest: principals.rest,
    withoutPrincipal: principals.without,
    resources: resources.top,
    resourcesRest: resources.rest,
    withoutResource: resources.without,
  };
}

/** Unread Bedrock usage types, largest spend first (zero-spend ones kept: they are lines). */
function unknownUsageTypes(aggregates: Aggregates): UnknownUsageTypeSpend[] {
  return aggregates.unreadUsage
    .map((u) => ({
      usageType: u.usageType,
      service: u.service,
      reason: u.reason,
      lineItems: u.lineItems,
      spend: toNumber(u.amount),
    }))
    .sort(
      (a, b) =>
        b.spend - a.spend ||
        b.lineItems - a.lineItems ||
        (a.usageType < b.usageType ? -1 : a.usageType > b.usageType ? 1 : 0) ||
        (a.service < b.service ? -1 : a.service > b.service ? 1 : 0),
    );
}

const MILLION = 1_000_000;

/** A bucket's models from CUR line items, with their tokens: largest spend first, then by name. */
export function lineItemModels(models: ReadonlyMap<string, ModelAmounts>): ModelSpend[] {
  return [...models]
    .map(([model, amounts]): ModelSpend => {
      const tokens = add(
        add(amounts.tokens.input, amounts.tokens.output),
        add(amounts.tokens["cache-read"], amounts.tokens["cache-write"]),
      );
      const spend = toNumber(amounts.spend);
      const total = toNumber(tokens);
      return {
        model,
        spend,
        inputTokens: toNumber(amounts.tokens.input),
        outputTokens: toNumber(amounts.tokens.output),
        cacheReadTokens: toNumber(amounts.tokens["cache-read"]),
        cacheWriteTokens: toNumber(amounts.tokens["cache-write"]),
        costPerMillionTokens: total > 0 ? tidy((spend / total) * MILLION) : null,
      };
    })
    .sort((a, b) => b.spend - a.spend || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

function workflowReport(
  workflow: Workflow,
  bucket: SpendBucket | undefined,
  input: BuildReportInput,
  conflicts: readonly AttributionConflict[],
): WorkflowReport {
  const { period, aggregates, registry } = input;
  const currency = registry.settings.currency;
  const days = aggregates.days;
  const daily = bucket?.daily;
  const amountOn = (index: number): Amount => daily?.[index] ?? ZERO;

  const sumDays = (start: string, end: string): Amount => {
    let total = ZERO;
    days.forEach((day, index) => {
      if (day >= start && day < end) total = add(total, amountOn(index));
    });
    return total;
  };

  const spend = toNumber(bucket?.monthToDate ?? ZERO);
  const lastWeek = toNumber(sumDays(period.lastWeek.start, period.lastWeek.end));
  const priorWeek = toNumber(sumDays(period.priorWeek.start, period.priorWeek.end));
  const monthToDate = bucket?.monthToDate ?? ZERO;
  // Derived figures are added to the exact sum, so that they carry no drift of their own.
  const plus = (extra: number): number => toNumber(add(monthToDate, fromNumber(tidy(extra))));
  const projectedSpend = plus((Math.max(0, lastWeek) / 7) * period.remainingDays);
  const growth = priorWeek > 0 ? tidy(lastWeek / priorWeek) : null;
  const spendSeen = (daily ?? []).slice(aggregates.monthStartIndex).some((a) => !isZero(a));

  const items = itemsFor(workflow, period, input.measured);
  // The one item count of the report: review cost and cost per item are computed from it.
  const itemCount = items.items === null ? null : roundItems(items.items);
  const review =
    workflow.review !== undefined && itemCount !== null
      ? tidy(reviewCost(itemCount, workflow.review))
      : 0;
  const fullyLoaded = plus(review);
  const budget = workflow.budget?.monthly ?? null;
  const lastMonthSpend = toNumber(bucket?.lastMonth ?? ZERO);

  const metrics = input.metrics ?? new Map<string, MetricResult>();
  const reading = readOutcomes(workflow, metrics);
  const outcome = workflowOutcomes({
    workflow,
    spend,
    items: itemCount,
    reviewCost: review,
    reading,
    currency,
  });
  const spendByService = bucket === undefined ? {} : byService(bucket);
  const models = modelEconomics(
    workflow,
    // Line items name every model and its tokens; Cost Explorer only Marketplace models.
    input.source.kind === "cur"
      ? lineItemModels(bucket?.models ?? new Map())
      : marketplaceModelSpend(spendByService),
    reading.kind === "measured" ? reading.byModel : new Map(),
    outcome.outcomes,
  ).sort((a, b) => b.spend - a.spend || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const finding = cheapModelFinding(models, currency);
  const outcomeFlags = [
    ...outcome.flags,
    ...(finding === undefined ? [] : [finding]),
    ...reviewQueueFlags(workflow, metrics.get(reviewQueueQueryId(workflow.id)), period),
    ...reworkRateFlags(workflow, outcome.outcomes),
    ...unitPriceFlags(workflow, input.usageTypes, period, currency),
    ...renewalDueFlags(
      workflow,
      { spend, lastMonthSpend, outcomes: outcome.outcomes },
      period,
      currency,
    ),
  ];

  const report: WorkflowReport = {
    id: workflow.id,
    owner: workflow.owner,
    stage: workflow.stage,
    spend,
    spendByService,
    attribution: {
      resourceTag: toNumber(bucket?.byRoute.resourceTag ?? ZERO),
      principalTag: toNumber(bucket?.byRoute.principalTag ?? ZERO),
    },
    daily: days.slice(aggregates.monthStartIndex).map((date, offset) => ({
      date,
      amount: toNumber(amountOn(aggregates.monthStartIndex + offset)),
    })),
    lastMonthSpend: toNumber(bucket?.lastMonth ?? ZERO),
    projectedSpend,
    budget,
    budgetUsed: budget === null ? null : tidy(spend / budget),
    growth,
    reviewCost: review,
    reviewCostBasis: items.basis,
    items: itemCount,
    fullyLoaded,
    costPerItem: itemCount !== null && itemCount > 0 ? tidy(fullyLoaded / itemCount) : null,
    outcomes: outcome.outcomes,
    models,
    flags: bySeverity([
      ...workflowFlags(
        workflow,
        {
          spend,
          spendSeen,
          lastMonthSpend: toNumber(bucket?.lastMonth ?? ZERO),
          projectedSpend,
          lastWeekSpend: lastWeek,
          priorWeekSpend: priorWeek,
          growth,
          // Both owners hear of a conflict: the one counted, and the one whose role called.
          conflicts: conflicts.filter(
            (c) => c.resourceTag === workflow.id || c.principalTag === workflow.id,
          ),
        },
        period,
        currency,
        registry.settings.tagKeys.workflow,
      ),
      ...outcomeFlags,
    ]),
  };
  return report;
}

/** Non-zero services, sorted by name (deterministic JSON). */
function byService(bucket: SpendBucket): Record<string, number> {
  // No prototype: a service value is data, and "__proto__" must stay a plain key.
  const result = Object.create(null) as Record<string, number>;
  for (const service of [...bucket.byService.keys()].sort()) {
    const amount = bucket.byService.get(service)!;
    if (!isZero(amount)) result[service] = toNumber(amount);
  }
  return result;
}
