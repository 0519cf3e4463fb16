/**
 * Money as text, one style everywhere a person reads an amount (digests, flags, the terminal,
 * the HTML report): the number in en-US grouping with two decimals, then the currency code as
 * the registry gives it: `1,234.50 USD`. A code rather than a symbol, because "$" is also the
 * Canadian, Australian and Singapore dollar, and the registry's currency is a code.
 *
 * Fixed locale, so the same report renders the same text on every machine. A tiny credit that
 * rounds to zero is written `0.00`, never `-0.00` (which reads as a mistake).
 */

const LOCALE = "en-US";
const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(minimumFractionDigits: number, maximumFractionDigits: number) {
  const key = `${minimumFractionDigits}-${maximumFractionDigits}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(LOCALE, {
      minimumFractionDigits,
      maximumFractionDigits,
      signDisplay: "negative",
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * An amount without its currency, for a table column whose header names it.
 *
 * @example
 * formatAmount(1234.5); // "1,234.50"
 */
export function formatAmount(amount: number): string {
  return numberFormat(2, 2).format(amount);
}

/**
 * An amount of money.
 *
 * @example
 * formatMoney(1234.5, "USD"); // "1,234.50 USD"
 * formatMoney(-12, "USD"); // "-12.00 USD" (a credit)
 */
export function formatMoney(amount: number, currency: string): string {
  return `${formatAmount(amount)} ${currency}`;
}

/**
 * A small unit amount (cost per item) keeps up to four decimals below one unit.
 *
 * @example
 * formatUnitMoney(0.012345, "USD"); // "0.0123 USD"
 */
export function formatUnitMoney(amount: number, currency: string): string {
  return `${numberFormat(2, Math.abs(amount) < 1 ? 4 : 2).format(amount)} ${currency}`;
}

const plainFormat = new Intl.NumberFormat(LOCALE, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  useGrouping: false,
});

/**
 * An amount rounded exactly as `formatAmount` shows it (the same rounding, read back).
 *
 * @example
 * shownAmount(302.865); // 302.87
 */
export function shownAmount(amount: number): number {
  const shown = Number(plainFormat.format(amount));
  return shown === 0 ? 0 : shown; // never -0
}

/**
 * The total of amounts as a reader checks it: each amount rounded as it is shown, then added.
 * A total printed next to its parts (or above a table of them) then equals their sum to the
 * cent, where the exact total could differ from it by a cent per part.
 *
 * @example
 * footedTotal([0.125, 0.125]); // 0.26, shown as 0.13 + 0.13 (the exact 0.25 would not add up)
 */
export function footedTotal(amounts: readonly number[]): number {
  let cents = 0;
  for (const amount of amounts) cents += Math.round(shownAmount(amount) * 100);
  return cents / 100;
}
