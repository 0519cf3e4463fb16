/**
 * The Reconciler's tunables, validated at the boundary: a wrong value fails the program with a
 * message that names the setting, before anything is registered.
 */
import { z } from "zod";
import { COST_METRICS, CUR_COST_COLUMNS } from "../../src/reconciler";
// The deployment contract itself, not the `aws` index: it loads no AWS SDK.
import { COST_SOURCES, LAMBDA_ENVIRONMENT } from "../../src/reconciler/aws/deployment-contract";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const RECONCILER_DEFAULTS = {
  /** Daily at 06:00 in `scheduleTimezone`: the previous day's Cost Explorer data has settled. */
  schedule: "cron(0 6 * * ? *)",
  scheduleTimezone: "UTC",
  reportPrefix: LAMBDA_ENVIRONMENT.prefix.default,
  /** Just over a year, so a report can be compared with the same month last year. */
  reportRetentionDays: 400,
  costMetric: LAMBDA_ENVIRONMENT.metric.default,
  groupByAccount: LAMBDA_ENVIRONMENT.groupByAccount.default,
  metricsNamespace: LAMBDA_ENVIRONMENT.namespace.default,
  logRetentionDays: 90,
  costSource: LAMBDA_ENVIRONMENT.costSource.default,
  /** Run the audit and the doctor after each reconciliation (read-only, cheap calls). */
  accountChecks: LAMBDA_ENVIRONMENT.accountChecks.default,
  /** The export's name (unique in the account); also names its Glue table and workgroup. */
  curExportName: "ai-spend-guard-cur",
  /**
   * 10 GiB: a month of a large organisation's projected CUR columns is a few GB; a query
   * scanning more is a mistake (a missing partition filter) worth stopping at USD 0.05.
   */
  curBytesScannedCutoffPerQuery: 10 * 1024 ** 3,
} as const;

/** Athena's smallest per-query bytes-scanned cutoff: 10 MB. */
export const MIN_BYTES_SCANNED_CUTOFF = 10_485_760;

export const reconcilerOptionsSchema = z
  .strictObject({
    schedule: z
      .string()
      .regex(/^(rate|cron|at)\(.+\)$/, {
        error:
          'must be an EventBridge Scheduler expression: "rate(1 day)", "cron(0 6 * * ? *)" or "at(2027-01-01T06:00:00)"',
      })
      .default(RECONCILER_DEFAULTS.schedule),
    scheduleTimezone: z
      .string()
      .min(1, { error: "must be an IANA time zone such as UTC or Europe/Paris" })
      .default(RECONCILER_DEFAULTS.scheduleTimezone),
    reportPrefix: z
      .string()
      .regex(/^[^/].*\/$/, {
        error:
          'must be an S3 key prefix ending in "/" and not starting with "/", e.g. "reports/" (the IAM grant is scoped to it)',
      })
      .default(RECONCILER_DEFAULTS.reportPrefix),
    reportRetentionDays: z
      .number({ error: "must be a whole number of days, e.g. 400" })
      .int({ error: "must be a whole number of days, e.g. 400" })
      .min(1, { error: "must be at least 1 day" })
      .default(RECONCILER_DEFAULTS.reportRetentionDays),
    costMetric: z
      .enum(COST_METRICS, {
        error: `must be one of ${COST_METRICS.join(", ")}`,
      })
      .default(RECONCILER_DEFAULTS.costMetric),
    groupByAccount: z
      .boolean({ error: "must be true or false" })
      .default(RECONCILER_DEFAULTS.groupByAccount),
    metricsNamespace: z
      .string()
      .min(1, { error: "must not be empty" })
      .max(255, { error: "must be at most 255 characters" })
      .refine((ns) => !ns.startsWith("AWS/"), {
        error: 'must not start with "AWS/" (reserved for AWS services)',
      })
      .default(RECONCILER_DEFAULTS.metricsNamespace),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        error: `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(RECONCILER_DEFAULTS.logRetentionDays),
    accountChecks: z
      .boolean({ error: "must be true or false" })
      .default(RECONCILER_DEFAULTS.accountChecks),
    costSource: z
      .enum(COST_SOURCES, { error: `must be one of ${COST_SOURCES.join(", ")}` })
      .default(RECONCILER_DEFAULTS.costSource),
    curExportName: z
      .string()
      // Data Exports' name pattern; also valid, once lower-cased, in Glue and Athena names.
      .regex(/^[0-9A-Za-z_-]{1,100}$/, {
        error:
          "must be 1-100 letters, digits, '-' or '_' (it also names the Glue table and the workgroup)",
      })
      .default(RECONCILER_DEFAULTS.curExportName),
    curBytesScannedCutoffPerQuery: z
      .number({ error: "must be a whole number of bytes" })
      .int({ error: "must be a whole number of bytes" })
      .min(MIN_BYTES_SCANNED_CUTOFF, {
        error: "must be at least 10485760 (10 MB, Athena's minimum)",
      })
      .default(RECONCILER_DEFAULTS.curBytesScannedCutoffPerQuery),
  })
  .superRefine((options, context) => {
    // A metric the CUR query refuses would fail every run: refuse it at deployment instead.
    const column = CUR_COST_COLUMNS[options.costMetric];
    if (options.costSource === "cur" && column.kind === "refused") {
      context.addIssue({
        code: "custom",
        path: ["costMetric"],
        message: `is not available with costSource cur: ${column.reason}`,
      });
    }
    // The function refuses it at cold start (the CUR query does not group by account).
    if (options.costSource === "cur" && options.groupByAccount) {
      context.addIssue({
        code: "custom",
        path: ["groupByAccount"],
        message:
          "must be false with costSource cur: the CUR query does not group by linked account",
      });
    }
  });

export type ReconcilerOptionsInput = z.input<typeof reconcilerOptionsSchema>;
export type ReconcilerOptions = z.output<typeof reconcilerOptionsSchema>;

/**
 * Validate the options; throws one error listing every bad setting as `<prefix><key>: <why>`,
 * where `prefix` is how the caller names them (e.g. `ai-spend-guard:` for stack config).
 */
export function parseReconcilerOptions(
  input: Partial<Record<keyof ReconcilerOptionsInput, unknown>>,
  prefix = "",
): ReconcilerOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const result = reconcilerOptionsSchema.safeParse(defined);
  if (result.success) return result.data;
  throw new Error(
    `invalid reconciler settings:\n` +
      result.error.issues
        .map((issue) => {
          const key = issue.path.map(String).join(".");
          const got =
            issue.code === "unrecognized_keys" ? "" : `, got ${JSON.stringify(defined[key])}`;
          return `  ${prefix}${key}: ${issue.message}${got}`;
        })
        .join("\n"),
  );
}
