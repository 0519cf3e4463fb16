/**
 * What a policy is, in one value: its name (the contract with the registry's exemptions), where
 * it looks, how it is enforced, its help text and its function. Each policy module exports one
 * definition; `table.ts` lists them, and the pack, `check` and the docs read that table.
 */
import type { PolicyName } from "../registry";
import type { Applicability } from "./applicability";
import type { Subject } from "./subject";
import type { Enforcement, EvaluationContext, Finding, ResourceInput } from "./types";

interface PolicyCommon<N extends PolicyName> {
  readonly name: N;
  /** Off unless enabled in the pack configuration. */
  readonly enabledByDefault: boolean;
  /** What the policy checks (the pack's description of it). */
  readonly description: string;
  /** What to do about a violation. */
  readonly remediation: string;
  /** The README's policy table: when it blocks, or what it does. */
  readonly blocksWhen: string;
  /**
   * How much a violation matters (the pack's `severity`, a SARIF rule's level of concern).
   * The advisory companions report at `low`.
   */
  readonly severity: PolicySeverity;
  /** Topics for filtering in Pulumi Cloud and code scanning (the pack's `tags`). */
  readonly tags: readonly string[];
}

/** The severities CrossGuard knows (`@pulumi/policy`'s `Severity`), lowest first. */
export const POLICY_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];

/** A policy that sees one resource at a time, of the types it applies to. */
export interface ResourceRuleDefinition<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  readonly scope: "resource";
  /** The level of its findings that block; its advisories go to `<name>-advisory`. */
  readonly enforcement: Enforcement;
  readonly appliesTo: Applicability;
  /** What its advisory companion reports (the companion's description). */
  readonly advisories: string;
  readonly evaluate: (subject: Subject, ctx: EvaluationContext) => Finding[];
}

/** A policy that sees every resource of the stack at once. */
export interface StackRuleDefinition<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  readonly scope: "stack";
  readonly enforcement: Enforcement;
  readonly advisories: string;
  readonly evaluate: (resources: readonly ResourceInput[], ctx: EvaluationContext) => Finding[];
}

/** A remediation: rewrites a resource's inputs instead of reporting on them. */
export interface RemediationDefinition<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  readonly scope: "resource";
  readonly enforcement: "remediate";
  readonly appliesTo: Applicability;
  /** The remediated inputs, or undefined when there is nothing to change. */
  readonly transform: (
    resource: ResourceInput,
    ctx: EvaluationContext,
  ) => Record<string, unknown> | undefined;
}

export type PolicyDefinition<N extends PolicyName = PolicyName> =
  ResourceRuleDefinition<N> | StackRuleDefinition<N> | RemediationDefinition<N>;

/** Every policy name with its definition, the definition's name being its key. */
export type PolicyTable = { readonly [N in PolicyName]: PolicyDefinition<N> };

/** What the advisory companions of the resource rules report. */
export const RESOURCE_ADVISORIES = "values unknown at preview, applied exemptions, dates coming up";

export function isResourceRule(policy: PolicyDefinition): policy is ResourceRuleDefinition {
  return policy.scope === "resource" && policy.enforcement !== "remediate";
}

export function isStackRule(policy: PolicyDefinition): policy is StackRuleDefinition {
  return policy.scope === "stack";
}

export function isRemediation(policy: PolicyDefinition): policy is RemediationDefinition {
  return policy.enforcement === "remediate";
}
