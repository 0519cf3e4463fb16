/**
 * How the demo scenario's spend is billed, usage type by usage type: the one split both shipped
 * bills are written from, so the recorded Cost Explorer bill (`examples/cost-and-usage.csv`,
 * grouped by USAGE_TYPE with its UsageQuantity) and the CUR 2.0 export (`examples/cur/`) carry
 * the same usage types, quantities and unit prices, and the unit-price trigger reads the same
 * change from either.
 *
 * A model's day is split into token classes (input, output, and cache reads for the Marketplace
 * models), each with a usage type and a token count; other services are one usage line. The
 * quantity of a line is its cost over its price: a price that changes on a day (`priceFrom`)
 * changes the unit cost from that day on. A credit is kept apart (`credit`): Cost Explorer nets
 * it into the day's first usage type, CUR writes it as its own line.
 */
import { add, parseAmount, subtract, toString, ZERO } from "../util/decimal";
import type { Amount } from "../util/decimal";
import type { DatasetRow } from "../local-aws/datasets";
import { ACCOUNT, CREDITS, scenarioRows } from "./scenario";

/** One usage line of a service: usage type, share of the day's cost, unit and price. */
interface BillingLine {
  readonly usageType: string;
  readonly share: number;
  readonly pricingUnit: string;
  /** USD per pricing unit. */
  readonly price: number;
  /** A new price from this day on (a vendor's price change). */
  readonly priceFrom?: { readonly date: string; readonly price: number };
}

/** How a service bills in the demo: its product code and the usage lines a day splits into. */
interface ServiceBilling {
  readonly productCode: string;
  readonly lines: readonly BillingLine[];
}

/** A Marketplace Claude edition at its prices per 1K tokens: input, cache read, output. */
const marketplace = (
  productCode: string,
  input: number,
  cacheRead: number,
  output: number,
): ServiceBilling => ({
  productCode,
  lines: [
    {
      usageType: "USE1-MP:USE1_InputTokenCount-Units",
      share: 0.35,
      pricingUnit: "1K tokens",
      price: input,
    },
    {
      usageType: "USE1-MP:USE1_CacheReadInputTokenCount-Units",
      share: 0.05,
      pricingUnit: "1K tokens",
      price: cacheRead,
    },
    {
      usageType: "USE1-MP:USE1_OutputTokenCount-Units",
      share: 0.6,
      pricingUnit: "1K tokens",
      price: output,
    },
  ],
});

const firstParty = (model: string, input: number, output: number): ServiceBilling => ({
  productCode: "AmazonBedrock",
  lines: [
    { usageType: `USE1-${model}-input-tokens`, share: 0.4, pricingUnit: "1K tokens", price: input },
    {
      usageType: `USE1-${model}-output-tokens`,
      share: 0.6,
      pricingUnit: "1K tokens",
      price: output,
    },
  ],
});

const single = (
  productCode: string,
  usageType: string,
  pricingUnit: string,
  price: number,
  priceFrom?: BillingLine["priceFrom"],
): ServiceBilling => ({
  productCode,
  lines: [{ usageType, share: 1, pricingUnit, price, ...(priceFrom ? { priceFrom } : {}) }],
});

/** The Kendra index's hourly price, and the rise that the unit-price trigger is there to catch. */
export const KENDRA_PRICE = { before: 1.4, from: "2026-11-01", after: 1.75 } as const;

