/**
 * How long the reconciler may stay silent before its missed-run alarm fires, derived from its
 * EventBridge Scheduler expression.
 *
 * The alarm sums `AWS/Lambda` `Invocations` over hourly periods and fires when every period of
 * the window is empty (no datapoint counts as empty): a sliding window, so a run at any time of
 * day counts. The window is the longest gap between two runs plus `SLACK_HOURS`, because the
 * newest hour is still being filled, a daylight-saving change in the schedule's time zone makes
 * a day 25 hours long, and the scheduler retries a run for up to an hour.
 *
 * Derived only where that is simple: `rate(...)`, and a `cron(...)` that runs every day (any
 * minutes and hours; the longest gap is then taken as a day). Other schedules (`at(...)`, a cron
 * that skips days or months) get no such alarm.
 */

/** Hourly periods: CloudWatch allows up to 7 days of them (a day only below an hour). */
export const MISSED_RUN_PERIOD_SECONDS = 3600;
/** CloudWatch's longest evaluation window for periods of an hour or more: 7 days. */
export const MAX_ALARM_WINDOW_SECONDS = 604_800;
export const SLACK_HOURS = 2;

export interface MissedRunWindow {
  /** Seconds per period (an hour). */
  readonly period: number;
  /** Periods evaluated; all must be empty for the alarm to fire. */
  readonly evaluationPeriods: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86_400,
  days: 86_400,
};

/**
 * The longest gap between two runs of `schedule`, in seconds, or undefined when it is not
 * simply derived (a one-time `at(...)`, a cron that does not run every day).
 */
export function longestGapSeconds(schedule: string): number | undefined {
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/.exec(schedule);
  if (rate) {
    const unit = UNIT_SECONDS[rate[2]!];
    const value = Number(rate[1]);
    return unit === undefined || value < 1 ? undefined : value * unit;
  }
  const cron = /^cron\((.+)\)$/.exec(schedule);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) return undefined;
    const [, , dayOfMonth, month, dayOfWeek, year] = fields;
    const anyDay = (f: string | undefined) => f === "*" || f === "?";
    return anyDay(dayOfMonth) && month === "*" && anyDay(dayOfWeek) && year === "*"
      ? 86_400
      : undefined;
  }
  return undefined;
}

/** The alarm's window for `schedule`, or undefined when it gets no missed-run alarm. */
export function missedRunWindow(schedule: string): MissedRunWindow | undefined {
  const gap = longestGapSeconds(schedule);
  if (gap === undefined) return undefined;
  const evaluationPeriods = Math.ceil((gap + SLACK_HOURS * 3600) / MISSED_RUN_PERIOD_SECONDS);
  if (evaluationPeriods * MISSED_RUN_PERIOD_SECONDS > MAX_ALARM_WINDOW_SECONDS) return undefined;
  return { period: MISSED_RUN_PERIOD_SECONDS, evaluationPeriods };
}
