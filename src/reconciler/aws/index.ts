/**
 * The reconciler on AWS: the Lambda handler and the SDK adapters of the core's ports (Cost
 * Explorer rows, S3 store, SNS publisher, CloudWatch volumes, EMF metrics). The Lambda entry
 * point itself is `./handler` (`handler`), bundled by the stack.
 */
export {
  createHandler,
  costExplorerSignal,
  runDateOf,
  DeliveryIncompleteError,
  FutureRunDateError,
  LEASE_MARGIN_MS,
  OUTPUT_RESERVE_MS,
} from "./handler";
export type {
  HandlerDependencies,
  InvocationContext,
  ReconcilerHandler,
  RunSummary,
  ScheduledEvent,
} from "./handler";
export { readConfig, ConfigError } from "./config";
export type { HandlerConfig } from "./config";
export {
  ENV,
  LAMBDA_ENVIRONMENT,
  MESSAGE_ATTRIBUTES,
  OWNER_ATTRIBUTE,
  HANDLER_SOURCE,
} from "./deployment-contract";
export * from "./cost-explorer";
export { s3ReportStore } from "./s3-store";
export { snsPublisher } from "./sns-publisher";
export { emfMetrics } from "./emf-metrics";
export { cloudWatchVolume } from "./volume-cloudwatch";
export { MAX_QUERIES_PER_REQUEST } from "./metric-data";
export { cloudWatchMetrics } from "./metrics-cloudwatch";
export { AthenaCurEngine } from "./athena-engine";
export type { AthenaEngineOptions, AthenaQueryStats } from "./athena-engine";
export {
  createCurS3Client,
  fetchCurExport,
  parseCurS3Uri,
  withFetchedCurExport,
  S3_RETRY,
} from "./cur-s3-fetch";
export type { CurS3Fetch, CurS3FetchOptions, CurS3Location, FetchedPeriod } from "./cur-s3-fetch";
