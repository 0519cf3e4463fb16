/** The policy rules: pure functions over `ResourceInput`, shared by every adapter. */
export * from "./types";
export { isUnknown, known, NOT_KNOWN_YET } from "./unknown";
export type { AtPreview } from "./unknown";
export { evaluateResource, evaluateStack, evaluatePolicy, evaluateStackPolicy } from "./evaluate";
export { POLICIES, POLICY_ENFORCEMENT, describePolicy } from "./describe";
export type { PolicyDescription } from "./describe";
export {
  aiResourceType,
  aiResourceTypes,
  taggableType,
  CATALOG_SOURCE,
  MODEL_INPUTS,
  UNTAGGABLE_ATTRIBUTION,
} from "./catalog";
export type { CatalogEntry, ModelInput, TagLocation, TagShape } from "./catalog";
export { effectiveTags } from "./tags";
export type { EffectiveTags } from "./tags";
export { remediateOwnerFromRegistry } from "./owner-from-registry";
export { applyExemptions, exemptionStatus } from "./exemptions";
export { RESOURCE_POLICIES, REVIEW_WARNING_DAYS, modelRef, modelAllowed } from "./resource-rules";
export type { ResourcePolicyName } from "./resource-rules";
export { INVOKE_ACTIONS, INVOKING_MANAGED_POLICIES, analyzeDocument } from "./iam";
