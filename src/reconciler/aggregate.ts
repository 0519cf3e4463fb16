/**
 * Rows -> exact aggregates, one page at a time: nothing keeps a row after it is added, so a
 * month of 1.2 M rows costs the memory of its sums (buckets x days), not of its rows.
 *
 * Where each row's money goes is the one attribution rule (`attribute` in `./attribution`): the
 * resource tag's value, else the caller's principal tag's value, decides. Then:
 * - a registered workflow id (exact match): that workflow, whatever the service, because
 *   storage, functions and queues around the model are part of what the workflow costs;
 * - no value on an AI service: unowned AI spend;
 * - no value on any other service: ordinary cloud spend (counted in the grand total only);
 * - a value the registry does not know: unregistered spend (per route), when that value has
 *   any AI-service spend (a tag value only ever seen on, say, Glue is some other team's use of
 *   the tag key, not an AI workflow nobody registered);
 * - in another currency than the registry's: set aside per currency, never added to a total;
 * - outside the query's days: ignored and counted (a source bug, not money to guess about).
 * A row whose two tags differ is also counted, once more but as evidence only, in the conflicts
 * (as are the tag pairs a grouped source reports, `addPairs`).
 *
 * Rows of a line-level source (CUR) also say what their usage type means (`CostRow.usage`): the
 * reported month's spend and tokens are summed per model in the bucket the rule chose, and
 * Bedrock lines whose usage type could not be read are summed per usage type, to be named.
 * Their usage type and usage amount are summed per registered workflow, usage type and month
 * (`usageTypes`, what the unit-price trigger compares): the workflow is the one the rule chose,
 * so both routes count, the resource tag's and the caller's principal tag's. (The Cost Explorer
 * query for the same figures groups by the resource tag only; a usage type's price does not
 * depend on who called, so the two differ in weights, not in the prices compared.) And the
 * unowned AI spend of the reported month is summed per calling IAM principal and per billed
 * resource id (`unownedBy`): what could attribute it.
 */
import { isAiService } from "./ai-services";
import { attribute } from "./attribution";
import type { AttributionRoute } from "./attribution";
import type { Period } from "./period";
import { daysOf } from "./period";
import type { CostRow, TagPairSpend, UsageTypeMonth } from "./ports";
import type { TokenClass } from "./cur/usage-types";
import { add, isZero, parseAmount, toString, ZERO } from "../util/decimal";
import type { Amount } from "../util/decimal";

/** Spend of one bucket (a workflow, a tag value, the unowned pool), exact. */
export interface SpendBucket {
  /** One amount per day of `Aggregates.days`. */
  readonly daily: readonly Amount[];
  /** Reported month only. */
  readonly byService: ReadonlyMap<string, Amount>;
  /** Reported month to date. */
  readonly monthToDate: Amount;
  /** The whole month before. */
  readonly lastMonth: Amount;
  /** Reported month to date, per route that decided (sums to `monthToDate`). */
  readonly byRoute: Readonly<Record<AttributionRoute, Amount>>;
  /** Reported month to date, per model (line-level sources only; empty otherwise). */
  readonly models: ReadonlyMap<string, ModelAmounts>;
}

/** One model's spend and tokens per class, exact. */
export interface ModelAmounts {
  readonly spend: Amount;
  readonly tokens: Readonly<Record<TokenClass, Amount>>;
}

/** Reported month's spend on Bedrock lines with a usage type no parser rule reads. */
export interface UnreadUsage {
  readonly usageType: string;
  readonly service: string;
  readonly reason: string;
  readonly lineItems: number;
  readonly amount: Amount;
}

/** Unowned AI spend of the reported month by what could attribute it (line-level sources). */
export interface UnownedBy {
  /** By the calling IAM principal's ARN, on lines that name one. */
  readonly principals: ReadonlyMap<string, Amount>;
  /** By billed resource id and service, on lines that name one, in first-seen order. */
  readonly resources: readonly {
    readonly resourceId: string;
    readonly service: string;
    readonly amount: Amount;
  }[];
}

