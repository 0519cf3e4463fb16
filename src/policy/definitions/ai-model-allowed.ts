/**
 * ai-model-allowed: the models and SageMaker instance types a resource runs on are in its
 * workflow's allow-lists, when it has them.
 */
import type { Workflow } from "../../registry";
import { AI_CATALOG } from "../applicability";
import { modelAllowed, modelRef } from "../bedrock-arn";
import type { ModelInput } from "../catalog";
import type { ResourceRuleDefinition } from "../definition";
import { RESOURCE_ADVISORIES } from "../definition";
import { globMatch } from "../../util/glob";
import type { Subject } from "../subject";
import type { EvaluationContext, Finding } from "../types";
import { valuesAt } from "../values-at";
import { describeResource, finding, HIDDEN_IN_FILE, isAudit } from "../wording";

function allowList(workflow: Workflow, input: ModelInput): readonly string[] | undefined {
  return input.kind === "model" ? workflow.models : workflow.instanceTypes;
}

function modelAllowedRule(subject: Subject, ctx: EvaluationContext): Finding[] {
  if (subject.kind !== "taggable" || subject.workflow === undefined) return [];
  const { workflow } = subject;
  const what = describeResource(subject.resource);
  const findings: Finding[] = [];
  for (const input of subject.entry.modelInputs) {
    const globs = allowList(workflow, input);
    if (globs === undefined) continue; // no list: not restricted
    const listName = input.kind === "model" ? "models" : "instanceTypes";
    for (const atPreview of valuesAt(subject.resource.props, input.path)) {
      if (atPreview.kind === "unknown") {
        findings.push(
          finding(
            "ai-model-allowed",
            "advisory",
            subject,
            isAudit(ctx)
              ? `${what}: ${input.path} ${HIDDEN_IN_FILE}, so it could not be checked against the ${listName} of workflow "${workflow.id}" (${globs.join(", ")}).`
              : `${what}: ${input.path} is not known until the update; it will be checked against the ${listName} of workflow "${workflow.id}" (${globs.join(", ")}) then.`,
          ),
        );
        continue;
      }
      const value = atPreview.value;
      if (input.kind === "instance-type") {
        if (!globs.some((glob) => globMatch(glob, value))) {
          findings.push(
            finding(
              "ai-model-allowed",
              "mandatory",
              subject,
              `${what}: instance type "${value}" (${input.path}) is not in the instanceTypes of workflow "${workflow.id}": ${globs.join(", ")}. Use an allowed instance type, or ask the owner (${workflow.owner}) to add it to the registry.`,
            ),
          );
        }
        continue;
      }
      const ref = modelRef(value);
      // An application inference profile, custom or provisioned model is checked where it is
      // defined (its own copyFrom / base model), not through every ARN that points at it.
      if (ref.kind === "indirect") continue;
      if (!modelAllowed(ref.id, globs)) {
        findings.push(
          finding(
            "ai-model-allowed",
            "mandatory",
            subject,
            `${what}: model "${ref.id}" (${input.path}) is not in the models of workflow "${workflow.id}": ${globs.join(", ")}. Use an allowed model, or ask the owner (${workflow.owner}) to add it to the registry.`,
          ),
        );
      }
    }
  }
  return findings;
}

export const aiModelAllowed: ResourceRuleDefinition<"ai-model-allowed"> = {
  name: "ai-model-allowed",
  severity: "high",
  tags: ["governance", "models"],
  scope: "resource",
  enforcement: "mandatory",
  enabledByDefault: true,
  appliesTo: AI_CATALOG,
  description:
    "Models (inference profiles, provisioned throughput, custom models, agents, knowledge bases, batch jobs) and SageMaker instance types are in the workflow's models / instanceTypes allow-list, when it has one.",
  remediation: "Use an allowed model or instance type, or extend the allow-list in the registry.",
  blocksWhen:
    "a model (inference profile, provisioned throughput, custom model, agent, knowledge base, batch job) or a SageMaker instance type is outside the workflow's `models` / `instanceTypes`",
  advisories: RESOURCE_ADVISORIES,
  evaluate: modelAllowedRule,
};
