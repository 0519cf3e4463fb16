/** The Cost Explorer cost source: query building, parsing, retries, the source itself. */
export { costExplorerSource, createCostExplorerClient, COST_EXPLORER_REGION } from "./source";
export type { CostExplorerSourceOptions } from "./source";
export { CostExplorerError, describeProgress } from "./errors";
export type { CostExplorerFailure } from "./errors";
export { parseCostPage, parseTagPairPage, MalformedResponseError } from "./parse";
export { reconciliationQuery, costAndUsageInput, checkQuery, CostQueryError } from "./query";
export { backoffDelay, classifyError, DEFAULT_RETRY } from "./retry";
export { abortableSleep } from "./deadline";
export type { RetryPolicy, ErrorClass } from "./retry";
export {
  minimumRequests,
  PLAN_CHECK_TOLERANCE,
  PlanMismatchError,
  PlanRun,
  queryPlan,
  reportedMonthStart,
  stepInput,
} from "./plan";
export type { PlanStep } from "./plan";
export { costExplorerUsageTypes } from "./usage-types";
export type { UsageTypeSourceOptions } from "./usage-types";