/** Spend of a tag value no registry lists, as one route saw it. */
export interface UnregisteredBucket {
  readonly value: string;
  readonly route: AttributionRoute;
  readonly bucket: SpendBucket;
}

/** Reported month's spend whose resource tag and caller's principal tag name different values. */
export interface ConflictAmount {
  /** The value the spend was counted under. */
  readonly resourceTag: string;
  readonly principalTag: string;
  readonly amount: Amount;
}

export interface Aggregates {
  /** Every day of the query: the month before, then the reported month to date. */
  readonly days: readonly string[];
  /** Index in `days` of the reported month's first day. */
  readonly monthStartIndex: number;
  readonly currency: string;
  /** Registered workflows that had any row (registered ones without rows are absent). */
  readonly workflows: ReadonlyMap<string, SpendBucket>;
  /** Untagged spend on AI services. */
  readonly unowned: SpendBucket;
  /** Unknown tag values with AI-service spend, per route, in first-seen order. */
  readonly unregistered: readonly UnregisteredBucket[];
  /** Attribution conflicts of the reported month, in first-seen order (zero sums included). */
  readonly conflicts: readonly ConflictAmount[];
  /** Unread usage types of the reported month, in first-seen order (line-level sources only). */
  readonly unreadUsage: readonly UnreadUsage[];
  /**
   * Cost and usage per registered workflow, usage type and month (the month before, and the
   * reported month to date), from rows that carry a usage type (line-level sources only; empty
   * otherwise).
   */
  readonly usageTypes: readonly UsageTypeMonth[];
  /** Unowned AI spend by principal and resource (line-level sources only; empty otherwise). */
  readonly unownedBy: UnownedBy;
  /** All spend of the reported month to date in `currency`, AI or not. */
  readonly totalSpend: Amount;
  /** Spend of the reported month in other currencies, per currency code (never in totals). */
  readonly foreign: ReadonlyMap<string, Amount>;
  /** Days of the reported month whose figures are still estimates. */
  readonly estimatedDays: readonly string[];
  /** Rows received, and rows dropped for a date outside the query. */
  readonly rows: number;
  readonly rowsOutsidePeriod: number;
}

export interface Aggregator {
  add(rows: readonly CostRow[]): void;
  /** Tag pairs from a grouped source (`CostFetch.tagPairs`): conflicts only, never money. */
  addPairs(pairs: readonly TagPairSpend[]): void;
  finish(): Aggregates;
}

interface MutableBucket {
  readonly daily: Amount[];
  readonly byService: Map<string, Amount>;
  /** Reported month to date, per route. */
  readonly byRoute: Record<AttributionRoute, Amount>;
  readonly models: Map<string, { spend: Amount; tokens: Record<TokenClass, Amount> }>;
  /** True once the bucket has a row on an AI service. */
  ai: boolean;
}

export interface AggregatorOptions {
  /** Registered workflow ids. */
  readonly workflowIds: Iterable<string>;
  /** The registry's currency. */
  readonly currency: string;
  readonly period: Period;
  /** Which SERVICE values are AI spend (default: the shipped list and rules). */
  readonly isAiService?: (service: string) => boolean;
}

