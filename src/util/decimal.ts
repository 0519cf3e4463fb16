/**
 * Exact decimal amounts for money.
 *
 * Cost Explorer sends amounts as decimal strings ("0.1000000001", "-12.5", now and then
 * "1.2E-9"). Summing them as JavaScript numbers drifts: 1,000 x 0.1000000001 is not
 * 100.0000001 in binary floating point. An `Amount` is a scaled integer (`units` x 10^-scale)
 * held in a BigInt, so sums are exact whatever the number of rows, and credits (negative
 * amounts) cancel exactly.
 *
 * Why not one fixed scale: a fixed scale would silently round any amount with more digits than
 * it holds. Each amount keeps the scale its text needs; `add` brings two amounts to the larger
 * scale, which in practice (every Cost Explorer amount of one response has the same shape)
 * is a plain BigInt addition.
 *
 * @example
 * let total = ZERO;
 * for (const text of ["0.1000000001", "-0.0000000001"]) total = add(total, parseAmount(text));
 * toString(total); // "0.1"
 */

export interface Amount {
  /** The amount times 10^scale, exactly. */
  readonly units: bigint;
  /** Number of decimal places `units` carries (>= 0). */
  readonly scale: number;
}

/** An amount that could not be read: the message quotes it and says what was expected. */
export class AmountError extends Error {
  override readonly name = "AmountError";
  constructor(
    /** The text as received. */
    readonly text: string,
    message: string,
  ) {
    super(message);
  }
}

export const ZERO: Amount = Object.freeze({ units: 0n, scale: 0 });

/** Exponents beyond this are not money; refusing them bounds the size of `units`. */
const MAX_EXPONENT = 64;

/** Powers of ten, cached: rescaling is the only multiplication on the hot path. */
const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  for (let i = POW10.length; i <= n; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[n]!;
}

/** Up to 15 decimal digits always fit a double exactly (2^53 > 10^15). */
const MAX_EXACT_DIGITS = 15;

const ZERO_CODE = 48;
const NINE_CODE = 57;
const PLUS = 43;
const MINUS = 45;
const POINT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * Reads a decimal string exactly: optional sign, digits, optional fraction, optional exponent
 * (what Cost Explorer and CUR write). Throws `AmountError` naming the text otherwise; refused on
 * purpose: "", ".5", "5.", "1,000.00", "0x10", "Infinity", "NaN", spaces.
 *
 * A hand-written scanner rather than a regular expression: this runs once per cost row (over a
 * million rows a run for a large organisation), and the scanner is several times faster.
 *
 * @example parseAmount("-0.0000000138") // { units: -138n, scale: 10 }
 */
export function parseAmount(text: string): Amount {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS;
    i = 1;
  }
  let value = 0;
  let digits = 0;
  let scale = 0;
  let seenPoint = false;
  let digitsSincePoint = 0;
  let exponentAt = -1;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO_CODE && code <= NINE_CODE) {
      value = value * 10 + (code - ZERO_CODE);
      digits++;
      if (seenPoint) {
        scale++;
        digitsSincePoint++;
      }
    } else if (code === POINT && !seenPoint && digits > 0) {
      seenPoint = true;
    } else if ((code === LOWER_E || code === UPPER_E) && digits > 0) {
      exponentAt = i;
      break;
    } else {
      throw malformed(text);
    }
  }
  if (digits === 0 || (seenPoint && digitsSincePoint === 0)) throw malformed(text);
  if (exponentAt >= 0) {
    const exponent = parseExponent(text, exponentAt + 1);
    scale -= exponent;
  }
  let units: bigint;
  if (digits <= MAX_EXACT_DIGITS) {
    units = BigInt(value);
  } else {
    const end = exponentAt >= 0 ? exponentAt : length;
    const start = first === MINUS || first === PLUS ? 1 : 0;
    const body = text.slice(start, end);
    units = BigInt(seenPoint ? body.replace(".", "") : body);
  }
  if (scale < 0) {
    units *= pow10(-scale);
    scale = 0;
  }
  return { units: negative ? -units : units, scale };
}

