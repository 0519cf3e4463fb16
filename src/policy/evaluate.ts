/**
 * The entry points every adapter calls: one resource, or a whole stack. Same findings for the
 * CrossGuard pack, the offline `check` command and the stack tests. Every policy comes from the
 * policy table; each resource rule sees the resource as its own applicability makes it.
 */
import type { Applicability } from "./applicability";
import type { ResourceRuleDefinition, StackRuleDefinition } from "./definition";
import { applyExemptions } from "./exemptions";
import { subjectOf } from "./subject";
import type { Subject } from "./subject";
import { RESOURCE_RULES, STACK_RULES } from "./table";
import type { EvaluationContext, Finding, ResourceInput } from "./types";

/** One resource policy on one resource, exemptions applied. */
export function evaluatePolicy(
  policy: ResourceRuleDefinition,
  resource: ResourceInput,
  ctx: EvaluationContext,
): Finding[] {
  const findings = policy.evaluate(subjectOf(resource, ctx, policy.appliesTo), ctx);
  return applyExemptions(findings, ctx.registry, ctx.today);
}

/**
 * Every resource policy on one resource, exemptions applied. Deletions and resources no policy
 * applies to give no findings.
 *
 * @example evaluateResource(resource, { registry, today: "2026-11-30" }).filter((f) => f.enforcement === "mandatory")
 */
export function evaluateResource(resource: ResourceInput, ctx: EvaluationContext): Finding[] {
  // Rules that share an applicability (the AI catalog) share the subject, worked out once.
  const subjects = new Map<Applicability, Subject>();
  const findings = RESOURCE_RULES.flatMap((policy) => {
    let subject = subjects.get(policy.appliesTo);
    if (subject === undefined) {
      subject = subjectOf(resource, ctx, policy.appliesTo);
      subjects.set(policy.appliesTo, subject);
    }
    return subject.kind === "not-applicable" ? [] : policy.evaluate(subject, ctx);
  });
  return applyExemptions(findings, ctx.registry, ctx.today);
}

/** One stack policy alone, exemptions applied. */
export function evaluateStackPolicy(
  policy: StackRuleDefinition,
  resources: readonly ResourceInput[],
  ctx: EvaluationContext,
): Finding[] {
  return applyExemptions(policy.evaluate(resources, ctx), ctx.registry, ctx.today);
}

/** Every resource policy on each resource, then the stack policies. */
export function evaluateStack(
  resources: readonly ResourceInput[],
  ctx: EvaluationContext,
): Finding[] {
  return [
    ...resources.flatMap((resource) => evaluateResource(resource, ctx)),
    ...STACK_RULES.flatMap((policy) => evaluateStackPolicy(policy, resources, ctx)),
  ];
}
