/** Shared fixtures for the policy tests: a registry, a pinned date, resource builders. */
import { join } from "node:path";
import { loadRegistry } from "../../src/registry";
import type { EvaluationContext, Finding, ResourceInput } from "../../src/policy";

export const FIXTURE_REGISTRY = join(__dirname, "fixtures", "workflows.yaml");
export const TODAY = "2026-11-30";
export const registry = loadRegistry(FIXTURE_REGISTRY);
export const ctx: EvaluationContext = { registry, today: TODAY };

export const OWNED = { workflow: "support-triage", owner: "dana@example.com" };

export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<ResourceInput> = {},
): ResourceInput {
  return { urn: `urn:pulumi:dev::shop::${type}::${name}`, type, name, props, ...extra };
}

export function awsProvider(defaultTags: unknown): ResourceInput["provider"] {
  return { type: "pulumi:providers:aws", props: { defaultTags } };
}

/** `policy/enforcement` of each finding, for compact assertions. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.policy}/${f.enforcement}`);
}

export function mandatory(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.enforcement === "mandatory");
}
