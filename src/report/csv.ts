/**
 * CSV for spreadsheets and scripts: RFC 4180 (comma separated, CRLF line endings, fields with
 * a comma, quote or line break in double quotes, quotes doubled), and safe to open in a
 * spreadsheet.
 *
 * Formula injection: a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a
 * formula, and AWS tag values may begin with any of them (`=HYPERLINK("http://evil", "fix")`).
 * Every *text* cell whose first character could start a formula is prefixed with `'`, which
 * spreadsheets read as "this is text" and do not display.
 *
 * Numbers are not text: a cell built from a JavaScript `number` is written as a plain decimal
 * and never prefixed, so a credit stays the number `-12.5` and sums in a spreadsheet. A number
 * cannot carry a formula. A tag value that merely looks like a number (`"-12"`) is still text
 * from an untrusted source and is neutralised (`'-12`). That split is decided by the cell's
 * type, never by sniffing its content.
 */
import { worstSeverity } from "../reconciler";
import type { Report, WorkflowReport } from "../reconciler";
import { assertRenderable } from "./validate";
import { printable } from "../util/printable";

/** A cell: text (untrusted, neutralised), a number (written as is), or empty. */
export type CsvValue = string | number | null;

/**
 * Text that a spreadsheet may run as a formula or a command: one of the four formula starters
 * or their full-width forms (which some spreadsheet versions normalise to ASCII), after any
 * leading whitespace (importers with "trim spaces" on strip it first); or a leading tab, CR, LF
 * or NUL.
 */
const FORMULA_START = /^(?:[\s\u00A0\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n\0])/;