function parseExponent(text: string, from: number): number {
  let i = from;
  let sign = 1;
  const code = text.charCodeAt(i);
  if (code === MINUS || code === PLUS) {
    sign = code === MINUS ? -1 : 1;
    i++;
  }
  if (i >= text.length) throw malformed(text);
  let exponent = 0;
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - ZERO_CODE;
    if (digit < 0 || digit > 9) throw malformed(text);
    exponent = exponent * 10 + digit;
    if (exponent > MAX_EXPONENT) {
      throw new AmountError(
        text,
        `amount ${JSON.stringify(text)} has an exponent beyond ±${MAX_EXPONENT}: not a money amount`,
      );
    }
  }
  return sign * exponent;
}

function malformed(text: string): AmountError {
  return new AmountError(
    text,
    `malformed amount ${JSON.stringify(text)}: expected a decimal number such as "12.34", "-0.5" or "1.2E-9"`,
  );
}

/** Like `parseAmount`, but returns undefined instead of throwing. */
export function tryParseAmount(text: string): Amount | undefined {
  try {
    return parseAmount(text);
  } catch {
    return undefined;
  }
}

/** a + b, exactly. */
export function add(a: Amount, b: Amount): Amount {
  if (a.scale === b.scale) return { units: a.units + b.units, scale: a.scale };
  if (a.scale > b.scale)
    return { units: a.units + b.units * pow10(a.scale - b.scale), scale: a.scale };
  return { units: a.units * pow10(b.scale - a.scale) + b.units, scale: b.scale };
}

/** -a */
export function negate(a: Amount): Amount {
  return { units: -a.units, scale: a.scale };
}

/** a - b, exactly. */
export function subtract(a: Amount, b: Amount): Amount {
  return add(a, negate(b));
}

/** The exact sum of any number of amounts (ZERO for none). */
export function sum(amounts: Iterable<Amount>): Amount {
  let total = ZERO;
  for (const amount of amounts) total = add(total, amount);
  return total;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b (scale does not matter). */
export function compare(a: Amount, b: Amount): -1 | 0 | 1 {
  const difference = subtract(a, b).units;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function isZero(a: Amount): boolean {
  return a.units === 0n;
}

export function isNegative(a: Amount): boolean {
  return a.units < 0n;
}

/**
 * The same value with trailing fractional zeros removed: equal amounts get equal
 * representations, and long sums do not carry needless digits.
 */
export function normalize(a: Amount): Amount {
  if (a.scale === 0) return a;
  if (a.units === 0n) return ZERO;
  let { units, scale } = a;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/**
 * The shortest exact decimal text: "100.0000001", "-0.5", "0". Round-trips through
 * `parseAmount`.
 */
export function toString(a: Amount): string {
  const { units, scale } = normalize(a);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(scale + 1, "0");
  const point = padded.length - scale;
  return `${negative ? "-" : ""}${padded.slice(0, point)}.${padded.slice(point)}`;
}

/**
 * The nearest JavaScript number, for reports and ratios. Convert once, at the end: the
 * conversion is the only place precision is given up, and it is correctly rounded because it
 * goes through the exact decimal text.
 */
export function toNumber(a: Amount): number {
  return Number(toString(a));
}

/**
 * An exact amount from a JavaScript number, through its shortest decimal text (so 0.1 is
 * exactly 0.1, not 0.1000000000000000055...). Throws for NaN and infinities.
 */
export function fromNumber(value: number): Amount {
  if (!Number.isFinite(value)) {
    throw new AmountError(String(value), `cannot make an amount of ${value}: not a finite number`);
  }
  return parseAmount(String(value));
}

/**
 * The amount rounded to `places` decimals, half away from zero (how currency amounts are
 * shown: 0.125 -> "0.13", -0.125 -> "-0.13").
 */
export function round(a: Amount, places: number): Amount {
  if (!Number.isInteger(places) || places < 0) {
    throw new RangeError(`round: places must be a whole number >= 0, got ${places}`);
  }
  if (a.scale <= places) return a;
  const divisor = pow10(a.scale - places);
  const half = divisor / 2n;
  const magnitude = a.units < 0n ? -a.units : a.units;
  const rounded = (magnitude + half) / divisor;
  return { units: a.units < 0n ? -rounded : rounded, scale: places };
}
