/**
 * What a workflow's AWS budget and cost anomaly watch contain, as plain data. Pure: the
 * `WorkflowBudget` component only turns these values into resources, so the rules are testable
 * without Pulumi.
 */
import { BUDGET_CURRENCY, budgetCurrencyProblem } from "../../src/registry";
import type { Budget, Workflow } from "../../src/registry";

/**
 * The cost allocation tag filter value AWS Budgets expects: `user:<key>$<value>`. Without the
 * `user:` prefix AWS accepts the budget and then shows $0 spend for it, forever.
 */
export function tagKeyValue(tagKey: string, value: string): string {
  return `user:${tagKey}$${value}`;
}

export type NotificationType = "ACTUAL" | "FORECASTED";

/** One budget notification, in the shape of `aws.budgets.BudgetNotification`. */
export interface NotificationSpec {
  readonly notificationType: NotificationType;
  readonly comparisonOperator: "GREATER_THAN";
  readonly threshold: number;
  readonly thresholdType: "PERCENTAGE";
  readonly subscriberEmailAddresses: readonly string[];
}

/** Who reads a workflow's budget emails: its owner and, when set, its finance partner. */
export function budgetRecipients(workflow: Workflow): string[] {
  const addresses = [workflow.owner, workflow.financePartner].filter(
    (a): a is string => a !== undefined,
  );
  // AWS rejects a notification that lists the same subscriber twice.
  return [...new Set(addresses)];
}

/**
 * One ACTUAL notification per alert threshold (ascending) plus the FORECASTED one. The registry
 * already guarantees at most 5 and no duplicates (AWS's limits per budget).
 */
export function budgetNotifications(workflow: Workflow, budget: Budget): NotificationSpec[] {
  const subscriberEmailAddresses = budgetRecipients(workflow);
  const base = {
    comparisonOperator: "GREATER_THAN",
    thresholdType: "PERCENTAGE",
    subscriberEmailAddresses,
  } as const;
  const actual = [...budget.alerts]
    .sort((a, b) => a - b)
    .map((threshold): NotificationSpec => ({ ...base, notificationType: "ACTUAL", threshold }));
  const forecast: NotificationSpec[] =
    budget.forecastAlert === undefined
      ? []
      : [{ ...base, notificationType: "FORECASTED", threshold: budget.forecastAlert }];
  return [...actual, ...forecast];
}

/** The rule lives with the registry (validate warns with it); the stack refuses with it. */
export { BUDGET_CURRENCY, budgetCurrencyProblem };

/**
 * The registry currency, checked for a workflow budget: AWS Budgets rejects any other unit
 * ("EUR is not in the supported unit set: [USD]"), which would fail the deployment halfway.
 */
export function checkBudgetCurrency(currency: string): string {
  const problem = budgetCurrencyProblem(currency);
  if (problem !== undefined) throw new Error(`settings.currency: ${problem}`);
  return currency;
}

const LIMIT_FORMAT = new Intl.NumberFormat("en-US", {
  useGrouping: false,
  maximumFractionDigits: 2,
});

/**
 * A budget limit as AWS Budgets takes it: a plain decimal string to the cent, never an exponent
 * (`String(1e21)` and `(1e21).toFixed(2)` both give "1e+21").
 */
export function limitAmount(monthly: number): string {
  return LIMIT_FORMAT.format(monthly);
}

/**
 * The Cost Anomaly Detection monitor specification (a Cost Explorer `Expression`, as JSON) that
 * watches exactly one workflow. Cost Explorer names tag keys without the `user:` prefix.
 */
export function anomalyMonitorSpecification(tagKey: string, workflowId: string): string {
  return JSON.stringify({ Tags: { Key: tagKey, Values: [workflowId], MatchOptions: ["EQUALS"] } });
}

/** Share of the monthly budget an anomaly must cost before its owner is told. */
export const ANOMALY_BUDGET_SHARE = 0.1;

/**
 * The total-impact threshold (in the registry currency) above which an anomaly is reported: a
 * tenth of the monthly budget, and never less than `minimum`, so small workflows are not paged
 * for pennies and large ones are not paged for noise.
 */
export function anomalyThreshold(workflow: Workflow, minimum: number): number {
  if (workflow.budget === undefined) return minimum;
  const share = Math.round(workflow.budget.monthly * ANOMALY_BUDGET_SHARE * 100) / 100;
  return Math.max(minimum, share);
}

/** The anomaly minimum impact, checked: a number >= 0 in the registry currency. */
export function checkAnomalyMinimumImpact(value: number, currency: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(
      `anomalyMinimumImpact must be a number >= 0 (in ${currency}), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
