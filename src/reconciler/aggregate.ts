/**
 * Rows -> exact aggregates, one page at a time: nothing keeps a row after it is added, so a
 * month of 1.2 M rows costs the memory of its sums (buckets x days), not of its rows.
 *
 * Where each row's money goes:
 * - tagged with a registered workflow id (exact match): that workflow, whatever the service,
 *   because storage, functions and queues around the model are part of what the workflow costs;
 * - untagged (`workflow$`) on an AI service: unowned AI spend;
 * - untagged on any other service: ordinary cloud spend (counted in the grand total only);
 * - tagged with a value the registry does not know: unregistered spend, when that value has
 *   any AI-service spend (a tag value only ever seen on, say, Glue is some other team's use of
 *   the tag key, not an AI workflow nobody registered);
 * - in another currency than the registry's: set aside per currency, never added to a total;
 * - outside the query's days: ignored and counted (a source bug, not money to guess about).
 */
import { isAiService } from "./ai-services";
import type { Period } from "./period";
import { daysOf } from "./period";
import type { CostRow } from "./ports";
import { add, isZero, parseAmount, ZERO } from "../util/decimal";
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
  /** Unknown tag values with AI-service spend, in first-seen order. */
  readonly unregistered: ReadonlyMap<string, SpendBucket>;
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
  finish(): Aggregates;
}

interface MutableBucket {
  readonly daily: Amount[];
  readonly byService: Map<string, Amount>;
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
    ai: false,
  });
  const tagged = new Map<string, MutableBucket>();
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
    let bucket: MutableBucket;
    if (row.tag === null || row.tag === "") {
      if (!ai) return;
      bucket = unowned;
    } else {
      const found = tagged.get(row.tag);
      if (found === undefined) {
        bucket = newBucket();
        tagged.set(row.tag, bucket);
      } else {
        bucket = found;
      }
    }
    if (ai) bucket.ai = true;
    bucket.daily[index] = add(bucket.daily[index]!, amount);
    if (inMonth) {
      bucket.byService.set(row.service, add(bucket.byService.get(row.service) ?? ZERO, amount));
    }
  }

  const freeze = (bucket: MutableBucket): SpendBucket => {
    let lastMonth = ZERO;
    let monthToDate = ZERO;
    bucket.daily.forEach((amount, index) => {
      if (index < monthStartIndex) lastMonth = add(lastMonth, amount);
      else monthToDate = add(monthToDate, amount);
    });
    return { daily: bucket.daily, byService: bucket.byService, monthToDate, lastMonth };
  };

  return {
    add(page) {
      for (const row of page) addRow(row);
    },
    finish() {
      const workflows = new Map<string, SpendBucket>();
      const unregistered = new Map<string, SpendBucket>();
      for (const [value, bucket] of tagged) {
        if (registered.has(value)) workflows.set(value, freeze(bucket));
        else if (bucket.ai) unregistered.set(value, freeze(bucket));
      }
      return {
        days,
        monthStartIndex,
        currency,
        workflows,
        unowned: freeze(unowned),
        unregistered,
        totalSpend,
        foreign,
        estimatedDays: [...estimated].sort(),
        rows,
        rowsOutsidePeriod,
      };
    },
  };
}
