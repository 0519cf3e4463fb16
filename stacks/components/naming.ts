/**
 * Deterministic, AWS-valid names. A budget's name is what its owner reads in the alert email
 * and what identifies it in the account, so it is derived from the workflow id, never random.
 */
import { createHash } from "node:crypto";

/** AWS Budgets: 1-100 characters, and `:` and `\` are rejected. */
export const MAX_BUDGET_NAME = 100;

/**
 * `<prefix>-<workflow id>`, made valid for AWS Budgets. Forbidden characters become `-`; a name
 * longer than 100 characters keeps its start and ends in a short hash of the full name, so two
 * long ids that share a prefix still get distinct budgets.
 *
 * @example budgetName("ai-spend-guard", "support-triage") // "ai-spend-guard-support-triage"
 */
export function budgetName(prefix: string, workflowId: string): string {
  return fitName(`${prefix}-${workflowId}`.replace(/[:\\]/g, "-"), MAX_BUDGET_NAME);
}

/** Cost anomaly monitors and subscriptions: up to 1024 characters; kept short and readable. */
export function anomalyName(prefix: string, workflowId: string): string {
  return fitName(`${prefix}-${workflowId}`, 1024);
}

// The rule lives with the registry (it is checked there, with a line and column); re-exported
// for the components, which also guard workflows built in code rather than parsed.
export { inferenceProfileNameProblem } from "../../src/registry";

function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, max - hash.length - 1)}-${hash}`;
}

/**
 * A Bedrock inference profile description (same character rules as the name, up to 200):
 * punctuation runs become one space so any workflow description fits.
 */
export function inferenceProfileDescription(text: string): string {
  return text
    .replace(/[^0-9a-zA-Z:.]+/g, " ")
    .trim()
    .slice(0, 200)
    .trim();
}
