/**
 * ai-resource-tags: every taggable AI resource carries the workflow and owner tags; an
 * untaggable one gets advice on attributing its spend instead.
 */
import { AI_CATALOG } from "../applicability";
import type { ResourceRuleDefinition } from "../definition";
import { RESOURCE_ADVISORIES } from "../definition";
import type { Subject } from "../subject";
import { caseVariant } from "../tags";
import type { EvaluationContext, Finding } from "../types";
import {
  describeResource,
  finding,
  HIDDEN_IN_FILE,
  isAudit,
  quoteList,
  registeredWorkflows,
  tagsExample,
} from "../wording";

/** The workflow and owner tags are present (or, untaggable: how to attribute). */
function resourceTagsRule(subject: Subject, ctx: EvaluationContext): Finding[] {
  if (subject.kind === "not-applicable") return [];
  const what = describeResource(subject.resource);
  if (subject.kind === "undecided") {
    const { property, equals } = subject.condition;
    return [
      finding(
        "ai-resource-tags",
        "advisory",
        subject,
        isAudit(ctx)
          ? `${what}: ${property} ${HIDDEN_IN_FILE}, so it cannot be told whether this is an AI resource (${property} = ${equals}); its workflow and owner tags were not checked`
          : `${what}: ${property} is not known until the update, so it cannot be told yet whether this is an AI resource (${property} = ${equals}); its workflow and owner tags will be checked at update`,
      ),
    ];
  }
  if (subject.kind === "untaggable") {
    const advice = subject.entry.attribution;
    return advice === undefined
      ? []
      : [finding("ai-resource-tags", "advisory", subject, `${what} is not blocked: ${advice}.`)];
  }
  const keys = ctx.registry.settings.tagKeys;
  const missing = [keys.workflow, keys.owner].filter((key) => !subject.tags.values.has(key));
  if (missing.length === 0) return [];

  if (subject.tags.unknownSources.length > 0) {
    return [
      finding(
        "ai-resource-tags",
        "advisory",
        subject,
        isAudit(ctx)
          ? `${what}: ${quoteList(missing)} ${missing.length === 1 ? "is" : "are"} not among the tags this file shows, and ${subject.tags.unknownSources.join(" and ")} ${HIDDEN_IN_FILE}; the ${quoteList(missing)} ${missing.length === 1 ? "tag" : "tags"} could not be checked (see the notes).`
          : `${what}: ${quoteList(missing)} ${missing.length === 1 ? "is" : "are"} not among the tags known at preview, and ${subject.tags.unknownSources.join(" and ")} ${subject.tags.unknownSources.length === 1 ? "is" : "are"} not known until the update; the ${quoteList(missing)} ${missing.length === 1 ? "tag" : "tags"} will be checked at update.`,
      ),
    ];
  }

  const drift = missing
    .map((key) => ({ key, variant: caseVariant(subject.tags, key) }))
    .filter((d): d is { key: string; variant: string } => d.variant !== undefined)
    .map(
      (d) =>
        ` It has a "${d.variant}" tag, which differs only in letter case: AWS tag keys are case-sensitive, so rename it to exactly "${d.key}".`,
    )
    .join("");
  const example: Record<string, string> = {
    [keys.workflow]: subject.workflow?.id ?? "<workflow id>",
    [keys.owner]: subject.workflow?.owner ?? "<owner email>",
  };
  return [
    finding(
      "ai-resource-tags",
      "mandatory",
      subject,
      `${what} is missing the ${quoteList(missing)} ${missing.length === 1 ? "tag" : "tags"}: every AI resource must name the registered workflow that owns its spend and the accountable owner.${drift} Registered workflows: ${registeredWorkflows(ctx.registry)}. Fix it in one of three ways: (1) on the resource, ${tagsExample(subject.entry, example)}; (2) once for every resource, in the provider's defaultTags.tags; (3) with the auto-tagging helper (registerAutoTagging), which adds both tags to every taggable resource the program creates.`,
    ),
  ];
}

export const aiResourceTags: ResourceRuleDefinition<"ai-resource-tags"> = {
  name: "ai-resource-tags",
  severity: "high",
  tags: ["tagging", "cost-allocation"],
  scope: "resource",
  enforcement: "mandatory",
  enabledByDefault: true,
  appliesTo: AI_CATALOG,
  description:
    "Every taggable AI resource carries the workflow and owner tags (directly, via the provider's defaultTags, or via tagsAll). Untaggable AI resources get advice on attributing their spend instead.",
  remediation:
    "Add the tags on the resource, in the provider's defaultTags.tags, or with the auto-tagging helper.",
  blocksWhen:
    "a taggable AI resource lacks the workflow or owner tag (resource `tags`, provider `defaultTags.tags`, or `tagsAll`)",
  advisories: RESOURCE_ADVISORIES,
  evaluate: resourceTagsRule,
};
