/**
 * Numbers, dates and names in plain words for people who read the report: finance partners and
 * workflow owners, not engineers. Fixed locale (en-US) so the same report renders the same text
 * on every machine. Money is `src/util/money`, the one style of every output.
 */
import type { CostMetric } from "../reconciler";
import { addDays, isCalendarDate } from "../util/dates";

const LOCALE = "en-US";

const percentFormat = new Intl.NumberFormat(LOCALE, {
  style: "percent",
  maximumFractionDigits: 1,
  signDisplay: "negative",
});

/** A ratio as a percentage: 1.123 -> "112.3%". */
export function percent(ratio: number): string {
  return percentFormat.format(ratio);
}

const multipleFormat = new Intl.NumberFormat(LOCALE, {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** A growth ratio: 2.04 -> "2.0×", 1.26 -> "1.3×". */
export function multiple(ratio: number): string {
  return `${multipleFormat.format(ratio)}×`;
}

const countFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** A count of things: 30000 -> "30,000". */
export function count(n: number): string {
  return countFormat.format(n);
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

function parts(date: string) {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return { year: y, month: MONTHS[m - 1]!, day: d };
}

/** "2026-11-03" -> "3 November 2026" (text that is not a date is returned as it is). */
export function longDate(date: string): string {
  if (!isCalendarDate(date)) return date;
  const { year, month, day } = parts(date);
  return `${day} ${month} ${year}`;
}

/** "2026-11-03" -> "3 Nov" (chart axes). */
export function shortDate(date: string): string {
  if (!isCalendarDate(date)) return date;
  const { month, day } = parts(date);
  return `${day} ${month.slice(0, 3)}`;
}

/**
 * A period given as start (inclusive) and end (exclusive, as Cost Explorer writes it) in words,
 * naming the last day actually covered: `1–27 November 2026`.
 */
export function periodInWords(period: { readonly start: string; readonly end: string }): string {
  const { start, end } = period;
  if (!isCalendarDate(start) || !isCalendarDate(end)) return `${start} to ${end}`;
  if (end <= start) return `no days (${longDate(start)})`;
  const last = addDays(end, -1);
  if (last === start) return longDate(start);
  const a = parts(start);
  const b = parts(last);
  if (a.year !== b.year) return `${longDate(start)} – ${longDate(last)}`;
  if (a.month !== b.month) return `${a.day} ${a.month} – ${b.day} ${b.month} ${b.year}`;
  return `${a.day}–${b.day} ${b.month} ${b.year}`;
}

/** An ISO timestamp in words, in UTC: "28 November 2026, 06:00 UTC". */
export function timestampInWords(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const date = instant.toISOString();
  return `${longDate(date.slice(0, 10))}, ${date.slice(11, 16)} UTC`;
}

/** What each Cost Explorer metric means, for a reader who does not know the AWS names. */
export const METRIC_IN_WORDS: Readonly<Record<CostMetric, string>> = {
  UnblendedCost: "cost as billed (unblended): each charge on the day it was incurred",
  AmortizedCost: "amortized cost: upfront and reserved commitments spread over the days they cover",
  NetAmortizedCost: "net amortized cost: amortized cost after discounts",
  NetUnblendedCost: "net unblended cost: cost as billed, after discounts",
};
