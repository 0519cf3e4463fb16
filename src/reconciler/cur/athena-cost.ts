/**
 * What an Athena query costs: USD 5 per TB scanned, each query's bytes rounded up to the next
 * megabyte with a 10 MB minimum (Athena's SQL pricing). Binary units (MB = 2^20, TB = 2^40) are
 * assumed: AWS does not say which on the pricing page, and the binary reading is the higher
 * (so the report never understates the query's cost). Exact decimal arithmetic.
 */
import { parseAmount } from "../../util/decimal";
import type { Amount } from "../../util/decimal";

export const ATHENA_USD_PER_TB = 5;
export const ATHENA_MINIMUM_BYTES = 10 * 2 ** 20;
const MB = 2 ** 20;
const TB = 2n ** 40n;
/** Enough decimal places that 1 MB at USD 5 per TB is exact (5 x 2^20 / 2^40 = 5 / 2^20). */
const SCALE = 30;

/** The charge for one query that scanned `bytes`. */
export function athenaQueryCost(bytes: number): Amount {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`bytes scanned must be a whole number >= 0, got ${bytes}`);
  }
  const billed = Math.max(ATHENA_MINIMUM_BYTES, Math.ceil(bytes / MB) * MB);
  // billed x 5 / 2^40, exact at SCALE places: 5 / 2^20 per MB has 20 decimal places.
  const units = (BigInt(billed) * BigInt(ATHENA_USD_PER_TB) * 10n ** BigInt(SCALE)) / TB;
  return parseAmount(`${units}e-${SCALE}`);
}
