/**
 * The demo scenario as CUR 2.0 line items, so the shipped export (`examples/cur/`, written by
 * `scripts/demo-cur.ts`) and the recorded Cost Explorer bill tell the same story: for each day,
 * workflow tag and service, the line items' costs sum exactly to the bill's amount.
 *
 * A model's day is split into token classes (input, output, and cache reads for the
 * Marketplace model), each with a usage type and a token count, so the CUR source can show
 * per-model economics that Cost Explorer cannot; other services are one usage line. A credit
 * is its own `Credit` line, as CUR writes it, where the bill nets it into the day.
 *
 * Attribution lives in `attributionOf`, one function: the workflow's resource tag
 * (`resource_tags['user_<key>']`) and the caller's principal tag (`tags['iamPrincipal/<key>']`),
 * as the scenario's series name them.
 */
import { writeCurExport } from "../local-aws/cur-export";
import type { CurLine, WrittenPeriod } from "../local-aws/cur-export";
import { parseAmount, subtract, toString, ZERO } from "../util/decimal";
import type { Amount } from "../util/decimal";
import { DEMO_CUR_EXPORT, DEMO_CUR_S3_PREFIX } from "./examples";
import { ACCOUNT, CREDITS, TAG_KEY, scenarioRows } from "./scenario";

/** How a service bills in the demo: its product code and the usage lines a day splits into. */
interface ServiceBilling {
  readonly productCode: string;
  /** Usage type, share of the day's cost, pricing unit, price per pricing unit (USD). */
  readonly lines: readonly {
    readonly usageType: string;
    readonly share: number;
    readonly pricingUnit: string;
    readonly price: number;
  }[];
}

const MARKETPLACE_CLAUDE: ServiceBilling = {
  productCode: "prod-claude-sonnet-45",
  lines: [
    {
      usageType: "USE1-MP:USE1_InputTokenCount-Units",
      share: 0.35,
      pricingUnit: "1K tokens",
      price: 0.003,
    },
    {
      usageType: "USE1-MP:USE1_CacheReadInputTokenCount-Units",
      share: 0.05,
      pricingUnit: "1K tokens",
      price: 0.0003,
    },
    {
      usageType: "USE1-MP:USE1_OutputTokenCount-Units",
      share: 0.6,
      pricingUnit: "1K tokens",
      price: 0.015,
    },
  ],
};

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
): ServiceBilling => ({
  productCode,
  lines: [{ usageType, share: 1, pricingUnit, price }],
});

/** Every service of the scenario; a new one must be added here (the writer refuses it otherwise). */
const BILLING: Readonly<Record<string, ServiceBilling>> = {
  "Amazon Bedrock Service": firstParty("Nova2.0Lite", 0.00006, 0.00024),
  "Amazon Bedrock": firstParty("Nova2.0Pro", 0.0008, 0.0032),
  "Claude Sonnet 4.5 (Amazon Bedrock Edition)": MARKETPLACE_CLAUDE,
  "AWS Lambda": single("AWSLambda", "USE1-Lambda-GB-Second-ARM", "Lambda-GB-Second", 0.0000133334),
  "Amazon Textract": single("AmazonTextract", "USE1-AnalyzeDocument-Forms", "Page", 0.05),
  "Amazon Kendra": single("AmazonKendra", "USE1-Kendra-Enterprise-Hours", "Hrs", 1.4),
  "Amazon SageMaker": single("AmazonSageMaker", "USE1-Host:ml.g5.xlarge", "Hrs", 1.41),
  "Claude 3 Haiku (Amazon Bedrock Edition)": {
    ...MARKETPLACE_CLAUDE,
    productCode: "prod-claude-3-haiku",
  },
  "Amazon Elastic Compute Cloud - Compute": single(
    "AmazonEC2",
    "USE1-BoxUsage:g5.xlarge",
    "Hrs",
    1.006,
  ),
  "Amazon Simple Storage Service": single("AmazonS3", "USE1-TimedStorage-ByteHrs", "GB-Mo", 0.023),
};

/** Who a line is attributed to: the one place a principal tag or a caller is set. */
function attributionOf(
  tag: string | null,
  principalTag: string | null | undefined,
): Pick<CurLine, "resourceTags" | "tags" | "iamPrincipal"> {
  return {
    ...(tag === null ? {} : { resourceTags: { [`user_${TAG_KEY}`]: tag } }),
    ...(principalTag === null || principalTag === undefined
      ? {}
      : { tags: { [`iamPrincipal/${TAG_KEY}`]: principalTag } }),
  };
}

/** The scenario's line items, day by day, in the bill's order. */
export function scenarioCurLines(): CurLine[] {
  const lines: CurLine[] = [];
  for (const row of scenarioRows()) {
    const billing = BILLING[row.service];
    if (billing === undefined) {
      throw new Error(
        `the demo has no CUR billing for service ${JSON.stringify(row.service)}: add it to BILLING in src/demo/cur-lines.ts`,
      );
    }
    const common = {
      usageStart: row.date,
      accountId: ACCOUNT,
      productCode: billing.productCode,
      productName: row.service,
      ...attributionOf(row.tag, row.principalTag),
    };
    const credits = CREDITS.filter(
      (c) =>
        c.date === row.date &&
        c.tag === row.tag &&
        c.principalTag === row.principalTag &&
        c.service === row.service,
    );
    // The bill nets credits into the day; CUR has the usage and the credit as separate lines.
    let usage: Amount = parseAmount(row.amount);
    for (const credit of credits) {
      const amount = parseAmount(credit.amount.toFixed(6));
      usage = subtract(usage, amount);
      lines.push({
        ...common,
        lineItemType: "Credit",
        usageType: billing.lines[0]!.usageType,
        usageAmount: "0",
        unblendedCost: toString(amount),
        pricingUnit: billing.lines[0]!.pricingUnit,
      });
    }
    let rest = usage;
    billing.lines.forEach((line, i) => {
      const last = i === billing.lines.length - 1;
      // The last line takes the remainder, so the day's lines sum to the bill exactly.
      const cost = last ? rest : parseAmount((Number(toString(usage)) * line.share).toFixed(6));
      rest = subtract(rest, cost);
      lines.push({
        ...common,
        usageType: line.usageType,
        usageAmount: (Number(toString(cost)) / line.price).toFixed(6),
        unblendedCost: toString(cost),
        pricingUnit: line.pricingUnit,
      });
    });
    if (toString(rest) !== toString(ZERO))
      throw new Error(`the split of ${row.amount} left ${toString(rest)}`);
  }
  return lines;
}

/** Writes the scenario's export under `dir` (what `scripts/demo-cur.ts` ships in examples/cur). */
export function writeDemoCurExport(dir: string): Promise<WrittenPeriod[]> {
  return writeCurExport(dir, scenarioCurLines(), {
    exportName: DEMO_CUR_EXPORT,
    s3Prefix: DEMO_CUR_S3_PREFIX,
  });
}
