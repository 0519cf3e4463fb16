/**
 * One line-level bill, two shapes: as the local Cost Explorer's dataset rows, and as CUR 2.0
 * line items. Each dataset row is one line item (the same date, tags, service and amount), so
 * the two sources must give the same report.
 */
import type { CurLine } from "../../src/local-aws/cur-export";
import type { DatasetRow } from "../../src/local-aws/datasets";

const ROLE = "arn:aws:sts::111122223333:assumed-role/gateway/s1";

/** A product code for a service (CUR has one; its value does not matter to attribution). */
const codeOf = (service: string): string =>
  service.endsWith("(Amazon Bedrock Edition)") ? "prod-market" : service.replace(/\W/g, "");

/** The dataset rows as CUR line items; a negative amount is a `Credit` line, as CUR writes it. */
export function curLinesOf(rows: readonly DatasetRow[], tagKey = "workflow"): CurLine[] {
  return rows.map((row) => {
    const marketplace = row.service.endsWith("(Amazon Bedrock Edition)");
    const model = row.service === "Amazon Bedrock";
    return {
      usageStart: row.date,
      accountId: row.account,
      lineItemType: row.amount.startsWith("-") ? "Credit" : "Usage",
      productCode: codeOf(row.service),
      productName: row.service,
      usageType:
        row.usageType ??
        (marketplace
          ? "USE1-MP:USE1_InputTokenCount-Units"
          : model
            ? "USE1-Nova2.0Lite-output-tokens"
            : "USE1-Other-Usage"),
      pricingUnit: marketplace || model ? "1K tokens" : "Units",
      // The row's UsageQuantity when it has one, so both sources see the same usage.
      usageAmount: row.amounts?.UsageQuantity ?? (row.amount.startsWith("-") ? "0" : "10"),
      unblendedCost: row.amount,
      ...(row.tag === null ? {} : { resourceTags: { [`user_${tagKey}`]: row.tag } }),
      ...(row.principalTag === null || row.principalTag === undefined
        ? {}
        : { tags: { [`iamPrincipal/${tagKey}`]: row.principalTag } }),
      ...(row.tag === null && (row.principalTag ?? null) === null ? { iamPrincipal: ROLE } : {}),
    };
  });
}

const BEDROCK = "Amazon Bedrock";
const CLAUDE = "Claude Sonnet 4.5 (Amazon Bedrock Edition)";

const NOVA_INPUT = "USE1-Nova2.0Lite-input-tokens";

/**
 * A price change: support-triage's Nova input tokens cost 0.002 a unit in October and 0.0025 in
 * November (+25%), on its resources and through its callers alike; another usage type's price
 * holds. The same lines for both sources, usage quantities included.
 */
export function priceChangeRows(): DatasetRow[] {
  const rows: DatasetRow[] = [];
  const add = (
    date: string,
    tag: string | null,
    principalTag: string | null,
    usageType: string,
    amount: string,
    usage: string,
  ) =>
    rows.push({
      date,
      tag,
      principalTag,
      service: BEDROCK,
      account: "111122223333",
      usageType,
      amount,
      amounts: { UsageQuantity: usage },
    });
  add("2026-10-06", "support-triage", null, NOVA_INPUT, "2", "1000");
  add("2026-10-20", null, "support-triage", NOVA_INPUT, "0.2", "100");
  add("2026-11-04", "support-triage", null, NOVA_INPUT, "1.25", "500");
  add("2026-11-12", null, "support-triage", NOVA_INPUT, "0.25", "100");
  add("2026-10-06", "support-triage", null, "USE1-Nova2.0Lite-output-tokens", "4", "500");
  add("2026-11-04", "support-triage", null, "USE1-Nova2.0Lite-output-tokens", "8", "1000");
  return rows;
}

/**
 * A bill with every case attribution has: resource tag only, principal tag only, both agreeing,
 * both conflicting, neither (AI and not), an unregistered value on each route, a case variant,
 * a tag value seen only on a non-AI service, a credit, last month's spend.
 */
export function equivalenceRows(): DatasetRow[] {
  const rows: DatasetRow[] = [];
  const add = (
    date: string,
    tag: string | null,
    principalTag: string | null,
    service: string,
    amount: string,
  ) => rows.push({ date, tag, principalTag, service, account: "111122223333", amount });
  for (let day = 1; day <= 27; day++) {
    const date = `2026-11-${String(day).padStart(2, "0")}`;
    add(date, "support-triage", null, BEDROCK, "3.1000000001");
    add(date, "support-triage", null, "AWS Lambda", "0.25");
    add(date, null, "invoice-matching", CLAUDE, "7.5");
    add(date, "invoice-matching", "invoice-matching", CLAUDE, "1.125");
    add(date, null, null, BEDROCK, "0.8");
    add(date, null, null, "Amazon Simple Storage Service", "2");
  }
  add("2026-11-03", "support-triage", "invoice-matching", CLAUDE, "4.4");
  add("2026-11-05", "Support-Triage", null, BEDROCK, "12.5");
  add("2026-11-06", null, "shadow-experiment", CLAUDE, "6");
  add("2026-11-07", "data-lake", null, "Amazon Simple Storage Service", "40");
  add("2026-11-11", "invoice-matching", null, CLAUDE, "-20");
  add("2026-11-20", "memo-pilot", null, "Claude Haiku 4.5 (Amazon Bedrock Edition)", "3.25");
  add("2026-10-15", "invoice-matching", null, BEDROCK, "250");
  add("2026-10-16", null, "support-triage", CLAUDE, "30");
  return rows;
}
