/** ai-workflow-review-date: the workflow is not past its review date (advisory when near). */
import { REVIEW_WARNING_DAYS } from "../../registry";
import { daysBetween } from "../../util/dates";
import { AI_CATALOG } from "../applicability";
import type { ResourceRuleDefinition } from "../definition";
import { RESOURCE_ADVISORIES } from "../definition";
import type { Subject } from "../subject";
import type { EvaluationContext, Finding } from "../types";
import { describeResource, finding } from "../wording";

export { REVIEW_WARNING_DAYS };

function reviewDateRule(subject: Subject, ctx: EvaluationContext): Finding[] {
  if (subject.kind !== "taggable" || subject.workflow?.reviewBy === undefined) return [];
  const { workflow } = subject;
  const reviewBy = workflow.reviewBy!;
  const days = daysBetween(ctx.today, reviewBy);
  const what = describeResource(subject.resource);
  if (days < 0) {
    return [
      finding(
        "ai-workflow-review-date",
        "mandatory",
        subject,
        `${what} belongs to workflow "${workflow.id}" (owner ${workflow.owner}), which was due for review on ${reviewBy} (${-days} ${days === -1 ? "day" : "days"} ago): renew it in the registry (a new reviewBy after the review) or retire it. Deleting its resources is never blocked.`,
      ),
    ];
  }
  if (days <= REVIEW_WARNING_DAYS) {
    return [
      finding(
        "ai-workflow-review-date",
        "advisory",
        subject,
        `${what} belongs to workflow "${workflow.id}" (owner ${workflow.owner}), which is due for review on ${reviewBy} (${days === 0 ? "today" : `in ${days} ${days === 1 ? "day" : "days"}`}): after that date changes to its resources are blocked until it is renewed in the registry or retired.`,
      ),
    ];
  }
  return [];
}

export const aiWorkflowReviewDate: ResourceRuleDefinition<"ai-workflow-review-date"> = {
  name: "ai-workflow-review-date",
  severity: "medium",
  tags: ["governance", "registry"],
  scope: "resource",
  enforcement: "mandatory",
  enabledByDefault: true,
  appliesTo: AI_CATALOG,
  description: `The workflow is not past its reviewBy date (advisory within ${REVIEW_WARNING_DAYS} days of it). Deletions are never blocked.`,
  remediation: "Renew the workflow in the registry (a new reviewBy) or retire it.",
  blocksWhen: `the workflow is past its \`reviewBy\` (advisory within ${REVIEW_WARNING_DAYS} days); deletions are never blocked`,
  advisories: RESOURCE_ADVISORIES,
  evaluate: reviewDateRule,
};
