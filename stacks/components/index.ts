/**
 * ai-spend-guard's Pulumi components, for use from your own Pulumi program:
 *
 * ```ts
 * import { loadRegistry, findWorkflow } from "ai-spend-guard";
 * import { WorkflowBudget, guardTags } from "ai-spend-guard/components";
 *
 * const registry = loadRegistry("workflows.yaml");
 * const workflow = findWorkflow(registry, "support-triage")!;
 * new WorkflowBudget("support-triage", {
 *   workflow,
 *   settings: registry.settings,
 *   tags: guardTags(registry),
 * });
 * ```
 *
 * This entry needs @pulumi/pulumi and @pulumi/aws; the main `ai-spend-guard` entry does not.
 */
export { WorkflowBudget, checkInferenceProfiles } from "./workflow-budget";
export type { WorkflowBudgetArgs } from "./workflow-budget";
export { CostAllocationTags } from "./cost-allocation-tags";
export type { CostAllocationTagsArgs } from "./cost-allocation-tags";
export { Reconciler } from "./reconciler";
export {
  ENV as RECONCILER_ENV,
  OWNER_ATTRIBUTE,
} from "../../src/reconciler/aws/deployment-contract";
export { SERVICE_NAME as RECONCILER_SERVICE_NAME } from "./reconciler-function";
export type { ReconcilerArgs } from "./reconciler";
export { COST_METRICS } from "../../src/reconciler";
export {
  LOG_RETENTION_DAYS,
  RECONCILER_DEFAULTS,
  parseReconcilerOptions,
} from "./reconciler-options";
export type { ReconcilerOptions, ReconcilerOptionsInput } from "./reconciler-options";
export { guardTags, workflowTags, GUARD_WORKFLOW } from "./tags";
export type { Tags } from "./tags";
export {
  anomalyMonitorSpecification,
  anomalyThreshold,
  budgetNotifications,
  budgetRecipients,
  limitAmount,
  tagKeyValue,
} from "./budget-spec";
export type { NotificationSpec } from "./budget-spec";
export { budgetName, anomalyName, MAX_BUDGET_NAME } from "./naming";
export { digestRecipients } from "./digest-recipients";
export type { DigestRecipient } from "./digest-recipients";
export {
  bundleHandler,
  handlerArchive,
  defaultHandlerEntry,
  LAMBDA_RUNTIME,
  REGISTRY_GLOBAL,
} from "./handler-bundle";
export type { Bundle, BundleOptions } from "./handler-bundle";
export * from "./policy-documents";
