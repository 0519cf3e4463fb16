/**
 * Which days of a query the pages covered. Cost Explorer answers a DAILY query with one result
 * per day of the period, days without cost included (`Groups: []`), so a day absent from every
 * page was lost on the way: counting it as no spend would understate the month.
 */
import type { CostQuery } from "../../ports";
import { addDays } from "../../../util/dates";

export class DaysSeen {
  private readonly seen = new Set<string>();
  /** Days in [start, end). */
  readonly total: number;

  constructor(private readonly query: Pick<CostQuery, "start" | "end">) {
    let total = 0;
    for (let day = query.start; day < query.end; day = addDays(day, 1)) total += 1;
    this.total = total;
  }

  /** Records the days (each result's `TimePeriod.Start`) of one page. */
  add(days: readonly string[]): void {
    for (const day of days) this.seen.add(day);
  }

  /** The days of the query no page had, in order. */
  missing(): string[] {
    const missing: string[] = [];
    for (let day = this.query.start; day < this.query.end; day = addDays(day, 1)) {
      if (!this.seen.has(day)) missing.push(day);
    }
    return missing;
  }
}
