/** Calendar dates as the registry writes them: `YYYY-MM-DD`, in UTC, no time of day. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date: `2027-02-29` and `2027-13-01` are not. */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const [, y, m, d] = match;
  // Not Date.UTC(y, ...): it reads years 0-99 as 1900-1999, so 0099-01-01 would not round-trip.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(m) - 1, Number(d));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

/** Milliseconds since the epoch at 00:00 UTC of a `YYYY-MM-DD` date. */
export function dateToEpochMs(value: string): number {
  return Date.parse(`${value}T00:00:00Z`);
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function toIsoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateToEpochMs(to) - dateToEpochMs(from)) / DAY_MS);
}

/** `date` plus `days` days, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return toIsoDate(new Date(dateToEpochMs(date) + days * DAY_MS));
}