/**
 * Text that a spreadsheet shows as text: prefixed with `'` when it could start a formula.
 *
 * @example
 * neutraliseFormula("=1+1"); // "'=1+1"
 * neutraliseFormula("support-triage"); // "support-triage"
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A finite number as a plain decimal, the shortest text that reads back as the same number,
 * never in exponent form (`1e-7` would be read as text by some spreadsheets): 1e-7 ->
 * "0.0000001", -0 -> "0".
 */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${String(n)}`);
  if (n === 0) return "0";
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign, head, tail = "", exp] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const digits = head + tail;
  const point = 1 + Number(exp); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * One RFC 4180 field. Text is neutralised first (control, bidi and invisible characters become
 * visible escapes such as `\x1b` or `\u{202E}`, see `util/printable`; then a formula starter
 * is prefixed), then quoted when it needs to be. The exact values are in report.json.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return plainNumber(value);
  const text = neutraliseFormula(printable(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, without its line ending. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",");
}

/**
 * A whole document: a header record, then the records, each ended by CRLF. Every record must
 * have the header's number of fields (a ragged file misaligns every column after the gap).
 */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
): string {
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(
        `CSV row ${i + 1} has ${row.length} fields, the header has ${header.length}`,
      );
    }
  });
  return [header, ...rows].map((row) => `${csvRow(row)}\r\n`).join("");
}

// ---------------------------------------------------------------------------------------------
// The report as CSV

export interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark. Off by default (RFC 4180 readers and scripts see it as
   * part of the first header); turn it on when the file is for Excel, which otherwise reads
   * non-ASCII tag values as Windows-1252.
   */
  readonly bom?: boolean;
}

/** The columns of `renderCsv`, in order: a contract like the JSON report. */
export const REPORT_CSV_COLUMNS = [
  "record_type",
  "period_start",
  "period_end_exclusive",
  "currency",
  "metric",
  "workflow",
  "owner",
  "stage",
  "spend",
  "spend_by_service",
  "last_month_spend",
  "projected_spend",
  "budget",
  "budget_used_ratio",
  "growth_ratio",
  "review_cost",
  "review_cost_basis",
  "items",
  "fully_loaded",
  "cost_per_item",
  "worst_flag",
  "flags",
  "suggestion",
  "case_only",
  "spend_resource_tag",
  "spend_principal_tag",
  "route",
  "principal_tag",
  "conflict_spend",
  // Outcome economics (workflow records with outcomes in the registry).
  "outcome_basis",
  "accepted",
  "reworked",
  "escalated",
  "rework_cost",
  "exception_cost",
  "cost_per_accepted",
] as const;
type Column = (typeof REPORT_CSV_COLUMNS)[number];

/**
 * What a record is: one per workflow, one for untagged AI spend, one per unregistered value
 * (per route), one per attribution conflict.
 */
export type CsvRecordType = "workflow" | "unowned" | "unregistered" | "conflict";

/** "Amazon Bedrock=12.5; Amazon SageMaker=3", largest first, so the cell reads by weight. */
function byServiceCell(byService: Readonly<Record<string, number>>): string | null {
  const entries = Object.entries(byService).sort(
    ([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0),
  );
  if (entries.length === 0) return null;
  return entries.map(([service, amount]) => `${service}=${plainNumber(amount)}`).join("; ");
}

function record(
  report: Report,
  type: CsvRecordType,
  fields: Partial<Record<Column, CsvValue>>,
): CsvValue[] {
  const common: Partial<Record<Column, CsvValue>> = {
    record_type: type,
    period_start: report.period.start,
    period_end_exclusive: report.period.end,
    currency: report.currency,
    metric: report.metric,
  };
  return REPORT_CSV_COLUMNS.map((column) => fields[column] ?? common[column] ?? null);
}

function workflowRecord(report: Report, w: WorkflowReport): CsvValue[] {
  return record(report, "workflow", {
    workflow: w.id,
    owner: w.owner,
    stage: w.stage,
    spend: w.spend,
    spend_by_service: byServiceCell(w.spendByService),
    last_month_spend: w.lastMonthSpend,
    projected_spend: w.projectedSpend,
    budget: w.budget,
    budget_used_ratio: w.budgetUsed,
    growth_ratio: w.growth,
    review_cost: w.reviewCost,
    review_cost_basis: w.reviewCostBasis,
    items: w.items,
    fully_loaded: w.fullyLoaded,
    cost_per_item: w.costPerItem,
    worst_flag: worstSeverity(w.flags),
    flags: w.flags.map((f) => `${f.kind} (${f.severity})`).join("; ") || null,
    spend_resource_tag: w.attribution.resourceTag,
    spend_principal_tag: w.attribution.principalTag,
    outcome_basis: w.outcomes?.basis ?? null,
    accepted: w.outcomes?.accepted ?? null,
    reworked: w.outcomes?.reworked ?? null,
    escalated: w.outcomes?.escalated ?? null,
    rework_cost: w.outcomes?.reworkCost ?? null,
    exception_cost: w.outcomes?.exceptionCost ?? null,
    cost_per_accepted: w.outcomes?.costPerAccepted ?? null,
  });
}

/**
 * The report as CSV: one record per workflow, one for untagged (unowned) AI spend, one per
 * unregistered tag value (with the `route` that carried it), and one per attribution conflict
 * (`workflow` = the resource tag's value it was counted under, `principal_tag` = the caller's,
 * the amount in `conflict_spend`). Every record repeats the period, currency and metric, so
 * files from several runs can be stacked into one sheet. There is deliberately no totals record,
 * and a conflict's amount is not in `spend` (it is already in its workflow's): summing the
 * `spend` column must not count anything twice. `spend_resource_tag` + `spend_principal_tag`
 * = `spend` on a workflow record.
 *
 * Ratios are ratios (1.12 = 112%); amounts are in `currency`, unrounded; empty means "none"
 * (no budget, no growth figure, ...).
 *
 * @example
 * writeFileSync("out/report.csv", renderCsv(report));
 */
export function renderCsv(report: Report, options: CsvOptions = {}): string {
  assertRenderable(report);
  const rows: CsvValue[][] = report.workflows.map((w) => workflowRecord(report, w));
  rows.push(
    record(report, "unowned", {
      spend: report.unowned.spend,
      spend_by_service: byServiceCell(report.unowned.byService),
    }),
  );
  for (const u of report.unregistered) {
    rows.push(
      record(report, "unregistered", {
        workflow: u.value,
        spend: u.spend,
        suggestion: u.suggestion,
        case_only: u.suggestion === null ? null : String(u.caseOnly),
        route: u.route,
        ...(u.route === "resourceTag"
          ? { spend_resource_tag: u.spend }
          : { spend_principal_tag: u.spend }),
      }),
    );
  }
  for (const c of report.attribution.conflicts) {
    rows.push(
      record(report, "conflict", {
        workflow: c.resourceTag,
        principal_tag: c.principalTag,
        conflict_spend: c.spend,
      }),
    );
  }
  const text = csvDocument(REPORT_CSV_COLUMNS, rows);
  return options.bom === true ? `\uFEFF${text}` : text;
}
