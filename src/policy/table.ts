/**
 * The policy table: every policy of the pack, one line each, in the order the pack registers
 * them. The key is the policy's name in the registry's `POLICY_NAMES` (exemptions name it), and
 * the compiler holds the two together: a name without a definition, a definition without a
 * name, or a definition under another policy's name does not compile.
 */
import type { PolicyDefinition, PolicyTable } from "./definition";
import { isRemediation, isResourceRule, isStackRule } from "./definition";
import { aiInvokerAttributable } from "./definitions/ai-invoker-attributable";
import { aiModelAllowed } from "./definitions/ai-model-allowed";
import { aiOwnerFromRegistry } from "./definitions/ai-owner-from-registry";
import { aiResourceTags } from "./definitions/ai-resource-tags";
import { aiWorkflowRegistered } from "./definitions/ai-workflow-registered";
import { aiWorkflowReviewDate } from "./definitions/ai-workflow-review-date";

export const POLICY_TABLE = {
  "ai-resource-tags": aiResourceTags,
  "ai-workflow-registered": aiWorkflowRegistered,
  "ai-workflow-review-date": aiWorkflowReviewDate,
  "ai-model-allowed": aiModelAllowed,
  "ai-invoker-attributable": aiInvokerAttributable,
  "ai-owner-from-registry": aiOwnerFromRegistry,
} as const satisfies PolicyTable;

/** Every policy, in table order. */
export const POLICY_LIST: readonly PolicyDefinition[] = Object.values(POLICY_TABLE);

/** The policies that see one resource at a time. */
export const RESOURCE_RULES = POLICY_LIST.filter(isResourceRule);
/** The policies that see the whole stack. */
export const STACK_RULES = POLICY_LIST.filter(isStackRule);
/** The remediations. */
export const REMEDIATIONS = POLICY_LIST.filter(isRemediation);
