/**
 * ai-spend-guard's public API: the registry and the pure rules built on it. Everything here
 * loads without Pulumi or the AWS SDK; the Pulumi components (`ai-spend-guard/components`) and
 * the auto-tagging helper (`ai-spend-guard/auto-tag`) are separate entries for that reason.
 */
export * from "./registry";
export { exceptionCost, reviewCost, reviewHours, reworkCost } from "./rules/review-cost";
export {
  evaluateResource,
  evaluateStack,
  describePolicy,
  POLICY_ENFORCEMENT,
  UNKNOWN,
} from "./policy";
export type { EvaluationContext, Finding, ResourceInput, Enforcement } from "./policy";
export { checkDocument, readPulumiDocument, PulumiDocumentError } from "./check";
export type { CheckReport } from "./check";
export { runReconciliation, periodFor } from "./reconciler";
export type * from "./reconciler";
export { renderHtml, renderCsv, ReportRenderError } from "./report";
export type { HtmlOptions, CsvOptions } from "./report";
