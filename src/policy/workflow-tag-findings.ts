/** The workflow and owner tag checks shared by ai-workflow-registered and ai-invoker-attributable. */
import { describeSuggestion } from "../util/suggest";
import type { TaggedSubject } from "./subject";
import type { EvaluationContext, Finding } from "./types";
import { describeResource, finding, HIDDEN_IN_FILE, isAudit, registeredWorkflows } from "./wording";

/**
 * The value checks shared by the resource rule and the IAM principal rule: the workflow tag
 * names a registered workflow and the owner tag is that workflow's owner.
 */
export function workflowTagFindings(
  subject: Pick<TaggedSubject, "resource" | "workflowTag" | "ownerTag" | "workflow">,
  ctx: EvaluationContext,
  policy: Finding["policy"],
  why: string,
): Finding[] {
  const { registry } = ctx;
  const audit = isAudit(ctx);
  const what = describeResource(subject.resource);
  const keys = registry.settings.tagKeys;
  const { workflowTag: workflowTagAtPreview, ownerTag: ownerTagAtPreview, workflow } = subject;
  if (workflowTagAtPreview === undefined) return [];
  if (workflowTagAtPreview.kind === "unknown") {
    return [
      finding(
        policy,
        "advisory",
        subject,
        audit
          ? `${what}: the value of the "${keys.workflow}" tag ${HIDDEN_IN_FILE}, so it could not be checked against the registry.`
          : `${what}: the value of the "${keys.workflow}" tag is not known until the update; it will be checked against the registry then.`,
      ),
    ];
  }
  const workflowTag = workflowTagAtPreview.value;
  if (workflow === undefined) {
    const ids = registry.workflows.map((w) => w.id);
    return [
      finding(
        policy,
        "mandatory",
        subject,
        `${what}: the "${keys.workflow}" tag is "${workflowTag}", which names no registered workflow${describeSuggestion(workflowTag, ids)}.${why} Use one of: ${registeredWorkflows(registry)}; or register "${workflowTag}" in ${registry.source}.`,
      ),
    ];
  }
  if (ownerTagAtPreview === undefined) return [];
  if (ownerTagAtPreview.kind === "unknown") {
    return [
      finding(
        policy,
        "advisory",
        subject,
        audit
          ? `${what}: the value of the "${keys.owner}" tag ${HIDDEN_IN_FILE}, so it could not be checked against the owner of "${workflow.id}" (${workflow.owner}).`
          : `${what}: the value of the "${keys.owner}" tag is not known until the update; it will be checked against the owner of "${workflow.id}" (${workflow.owner}) then.`,
      ),
    ];
  }
  const ownerTag = ownerTagAtPreview.value;
  if (ownerTag !== workflow.owner) {
    return [
      finding(
        policy,
        "mandatory",
        subject,
        `${what}: the "${keys.owner}" tag is "${ownerTag}" but workflow "${workflow.id}" is owned by "${workflow.owner}" in ${registry.source}${describeSuggestion(ownerTag, [workflow.owner])}.${why} Set ${keys.owner} to "${workflow.owner}", or change the owner in the registry.`,
      ),
    ];
  }
  return [];
}
