/**
 * The reconciler's core: pure rules and the orchestration over ports. Nothing here imports an
 * AWS SDK or Powertools; the adapters on AWS are `./aws`.
 */
export * from "./types";
export * from "./ports";
export { COST_METRICS, CUR_COST_COLUMNS, DEFAULT_COST_METRIC, isCostMetric } from "./cost-metrics";
export type { CostMetric, CurCostColumn } from "./cost-metrics";
export { SEVERITIES, SEVERITY_RANK, bySeverity, worstSeverity } from "./severity";
export type { Severity } from "./severity";
export { runReconciliation } from "./reconcile";
export type { ReconcileOptions } from "./reconcile";
export { periodFor, daysOf } from "./period";
export type { Period } from "./period";
export { createAggregator } from "./aggregate";
export type {
  Aggregates,
  Aggregator,
  AggregatorOptions,
  ConflictAmount,
  SpendBucket,
  UnregisteredBucket,
} from "./aggregate";
export { buildReport, UNOWNED_RANKED } from "./report";
export type { BuildReportInput } from "./report";
export { workflowFlags, reportFlags } from "./triggers";
export type { WorkflowFigures, ReportFigures } from "./triggers";
export { volumeRequests, itemsFor } from "./volume";
export type { Items } from "./volume";
export {
  composeMessages,
  subjectLine,
  fitBody,
  SUBJECT_LIMIT,
  MESSAGE_LIMIT_BYTES,
  BULLET_WIDTH,
} from "./digest";
export type { Message } from "./digest";
export { OUTSIDE_IAC_FIX } from "./digest-audit";
export { publishRun, runKey, recipientHash, isFailed } from "./deliver";
export type {
  DeliveryOutcome,
  DeliveryStatus,
  FailedDelivery,
  OutputName,
  OutputOutcome,
  PublishRunOptions,
  RunOutcome,
} from "./deliver";
export { claimRun, releaseRun } from "./claim";
export type { ClaimOutcome, ClaimRecord, ClaimOptions } from "./claim";
export {
  AI_SERVICE_CATEGORIES,
  AI_SERVICES,
  AI_ADJACENT_SERVICES,
  classifyService,
  marketplaceModelName,
  describeService,
  isAiService,
} from "./ai-services";
export type { AiServiceCategory, Confidence, ServiceClass } from "./ai-services";
export {
  formatCostPerAccepted,
  formatItemCount,
  formatReworkAndExceptions,
  formatShare,
  formatRatio,
  roundItems,
  tidy,
  quoteUntrusted,
  unregisteredHint,
} from "./format";
export {
  CE_REQUEST_PRICE_USD,
  DEFAULT_MAX_REQUESTS,
  ceRequestBudget,
  ceRequestCost,
} from "./request-budget";
export { assertFiniteReport, NonFiniteReportError } from "./finite";
export {
  ATTRIBUTION_ROUTES,
  PRINCIPAL_TAG_PREFIX,
  attribute,
  principalRouteKey,
  principalTagKey,
} from "./attribution";
export type { Attribution, AttributionRoute } from "./attribution";
export { curCostSource, CurEngineError, CurQueryError } from "./cur";
export type { CurEngine, CurEngineName, CurQueryStats, CurSourceOptions } from "./cur";
export {
  conflictMessage,
  renewalDueFlags,
  reviewQueueFlags,
  reviewQueueQueries,
  reviewQueueQueryId,
  reworkRateFlags,
  unitPriceChanges,
  unitPriceFlags,
} from "./triggers";
export type { RenewalFigures, UnitPriceChange } from "./triggers";
export {
  OUTCOME_KINDS,
  costPerAccepted,
  outcomeQueries,
  outcomeQueryId,
  readOutcomes,
  teamsAbsorbing,
  workflowOutcomes,
} from "./outcomes";
export type {
  HumanCost,
  OutcomeCounts,
  OutcomeInput,
  OutcomeKind,
  OutcomeReading,
} from "./outcomes";
export { cheapModelFinding, marketplaceModelSpend, modelEconomics } from "./models";
