/**
 * The demo scenario as CUR 2.0 line items, so the shipped export (`examples/cur/`, written by
 * `scripts/demo-cur.ts`) and the recorded Cost Explorer bill tell the same story: both are
 * written from the same usage lines (`./usage-lines`), so for each day, workflow tag, service
 * and usage type the line items' costs and usage sum exactly to the bill's.
 *
 * A credit is its own `Credit` line, as CUR writes it, where the bill nets it into the day.
 *
 * Attribution lives in `attributionOf`, one function: the workflow's resource tag
 * (`resource_tags['user_<key>']`) and the caller's principal tag (`tags['iamPrincipal/<key>']`),
 * as the scenario's series name them.
 */
import { writeCurExport } from "../local-aws/cur-export";
import type { CurLine, WrittenPeriod } from "../local-aws/cur-export";
import { DEMO_CUR_EXPORT, DEMO_CUR_S3_PREFIX } from "./examples";
import { ACCOUNT, TAG_KEY } from "./scenario";
import { scenarioUsageLines } from "./usage-lines";

/**
 * The caller of the scenario's untagged Bedrock calls: one shared gateway role without the
 * workflow tag (the doctor's gateway-role case; the audit's account has the same role).
 */
export const UNTAGGED_GATEWAY_CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/llm-gateway/gateway`;

/** Who a line is attributed to: the one place a principal tag or a caller is set. */
function attributionOf(
  tag: string | null,
  principalTag: string | null | undefined,
  service: string,
): Pick<CurLine, "resourceTags" | "tags" | "iamPrincipal"> {
  const untagged = tag === null && (principalTag === null || principalTag === undefined);
  return {
    ...(tag === null ? {} : { resourceTags: { [`user_${TAG_KEY}`]: tag } }),
    ...(principalTag === null || principalTag === undefined
      ? {}
      : { tags: { [`iamPrincipal/${TAG_KEY}`]: principalTag } }),
    ...(untagged && service === "Amazon Bedrock" ? { iamPrincipal: UNTAGGED_GATEWAY_CALLER } : {}),
  };
}

/** The scenario's line items, day by day, in the bill's order. */
export function scenarioCurLines(): CurLine[] {
  const lines: CurLine[] = [];
  for (const line of scenarioUsageLines()) {
    const common = {
      usageStart: line.date,
      accountId: ACCOUNT,
      productCode: line.productCode,
      productName: line.service,
      ...attributionOf(line.tag, line.principalTag, line.service),
    };
    if (line.credit !== undefined) {
      lines.push({
        ...common,
        lineItemType: "Credit",
        usageType: line.usageType,
        usageAmount: "0",
        unblendedCost: line.credit,
        pricingUnit: line.pricingUnit,
      });
    }
    lines.push({
      ...common,
      usageType: line.usageType,
      usageAmount: line.usageAmount,
      unblendedCost: line.cost,
      pricingUnit: line.pricingUnit,
    });
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
