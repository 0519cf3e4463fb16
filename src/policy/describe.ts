/** Help text and enforcement of the policies, read from the policy table. */
import { POLICY_NAMES } from "../registry";
import type { PolicyName } from "../registry";
import type { PolicyDefinition, PolicySeverity } from "./definition";
import { policyUrl } from "./docs";
import { POLICY_LIST, POLICY_TABLE } from "./table";
import type { Enforcement } from "./types";

export interface PolicyDescription {
  readonly name: PolicyName;
  readonly enforcement: Enforcement | "remediate";
  /** Resource policies see one resource at a time; the stack policy sees them all. */
  readonly scope: "resource" | "stack";
  /** Off unless enabled in the pack configuration. */
  readonly enabledByDefault: boolean;
  readonly description: string;
  /** What to do about a violation. */
  readonly remediation: string;
  readonly severity: PolicySeverity;
  readonly tags: readonly string[];
  /** Its section in the README. */
  readonly url: string;
}

function described(policy: PolicyDefinition): PolicyDescription {
  const { name, enforcement, scope, enabledByDefault, description, remediation } = policy;
  const { severity, tags } = policy;
  return {
    name,
    enforcement,
    scope,
    enabledByDefault,
    description,
    remediation,
    severity,
    tags,
    url: policyUrl(name),
  };
}

export const POLICIES: readonly PolicyDescription[] = POLICY_LIST.map(described);

function hasEveryPolicy<T>(
  partial: Partial<Record<PolicyName, T>>,
): partial is Record<PolicyName, T> {
  return POLICY_NAMES.every((name) => partial[name] !== undefined);
}

/** The default enforcement of each contract policy. */
export const POLICY_ENFORCEMENT: Readonly<Record<PolicyName, Enforcement | "remediate">> = (() => {
  const byName: Partial<Record<PolicyName, Enforcement | "remediate">> = {};
  for (const policy of POLICY_LIST) byName[policy.name] = policy.enforcement;
  if (!hasEveryPolicy(byName)) throw new Error("the policy table misses a policy name");
  return byName;
})();

/** One policy's description (for help text and the pack). */
export function describePolicy(name: PolicyName): PolicyDescription {
  return described(POLICY_TABLE[name]);
}
