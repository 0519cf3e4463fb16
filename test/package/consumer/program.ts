/**
 * A consumer's Pulumi program: the registry, a workflow's budget and auto-tagging, imported
 * from the installed package. The consumer test type-checks it under `strict` with
 * `skipLibCheck: false` (./tsconfig.json) and runs it under Pulumi's mocks (./main.ts).
 */
import * as aws from "@pulumi/aws";
import { findWorkflow, loadRegistry } from "ai-spend-guard";
import { guardTags, WorkflowBudget } from "ai-spend-guard/components";
import { registerAutoTagging } from "ai-spend-guard/auto-tag";

export function program(registryPath: string) {
  const registry = loadRegistry(registryPath);
  const workflow = findWorkflow(registry, "support-triage");
  if (workflow === undefined) throw new Error("support-triage is not registered");
  // Every taggable resource below gets the workflow's tags (an untagged endpoint included).
  const tags = registerAutoTagging({ workflow: workflow.id, registry });
  const budget = new WorkflowBudget(workflow.id, {
    workflow,
    settings: registry.settings,
    tags: guardTags(registry),
  });
  const endpoint = new aws.sagemaker.Endpoint("triage", { endpointConfigName: "triage-config" });
  return { tags, budget, endpoint };
}
