/**
 * The bounds of a cost amount read from a bill (Cost Explorer, CUR). An amount is summed
 * exactly (`./decimal`), but a report carries JavaScript numbers: a 309-digit amount becomes
 * Infinity there, JSON writes it as `null`, and every CSV render of it fails. No bill has such
 * an amount, so one is a fault of the source, refused loudly where it was read, never summed.
 *
 * The bounds, and why:
 * - **magnitude below 10^15** (a quadrillion units of the currency), per amount: AWS's whole
 *   yearly revenue is about 10^11 USD, and even in the currency with the most units per dollar
 *   (IDR, about 16,000) one day of one service under one tag cannot come near 10^15. Summing a
 *   million such amounts stays far inside a double (about 10^308), so no total can overflow;
 * - **at most 64 characters of text**: Cost Explorer writes amounts like `0.0000000035` or
 *   `1.2E-9` (under 20 characters); 64 leaves room for any real scale and keeps a hostile
 *   100,000-digit string from costing a BigInt multiplication per row;
 * - what `parseAmount` already refuses: anything but an optional sign, digits, an optional
 *   fraction and an optional exponent within ±64 (`Infinity`, `NaN`, `0x10`, `1,000` are not
 *   amounts).
 */
import { AmountError, parseAmount } from "./decimal";
import type { Amount } from "./decimal";

/** An amount's magnitude must be below 10^MAX_AMOUNT_DIGITS. */
export const MAX_AMOUNT_DIGITS = 15;

/** Longest amount text accepted. */
export const MAX_AMOUNT_TEXT_LENGTH = 64;

const LIMIT_AT_SCALE: bigint[] = [];

/** 10^(MAX_AMOUNT_DIGITS + scale): the bound on `units` at that scale. */
function limitAt(scale: number): bigint {
  return (LIMIT_AT_SCALE[scale] ??= 10n ** BigInt(MAX_AMOUNT_DIGITS + scale));
}

/**
 * Reads a bill's amount exactly, within the bounds above. Throws `AmountError` (quoting the
 * text, cut to 40 characters) for anything else; the caller adds where it was.
 */
export function parseCostAmount(text: string): Amount {
  if (text.length > MAX_AMOUNT_TEXT_LENGTH) {
    throw new AmountError(
      text,
      `amount ${JSON.stringify(`${text.slice(0, 40)}...`)} is ${text.length} characters long: no bill writes an amount of more than ${MAX_AMOUNT_TEXT_LENGTH}`,
    );
  }
  const amount = parseAmount(text);
  const magnitude = amount.units < 0n ? -amount.units : amount.units;
  if (magnitude >= limitAt(amount.scale)) {
    throw new AmountError(
      text,
      `amount ${JSON.stringify(text)} is not below 10^${MAX_AMOUNT_DIGITS} in magnitude: no bill has such an amount`,
    );
  }
  return amount;
}
