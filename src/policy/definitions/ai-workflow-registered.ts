/** ai-workflow-registered: the workflow tag names a registered workflow, and its owner. */
import { AI_CATALOG } from "../applicability";
import type { ResourceRuleDefinition } from "../definition";
import { RESOURCE_ADVISORIES } from "../definition";
import type { Subject } from "../subject";
import type { EvaluationContext, Finding } from "../types";
import { workflowTagFindings } from "../workflow-tag-findings";

function workflowRegisteredRule(subject: Subject, ctx: EvaluationContext): Finding[] {
  if (subject.kind !== "taggable") return [];
  return workflowTagFindings(subject, ctx, "ai-workflow-registered", "");
}

export const aiWorkflowRegistered: ResourceRuleDefinition<"ai-workflow-registered"> = {
  name: "ai-workflow-registered",
  severity: "high",
  tags: ["tagging", "registry"],
  scope: "resource",
  enforcement: "mandatory",
  enabledByDefault: true,
  appliesTo: AI_CATALOG,
  description:
    "The workflow tag names a workflow in the registry, and the owner tag is that workflow's registered owner.",
  remediation: "Fix the tag value (see the did-you-mean), or register the workflow.",
  blocksWhen:
    "the workflow tag names no registered workflow (with did-you-mean), or the owner tag is not the registered owner",
  advisories: RESOURCE_ADVISORIES,
  evaluate: workflowRegisteredRule,
};
