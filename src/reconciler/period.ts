/**
 * Which days a reconciliation covers, derived from the run date alone so that a retry of the
 * same run (same date) looks at exactly the same days.
 *
 * The run date's own day is never counted: Cost Explorer's figures for it are hours old and
 * partial. The report covers the month holding the last complete day (the day before the run),
 * so the run on 1 December reports the whole of November, and the run on 28 November reports
 * 1-27 November. One Cost Explorer query covers that month and the whole month before it
 * (last month's total, and growth windows that reach back across the month boundary).
 */
import { addDays, isCalendarDate } from "../util/dates";

export interface Period {
  /** The run date, `YYYY-MM-DD`: the key of the run (report key, delivery records). */
  readonly runDate: string;
  /** First day of the reported month (inclusive). */
  readonly start: string;
  /** Day after the last complete day reported: the run date (exclusive). */
  readonly end: string;
  /** First day of the month before the reported month (inclusive). */
  readonly lastMonthStart: string;
  /** Days in the reported month. */
  readonly daysInMonth: number;
  /** Complete days reported so far (start .. end). */
  readonly elapsedDays: number;
  /** Days of the reported month not yet reported (0 once the month is complete). */
  readonly remainingDays: number;
  /** Last 7 complete days, [start, end). */
  readonly lastWeek: { readonly start: string; readonly end: string };
  /** The 7 days before those. */
  readonly priorWeek: { readonly start: string; readonly end: string };
}

/** The period reported by a run on `runDate` (`YYYY-MM-DD`). */
export function periodFor(runDate: string): Period {
  if (!isCalendarDate(runDate)) {
    throw new RangeError(`run date "${runDate}" is not a calendar date: write it as YYYY-MM-DD`);
  }
  const lastComplete = addDays(runDate, -1);
  const start = `${lastComplete.slice(0, 8)}01`;
  const lastMonthStart = `${addDays(start, -1).slice(0, 8)}01`;
  const daysInMonth = monthLength(start);
  const elapsedDays = Number(lastComplete.slice(8, 10));
  return {
    runDate,
    start,
    end: runDate,
    lastMonthStart,
    daysInMonth,
    elapsedDays,
    remainingDays: daysInMonth - elapsedDays,
    lastWeek: { start: addDays(runDate, -7), end: runDate },
    priorWeek: { start: addDays(runDate, -14), end: addDays(runDate, -7) },
  };
}

/** Every day of [start, end), in order. */
export function daysOf(start: string, end: string): string[] {
  const days: string[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) days.push(day);
  return days;
}

function monthLength(firstOfMonth: string): number {
  const year = Number(firstOfMonth.slice(0, 4));
  const month = Number(firstOfMonth.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