export function createAggregator(options: AggregatorOptions): Aggregator {
  const { currency, period } = options;
  const registered = new Set(options.workflowIds);
  const days = daysOf(period.lastMonthStart, period.end);
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const monthStartIndex = dayIndex.get(period.start) ?? days.length;
  const aiCache = new Map<string, boolean>();
  const classify = options.isAiService ?? isAiService;
  const isAi = (service: string): boolean => {
    let known = aiCache.get(service);
    if (known === undefined) {
      known = classify(service);
      aiCache.set(service, known);
    }
    return known;
  };

  const newBucket = (): MutableBucket => ({
    daily: new Array<Amount>(days.length).fill(ZERO),
    byService: new Map(),
    byRoute: { resourceTag: ZERO, principalTag: ZERO },
    models: new Map(),
    ai: false,
  });
  const workflows = new Map<string, MutableBucket>();
  const unregistered = new Map<
    string,
    { value: string; route: AttributionRoute; bucket: MutableBucket }
  >();
  const conflicts = new Map<
    string,
    { resourceTag: string; principalTag: string; amount: Amount }
  >();
  const addConflict = (resourceTag: string, principalTag: string, amount: Amount) => {
    const key = `${resourceTag}\u0000${principalTag}`;
    const found = conflicts.get(key);
    if (found === undefined) conflicts.set(key, { resourceTag, principalTag, amount });
    else found.amount = add(found.amount, amount);
  };
  const unread = new Map<string, { -readonly [K in keyof UnreadUsage]: UnreadUsage[K] }>();
  const addUsage = (row: CostRow, bucket: MutableBucket, amount: Amount): void => {
    const usage = row.usage;
    if (usage === undefined) return;
    if (usage.kind === "tokens") {
      let model = bucket.models.get(usage.model);
      if (model === undefined) {
        model = {
          spend: ZERO,
          tokens: { input: ZERO, output: ZERO, "cache-read": ZERO, "cache-write": ZERO },
        };
        bucket.models.set(usage.model, model);
      }
      model.spend = add(model.spend, amount);
      model.tokens[usage.tokenClass] = add(
        model.tokens[usage.tokenClass],
        parseAmount(usage.tokens),
      );
      return;
    }
    const key = `${usage.usageType}\u0000${row.service}`;
    const found = unread.get(key);
    const lineItems = row.lineItems ?? 1;
    if (found === undefined) {
      unread.set(key, {
        usageType: usage.usageType,
        service: row.service,
        reason: usage.reason,
        lineItems,
        amount,
      });
    } else {
      found.lineItems += lineItems;
      found.amount = add(found.amount, amount);
    }
  };
  const usageTypes = new Map<
    string,
    { workflowId: string; usageType: string; month: string; cost: Amount; usage: Amount }
  >();
  const addUsageType = (row: CostRow, workflowId: string, month: string, amount: Amount) => {
    if (row.usageType === undefined || row.usageAmount === undefined) return;
    const key = `${workflowId}\u0000${row.usageType}\u0000${month}`;
    const usage = parseAmount(row.usageAmount);
    const found = usageTypes.get(key);
    if (found === undefined) {
      usageTypes.set(key, { workflowId, usageType: row.usageType, month, cost: amount, usage });
    } else {
      found.cost = add(found.cost, amount);
      found.usage = add(found.usage, usage);
    }
  };
  const principals = new Map<string, Amount>();
  const resources = new Map<string, { resourceId: string; service: string; amount: Amount }>();
  const addUnownedBy = (row: CostRow, amount: Amount) => {
    if (row.principal !== undefined) {
      principals.set(row.principal, add(principals.get(row.principal) ?? ZERO, amount));
    }
    if (row.resourceId !== undefined) {
      const key = `${row.resourceId}\u0000${row.service}`;
      const found = resources.get(key);
      if (found === undefined) {
        resources.set(key, { resourceId: row.resourceId, service: row.service, amount });
      } else found.amount = add(found.amount, amount);
    }
  };
  const unowned = newBucket();
  let totalSpend = ZERO;
  const foreign = new Map<string, Amount>();
  const estimated = new Set<string>();
  let rows = 0;
  let rowsOutsidePeriod = 0;

  function addRow(row: CostRow): void {
    rows += 1;
    const index = dayIndex.get(row.date);
    if (index === undefined) {
      rowsOutsidePeriod += 1;
      return;
    }
    const amount = parseAmount(row.amount);
    const inMonth = index >= monthStartIndex;
    if (inMonth && row.estimated) estimated.add(row.date);
    if (row.unit !== currency) {
      // A zero has no currency worth reporting (Cost Explorer labels some zeros oddly).
      if (inMonth && !isZero(amount)) {
        foreign.set(row.unit, add(foreign.get(row.unit) ?? ZERO, amount));
      }
      return;
    }
    if (inMonth) totalSpend = add(totalSpend, amount);
    const ai = isAi(row.service);
    const attribution = attribute(row.resourceTag, row.principalTag);
    let bucket: MutableBucket;
    if (attribution.kind === "unattributed") {
      if (!ai) return;
      bucket = unowned;
      if (inMonth) addUnownedBy(row, amount);
    } else {
      const { value, route } = attribution;
      if (registered.has(value)) {
        let found = workflows.get(value);
        if (found === undefined) {
          found = newBucket();
          workflows.set(value, found);
        }
        bucket = found;
        addUsageType(row, value, inMonth ? period.start : period.lastMonthStart, amount);
      } else {
        const key = `${route}\u0000${value}`;
        let found = unregistered.get(key);
        if (found === undefined) {
          found = { value, route, bucket: newBucket() };
          unregistered.set(key, found);
        }
        bucket = found.bucket;
      }
      if (inMonth) {
        bucket.byRoute[route] = add(bucket.byRoute[route], amount);
        if (attribution.conflictsWith !== null)
          addConflict(value, attribution.conflictsWith, amount);
      }
    }
    if (ai) bucket.ai = true;
    bucket.daily[index] = add(bucket.daily[index]!, amount);
    if (inMonth) {
      bucket.byService.set(row.service, add(bucket.byService.get(row.service) ?? ZERO, amount));
      addUsage(row, bucket, amount);
    }
  }

  function addPair(pair: TagPairSpend): void {
    // Pairs are reported for the reported month only; anything else is not this report's.
    if (pair.unit !== currency || pair.start < period.start || pair.end > period.end) return;
    const attribution = attribute(pair.resourceTag, pair.principalTag);
    if (attribution.kind === "attributed" && attribution.conflictsWith !== null) {
      addConflict(attribution.value, attribution.conflictsWith, parseAmount(pair.amount));
    }
  }

  const freeze = (bucket: MutableBucket): SpendBucket => {
    let lastMonth = ZERO;
    let monthToDate = ZERO;
    bucket.daily.forEach((amount, index) => {
      if (index < monthStartIndex) lastMonth = add(lastMonth, amount);
      else monthToDate = add(monthToDate, amount);
    });
    return {
      daily: bucket.daily,
      byService: bucket.byService,
      monthToDate,
      lastMonth,
      byRoute: bucket.byRoute,
      models: bucket.models,
    };
  };

  return {
    add(page) {
      for (const row of page) addRow(row);
    },
    addPairs(pairs) {
      for (const pair of pairs) addPair(pair);
    },
    finish() {
      const frozen = new Map<string, SpendBucket>();
      for (const [value, bucket] of workflows) frozen.set(value, freeze(bucket));
      return {
        days,
        monthStartIndex,
        currency,
        workflows: frozen,
        unowned: freeze(unowned),
        unregistered: [...unregistered.values()]
          .filter((entry) => entry.bucket.ai)
          .map((entry) => ({
            value: entry.value,
            route: entry.route,
            bucket: freeze(entry.bucket),
          })),
        conflicts: [...conflicts.values()],
        unreadUsage: [...unread.values()],
        usageTypes: [...usageTypes.values()].map((u) => ({
          workflowId: u.workflowId,
          usageType: u.usageType,
          month: u.month,
          cost: toString(u.cost),
          usage: toString(u.usage),
        })),
        unownedBy: { principals, resources: [...resources.values()] },
        totalSpend,
        foreign,
        estimatedDays: [...estimated].sort(),
        rows,
        rowsOutsidePeriod,
      };
    },
  };
}
