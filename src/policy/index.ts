/** The policy rules: pure functions over `ResourceInput`, shared by every adapter. */
export * from "./types";
export { isUnknown, known, NOT_KNOWN_YET } from "./unknown";
export type { AtPreview } from "./unknown";
export { evaluateResource, evaluateStack, evaluatePolicy, evaluateStackPolicy } from "./evaluate";
export { POLICY_TABLE, POLICY_LIST, RESOURCE_RULES, STACK_RULES, REMEDIATIONS } from "./table";
export { RESOURCE_ADVISORIES, POLICY_SEVERITIES } from "./definition";
export type { PolicySeverity } from "./definition";
export { REPOSITORY_URL, policyAnchor, policyUrl } from "./docs";
export type {
  PolicyDefinition,
  PolicyTable,
  RemediationDefinition,
  ResourceRuleDefinition,
  StackRuleDefinition,
} from "./definition";
export { AI_CATALOG } from "./applicability";
export type { Applicability } from "./applicability";
export { POLICIES, POLICY_ENFORCEMENT, describePolicy } from "./describe";
export type { PolicyDescription } from "./describe";
export {
  aiResourceType,
  aiResourceTypes,
  catalogTypes,
  taggableType,
  AI_TYPE_CONDITIONS,
  CATALOG_SOURCE,
  MODEL_INPUTS,
  UNTAGGABLE_ATTRIBUTION,
} from "./catalog";
export type { CatalogEntry, ModelInput, TagLocation, TagShape, TypeCondition } from "./catalog";
export { effectiveTags } from "./tags";
export { isAiResource, tagProperties } from "./tag-sources";
export type { EffectiveTags } from "./tags";
export { remediateOwnerFromRegistry } from "./definitions/ai-owner-from-registry";
export { applyExemptions, exemptionStatus } from "./exemptions";
export { REVIEW_WARNING_DAYS } from "./definitions/ai-workflow-review-date";
export { modelRef, modelAllowed } from "./bedrock-arn";
export { INVOKE_ACTIONS, INVOKING_MANAGED_POLICIES } from "./iam/actions";
export { analyzeDocument } from "./iam/documents";
export { mergeTagArray, TAG_ENTRY_FIELDS, workflowTags } from "./workflow-tags";
export type { AutoTagOptions, Tag, WorkflowTags } from "./workflow-tags";
