/**
 * The entry points every adapter calls: one resource, or a whole stack. Same findings for the
 * CrossGuard pack, the offline `check` command and the stack tests.
 */
import { applyExemptions } from "./exemptions";
import { invokerAttributableRule } from "./invoker-rule";
import { RESOURCE_POLICIES, RESOURCE_RULES } from "./resource-rules";
import type { ResourcePolicyName } from "./resource-rules";
import { subjectOf } from "./subject";
import type { EvaluationContext, Finding, ResourceInput } from "./types";

/** One resource policy on one resource, exemptions applied. */
export function evaluatePolicy(
  policy: ResourcePolicyName,
  resource: ResourceInput,
  ctx: EvaluationContext,
): Finding[] {
  const findings = RESOURCE_RULES[policy](subjectOf(resource, ctx), ctx);
  return applyExemptions(findings, ctx.registry, ctx.today);
}

/**
 * Every resource policy on one resource, exemptions applied. Deletions and non-AI types give
 * no findings.
 *
 * @example evaluateResource(resource, { registry, today: "2026-11-30" }).filter((f) => f.enforcement === "mandatory")
 */
export function evaluateResource(resource: ResourceInput, ctx: EvaluationContext): Finding[] {
  const subject = subjectOf(resource, ctx);
  if (subject.kind === "not-applicable") return [];
  const findings = RESOURCE_POLICIES.flatMap((policy) => RESOURCE_RULES[policy](subject, ctx));
  return applyExemptions(findings, ctx.registry, ctx.today);
}

/** The stack policy alone (ai-invoker-attributable), exemptions applied. */
export function evaluateStackPolicy(
  resources: readonly ResourceInput[],
  ctx: EvaluationContext,
): Finding[] {
  return applyExemptions(invokerAttributableRule(resources, ctx), ctx.registry, ctx.today);
}

/** Every resource policy on each resource, then the stack policy. */
export function evaluateStack(
  resources: readonly ResourceInput[],
  ctx: EvaluationContext,
): Finding[] {
  return [
    ...resources.flatMap((resource) => evaluateResource(resource, ctx)),
    ...evaluateStackPolicy(resources, ctx),
  ];
}
