/**
 * Wording shared by flags, digests and summaries: percentages, ratios, untrusted values and
 * hints. Money is `formatMoney` of `src/util/money`, the one style of every output.
 */
import type { WorkflowOutcomes } from "./types";
import { formatMoney } from "../util/money";
import { printable } from "../util/printable";

/** 0.1234 -> "12.3%" (one decimal below 10%, whole percent above: what a reader compares). */
export function formatShare(share: number): string {
  const percent = share * 100;
  return Math.abs(percent) < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

/** 2.345 -> "2.3x" */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(1)}x`;
}

/** Removes floating-point noise from a derived figure (6 decimals: well below a cent). */
export function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * A value from the bill (a tag value anyone can write) made safe to print in plain text:
 * quoted, with control characters and line breaks escaped (JSON's escapes), and bidi and
 * invisible characters made visible (`util/printable`), so it can neither forge lines of a
 * message or a log nor reorder what is printed after it.
 */
export function quoteUntrusted(value: string): string {
  return printable(JSON.stringify(value));
}

/**
 * What an unregistered tag value probably meant ("" when nothing is close), the one wording of
 * every output: `short` for a list line (digest, terminal summary): `(letter case of "x")` or
 * `(did you mean "x"?)`; `sentence` inside a flag's message, which says why case matters.
 */
export function unregisteredHint(
  entry: { readonly suggestion: string | null; readonly caseOnly: boolean },
  style: "short" | "sentence" = "short",
): string {
  if (entry.suggestion === null) return "";
  if (!entry.caseOnly) return `(did you mean "${entry.suggestion}"?)`;
  return style === "sentence"
    ? `(differs only in letter case from "${entry.suggestion}": tag values are case-sensitive)`
    : `(letter case of "${entry.suggestion}")`;
}

/**
 * Items processed are estimated pro rata when not measured, so they can be a fraction of an
 * item. The report keeps them to one decimal, and every figure derived from them (review cost,
 * cost per item) uses that same number, so what a reader sees divides out.
 */
export function roundItems(items: number): number {
  return Math.round(items * 10) / 10;
}

const itemFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** A count of items as the report keeps it: 30240 -> "30,240", 3.6 -> "3.6". */
export function formatItemCount(items: number): string {
  return itemFormat.format(items);
}

/**
 * What one accepted outcome cost, the one wording of every output (digest, terminal):
 * `0.52 USD (28,000 accepted, measured)`, or `none accepted (estimated)` when nothing was.
 */
export function formatCostPerAccepted(
  outcomes: Pick<WorkflowOutcomes, "costPerAccepted" | "accepted" | "basis">,
  currency: string,
): string {
  return outcomes.costPerAccepted === null
    ? `none accepted (${outcomes.basis})`
    : `${formatMoney(outcomes.costPerAccepted, currency)} (${formatItemCount(outcomes.accepted)} accepted, ${outcomes.basis})`;
}

/** Rework and the exception path with their counts: `40.00 USD (12 reworked) / 0.00 USD (0 escalated)`. */
export function formatReworkAndExceptions(
  outcomes: Pick<WorkflowOutcomes, "reworkCost" | "reworked" | "exceptionCost" | "escalated">,
  currency: string,
): string {
  return `${formatMoney(outcomes.reworkCost, currency)} (${formatItemCount(outcomes.reworked)} reworked) / ${formatMoney(outcomes.exceptionCost, currency)} (${formatItemCount(outcomes.escalated)} escalated)`;
}
