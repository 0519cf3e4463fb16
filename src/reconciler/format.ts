/** Wording shared by flags, digests and summaries: amounts, percentages, ratios. */

/** 1234.5, "USD" -> "1,234.50 USD" */
export function formatMoney(amount: number, currency: string): string {
  const text = amount.toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${text} ${currency}`;
}

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
 * quoted, with control characters and line breaks escaped, so it cannot forge lines of a
 * message or of a log.
 */
export function quoteUntrusted(value: string): string {
  return JSON.stringify(value);
}

/**
 * What an unregistered tag value probably meant, for plain-text outputs ("" when nothing is
 * close): `(letter case of "x")` or `(did you mean "x"?)`.
 */
export function unregisteredHint(entry: {
  readonly suggestion: string | null;
  readonly caseOnly: boolean;
}): string {
  if (entry.suggestion === null) return "";
  return entry.caseOnly
    ? `(letter case of "${entry.suggestion}")`
    : `(did you mean "${entry.suggestion}"?)`;
}