/** Every service of the scenario; a new one must be added here (the split refuses it otherwise). */
const BILLING: Readonly<Record<string, ServiceBilling>> = {
  "Amazon Bedrock Service": firstParty("Nova2.0Lite", 0.00006, 0.00024),
  "Amazon Bedrock": firstParty("Nova2.0Pro", 0.0008, 0.0032),
  "Claude Sonnet 4.5 (Amazon Bedrock Edition)": marketplace(
    "prod-claude-sonnet-45",
    0.003,
    0.0003,
    0.015,
  ),
  // A third of Sonnet's price per token: what makes it look cheaper.
  "Claude Haiku 4.5 (Amazon Bedrock Edition)": marketplace(
    "prod-claude-haiku-45",
    0.001,
    0.0001,
    0.005,
  ),
  "Claude 3 Haiku (Amazon Bedrock Edition)": marketplace(
    "prod-claude-3-haiku",
    0.003,
    0.0003,
    0.015,
  ),
  "AWS Lambda": single("AWSLambda", "USE1-Lambda-GB-Second-ARM", "Lambda-GB-Second", 0.0000133334),
  "Amazon Textract": single("AmazonTextract", "USE1-AnalyzeDocument-Forms", "Page", 0.05),
  "Amazon Kendra": single(
    "AmazonKendra",
    "USE1-Kendra-Enterprise-Hours",
    "Hrs",
    KENDRA_PRICE.before,
    { date: KENDRA_PRICE.from, price: KENDRA_PRICE.after },
  ),
  "Amazon SageMaker": single("AmazonSageMaker", "USE1-Host:ml.g5.xlarge", "Hrs", 1.41),
  "Amazon Elastic Compute Cloud - Compute": single(
    "AmazonEC2",
    "USE1-BoxUsage:g5.xlarge",
    "Hrs",
    1.006,
  ),
  "Amazon Simple Storage Service": single("AmazonS3", "USE1-TimedStorage-ByteHrs", "GB-Mo", 0.023),
};

/** One usage line of one day of one series. */
export interface UsageLine {
  readonly date: string;
  readonly tag: string | null;
  readonly principalTag: string | null;
  readonly service: string;
  readonly productCode: string;
  readonly usageType: string;
  readonly pricingUnit: string;
  /** Usage in the pricing unit, decimal text. */
  readonly usageAmount: string;
  /** The usage's cost, decimal text (before any credit). */
  readonly cost: string;
  /** A credit on this line's day and series, decimal text (negative); on the day's first line only. */
  readonly credit?: string;
}

/** The scenario's usage lines, day by day, in the bill's order. */
export function scenarioUsageLines(): UsageLine[] {
  const lines: UsageLine[] = [];
  for (const row of scenarioRows()) {
    const billing = BILLING[row.service];
    if (billing === undefined) {
      throw new Error(
        `the demo has no billing for service ${JSON.stringify(row.service)}: add it to BILLING in src/demo/usage-lines.ts`,
      );
    }
    const principalTag = row.principalTag ?? null;
    const credits = CREDITS.filter(
      (c) =>
        c.date === row.date &&
        c.tag === row.tag &&
        c.principalTag === principalTag &&
        c.service === row.service,
    );
    // The day's amount nets its credits; the usage is the amount before them.
    let usage: Amount = parseAmount(row.amount);
    let credit: Amount = ZERO;
    for (const c of credits) {
      const amount = parseAmount(c.amount.toFixed(6));
      usage = subtract(usage, amount);
      credit = add(credit, amount);
    }
    let rest = usage;
    billing.lines.forEach((line, i) => {
      const last = i === billing.lines.length - 1;
      // The last line takes the remainder, so the day's lines sum to the bill exactly.
      const cost = last ? rest : parseAmount((Number(toString(usage)) * line.share).toFixed(6));
      rest = subtract(rest, cost);
      const price =
        line.priceFrom !== undefined && row.date >= line.priceFrom.date
          ? line.priceFrom.price
          : line.price;
      lines.push({
        date: row.date,
        tag: row.tag,
        principalTag,
        service: row.service,
        productCode: billing.productCode,
        usageType: line.usageType,
        pricingUnit: line.pricingUnit,
        usageAmount: (Number(toString(cost)) / price).toFixed(6),
        cost: toString(cost),
        ...(i === 0 && credits.length > 0 ? { credit: toString(credit) } : {}),
      });
    });
    if (toString(rest) !== toString(ZERO))
      throw new Error(`the split of ${row.amount} left ${toString(rest)}`);
  }
  return lines;
}

/**
 * The recorded Cost Explorer bill: one row per day, tags, service and usage type, with its
 * UsageQuantity; a credit netted into its line's amount, as Cost Explorer reports a day.
 */
export function scenarioBillRows(): DatasetRow[] {
  return scenarioUsageLines().map((line) => {
    const amount =
      line.credit === undefined
        ? line.cost
        : toString(add(parseAmount(line.cost), parseAmount(line.credit)));
    return {
      date: line.date,
      tag: line.tag,
      principalTag: line.principalTag,
      service: line.service,
      account: ACCOUNT,
      usageType: line.usageType,
      amounts: { UsageQuantity: line.usageAmount },
      amount,
    };
  });
}
