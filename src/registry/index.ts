/**
 * The workflow registry: the one source of truth for the policy pack, the stacks, the
 * reconciler and the CLI. Parse and validate it here, nowhere else.
 */
export * from "./types";
export {
  POLICY_NAMES,
  STAGES,
  RISKS,
  MAX_AMOUNT,
  MAX_BUDGET_NOTIFICATIONS,
  MIN_BUDGET,
  MIN_DATE_YEAR,
  MAX_UNIT_PRICE_SHARE,
  RENEWAL_DECISIONS,
  REVIEW_WARNING_DAYS,
  TEAM_NAME,
} from "./schema";
export type { PolicyName } from "./schema";
export { RegistryLoadError, RegistryValidationError, formatProblem } from "./errors";
export type { RegistryProblem } from "./errors";
export { parseRegistry, checkRegistry } from "./parse";
export { formatPath } from "./yaml-positions";
export type { CheckResult } from "./parse";
export {
  loadRegistry,
  loadRegistryText,
  locateRegistry,
  findProjectRoot,
  MAX_REGISTRY_BYTES,
  REGISTRY_ENV,
  REGISTRY_FILE,
  REGISTRY_FILE_YML,
} from "./load";
export { BEDROCK_GEO_PREFIXES, KNOWN_BEDROCK_MODEL_IDS } from "./bedrock-models";
export type { Located, LoadOptions, LocateOptions, ReadFile } from "./load";
export {
  BUDGET_CURRENCY,
  budgetCurrencyProblem,
  inferenceProfileNameProblem,
  latestRenewal,
  matchesEveryUrn,
  matchesKnownModel,
  registryWarnings,
  workflowIdProblem,
  WORKFLOW_ID,
} from "./rules";
export type { RegistryWarning } from "./rules";
export { findWorkflow, workflowIds, workflowsByOwner } from "./lookup";
export { BUDGET_RAISE_LIMIT, compareRegistries } from "./compare";
export type { RegistryChanges } from "./compare";
