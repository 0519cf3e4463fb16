import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { CurLine } from "../../src/local-aws/cur-export";

/** A fresh folder, removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "cur-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const ROLE = "arn:aws:sts::111122223333:assumed-role";

/**
 * A small bill with every case the attribution rule and the token economics care about:
 * resource tag only (an AIP), principal tag only (on-demand), both agreeing, both conflicting,
 * neither (an untagged gateway role), a Marketplace model, a first-party model, a credit, a
 * non-AI service, an empty tag value, and two billing periods.
 */
export const SAMPLE_LINES: readonly CurLine[] = [
  // Principal tag only: on-demand Claude through Marketplace, input and output.
  {
    usageStart: "2026-05-02",
    productCode: "prod-abc123",
    productName: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    usageType: "USE1-MP:USE1_InputTokenCount-Units",
    pricingUnit: "1K tokens",
    usageAmount: "1200.5",
    unblendedCost: "3.6015",
    iamPrincipal: `${ROLE}/invoice-matcher/s1`,
    tags: { "iamPrincipal/workflow": "invoice-matching" },
  },
  {
    usageStart: "2026-05-02",
    productCode: "prod-abc123",
    productName: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    usageType: "USE1-MP:USE1_OutputTokenCount-Units",
    pricingUnit: "1K tokens",
    usageAmount: "100",
    unblendedCost: "1.5",
    iamPrincipal: `${ROLE}/invoice-matcher/s1`,
    tags: { "iamPrincipal/workflow": "invoice-matching" },
  },
  // The same group again: summed exactly (0.1000000001 x 2).
  {
    usageStart: "2026-05-02",
    productCode: "AmazonBedrock",
    productName: "Amazon Bedrock",
    usageType: "USE1-Nova2.0Lite-cache-read-input-token-count",
    pricingUnit: "1M tokens",
    usageAmount: "0.25",
    unblendedCost: "0.1000000001",
    resourceTags: { user_workflow: "support-triage" },
  },
  {
    usageStart: "2026-05-02",
    productCode: "AmazonBedrock",
    productName: "Amazon Bedrock",
    usageType: "USE1-Nova2.0Lite-cache-read-input-token-count",
    pricingUnit: "1M tokens",
    usageAmount: "0.25",
    unblendedCost: "0.1000000001",
    resourceTags: { user_workflow: "support-triage" },
  },
  // Conflict: an AIP of support-triage called by invoice-matching's role.
  {
    usageStart: "2026-05-03",
    productCode: "prod-abc123",
    productName: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    usageType: "USE1-MP:USE1_InputTokenCount-Units",
    pricingUnit: "1K tokens",
    usageAmount: "10",
    unblendedCost: "0.03",
    iamPrincipal: `${ROLE}/invoice-matcher/s2`,
    resourceTags: { user_workflow: "support-triage" },
    tags: { "iamPrincipal/workflow": "invoice-matching" },
  },
  // Neither tag: the gateway role, unowned; an empty tag value counts as no tag.
  {
    usageStart: "2026-05-03",
    productCode: "prod-abc123",
    productName: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    usageType: "USE1-MP:USE1_OutputTokenCount-Units",
    pricingUnit: "1K tokens",
    usageAmount: "2",
    unblendedCost: "0.03",
    iamPrincipal: `${ROLE}/llm-gateway/s9`,
    resourceTags: { user_workflow: "" },
  },
  // A credit on Bedrock, principal-tagged.
  {
    usageStart: "2026-05-03",
    lineItemType: "Credit",
    productCode: "AmazonBedrock",
    productName: "Amazon Bedrock",
    usageType: "USE1-Nova2.0Lite-input-tokens",
    pricingUnit: "1M tokens",
    usageAmount: "0",
    unblendedCost: "-0.5",
    tags: { "iamPrincipal/workflow": "invoice-matching" },
  },
  // Not AI: Lambda, resource-tagged.
  {
    usageStart: "2026-05-03",
    productCode: "AWSLambda",
    productName: "AWS Lambda",
    usageType: "USE1-Lambda-GB-Second",
    pricingUnit: "Lambda-GB-Second",
    usageAmount: "3600",
    unblendedCost: "0.06",
    resourceTags: { user_workflow: "support-triage" },
  },
  // Another period: April.
  {
    usageStart: "2026-04-30",
    productCode: "AmazonBedrock",
    productName: "Amazon Bedrock",
    usageType: "USE1-Nova2.0Lite-input-tokens",
    pricingUnit: "1M tokens",
    usageAmount: "1",
    unblendedCost: "0.06",
    tags: { "iamPrincipal/workflow": "support-triage" },
  },
];
