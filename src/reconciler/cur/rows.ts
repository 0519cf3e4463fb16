/**
 * The aggregated rows a CUR query returns, typed: every engine hands over text cells (Athena's
 * GetQueryResults is all `VarCharValue`; the DuckDB engine reads the same text), and this one
 * parser turns them into `CurRow`s, so both engines agree by construction.
 *
 * Each row also carries what the pure modules make of it: whether its service is AI spend
 * (`ai-services.ts`, the same classification as the Cost Explorer source, suffix rule included),
 * and what its usage type says about tokens (`usage-types.ts`).
 */
import { parseAmount, AmountError } from "../../util/decimal";
import type { Amount } from "../../util/decimal";
import { isCalendarDate } from "../../util/dates";
import { classifyService, marketplaceModelName } from "../ai-services";
import type { ServiceClass } from "../ai-services";
import { RESULT_COLUMNS } from "./query";
import type { ResultColumn } from "./query";
import { parseUsageType, pricingUnit, tokensOf } from "./usage-types";
import type { ParsedUsageType, PricingUnit } from "./usage-types";

export interface CurRow {
  /** `YYYY-MM-DD` (UTC) */
  readonly date: string;
  /** `resource_tags['user_<key>']`, null when absent or empty. */
  readonly resourceTag: string | null;
  /** `tags['iamPrincipal/<key>']`, null when absent or empty. */
  readonly principalTag: string | null;
  /** The calling IAM principal, only on lines with neither tag (null otherwise or when unknown). */
  readonly unattributedPrincipal: string | null;
  /** The billed resource id, only on AI-service lines with neither tag (null otherwise or when none). */
  readonly unattributedResource: string | null;
  /**
   * The service as Cost Explorer's SERVICE names it: `product['product_name']`, or the product
   * code when a line has no product name (`serviceFrom` says which).
   */
  readonly service: string;
  readonly serviceFrom: "product_name" | "product_code";
  readonly serviceClass: ServiceClass;
  readonly productCode: string | null;
  readonly usageType: string;
  readonly usage: ParsedUsageType;
  readonly pricingUnit: PricingUnit;
  /**
   * The model: the Marketplace product name without " (Amazon Bedrock Edition)" for third-party
   * models, the model named in the usage type for first-party ones; null when the usage type is
   * not a token usage type.
   */
  readonly model: string | null;
  /** Tokens (usage amount x pricing unit), exactly; null when the line is not token usage. */
  readonly tokens: Amount | null;
  /** `line_item_line_item_type`: Usage, Credit, Refund, Tax, ... */
  readonly lineItemType: string;
  readonly currency: string;
  readonly cost: Amount;
  readonly usageAmount: Amount;
  /** How many line items were summed into this row. */
  readonly lineItems: number;
}

export class CurRowError extends Error {
  override readonly name = "CurRowError";
}

export type CurCells = Readonly<Record<ResultColumn, string | null>>;

/** Cells by result-column name from a row of cells in `RESULT_COLUMNS` order. */
export function cellsOf(values: readonly (string | null)[], row: number): CurCells {
  if (values.length !== RESULT_COLUMNS.length) {
    throw new CurRowError(
      `result row ${row} has ${values.length} columns, expected ${RESULT_COLUMNS.length} (${RESULT_COLUMNS.join(", ")})`,
    );
  }
  return Object.fromEntries(RESULT_COLUMNS.map((name, i) => [name, values[i] ?? null])) as CurCells;
}

/**
 * Memo of a pure function of a short text (a usage type, a service, a pricing unit, a day):
 * a result set holds tens of thousands of rows but only hundreds of distinct values of each,
 * so each is parsed once. Bounded, in case a bill has far more distinct values than that.
 */
function memo<T>(parse: (text: string) => T, limit = 10_000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let found = cache.get(text);
    if (found === undefined) {
      found = parse(text);
      if (cache.size >= limit) cache.clear();
      cache.set(text, found);
    }
    return found;
  };
}

const usageOf = memo(parseUsageType);
const serviceClassOf = memo(classifyService);
const pricingUnitOf = memo((text: string) => pricingUnit(text === "" ? null : text));
const isDay = memo(isCalendarDate);

/** Result-column positions, for engines that hand over rows of cells in `RESULT_COLUMNS` order. */
const AT = Object.fromEntries(RESULT_COLUMNS.map((name, i) => [name, i])) as Readonly<
  Record<ResultColumn, number>
>;

/**
 * One result row, typed. Throws `CurRowError` naming the row and the cell for anything an
 * engine should never return (a missing date, an amount that is not a decimal).
 */
export function parseCurRow(cells: CurCells, row: number): CurRow {
  return parseCurValues(
    RESULT_COLUMNS.map((name) => cells[name]),
    row,
  );
}

/**
 * `parseCurRow` over a row of cells in `RESULT_COLUMNS` order, without building the record
 * first: the engines' hot path (one call per result row).
 */
export function parseCurValues(values: readonly (string | null)[], row: number): CurRow {
  if (values.length !== RESULT_COLUMNS.length) {
    throw new CurRowError(
      `result row ${row} has ${values.length} columns, expected ${RESULT_COLUMNS.length} (${RESULT_COLUMNS.join(", ")})`,
    );
  }
  const cell = (name: ResultColumn): string | null => values[AT[name]] ?? null;
  const fail = (message: string): never => {
    throw new CurRowError(`result row ${row}: ${message}`);
  };
  const date = cell("usage_date");
  if (date === null || !isDay(date))
    fail(`usage_date ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  const amount = (name: "cost" | "usage_amount"): Amount => {
    const text = cell(name);
    if (text === null) return fail(`${name} is null`);
    try {
      return parseAmount(text);
    } catch (error) {
      return fail(`${name}: ${error instanceof AmountError ? error.message : String(error)}`);
    }
  };
  const lineItems = Number(cell("line_items"));
  if (!Number.isInteger(lineItems) || lineItems < 1)
    fail(`line_items ${JSON.stringify(cell("line_items"))} is not a count`);
  const productName = blankToNull(cell("product_name"));
  const productCode = blankToNull(cell("product_code"));
  const service = productName ?? productCode;
  if (service === null) fail("the line has neither a product name nor a product code");
  const usageType = cell("usage_type") ?? "";
  const usage = usageOf(usageType);
  const unit = pricingUnitOf((cell("pricing_unit") ?? "").trim());
  const usageAmount = amount("usage_amount");
  let model: string | null = null;
  if (usage.kind === "tokens")
    model =
      usage.family === "marketplace" ? (marketplaceModelName(service!) ?? service!) : usage.model;
  return {
    date: date!,
    resourceTag: blankToNull(cell("resource_workflow")),
    principalTag: blankToNull(cell("principal_workflow")),
    unattributedPrincipal: blankToNull(cell("unattributed_principal")),
    unattributedResource: blankToNull(cell("unattributed_resource")),
    service: service!,
    serviceFrom: productName !== null ? "product_name" : "product_code",
    serviceClass: serviceClassOf(service!),
    productCode,
    usageType,
    usage,
    pricingUnit: unit,
    model,
    tokens: usage.kind === "tokens" && unit.kind === "tokens" ? tokensOf(usageAmount, unit) : null,
    lineItemType: cell("line_item_type") ?? "",
    currency: cell("currency") ?? "",
    cost: amount("cost"),
    usageAmount,
    lineItems,
  };
}

function blankToNull(value: string | null): string | null {
  return value === null || value === "" ? null : value;
}
