/**
 * The resource policies as pure functions: one AI resource in, findings out. Messages name the
 * resource, what is wrong and exactly what to change.
 */
import type { Registry, Workflow } from "../registry";
import { daysBetween } from "../util/dates";
import { describeSuggestion } from "../util/suggest";
import { globMatch } from "./glob";
import type { CatalogEntry, ModelInput } from "./catalog";
import { describeResource } from "./subject";
import type { Subject, TaggedSubject } from "./subject";
import { caseVariant } from "./tags";
import type { EvaluationContext, Finding } from "./types";
import { isUnknown, known, NOT_KNOWN_YET, UNKNOWN } from "./unknown";
import type { AtPreview } from "./unknown";

/** The resource policies (the stack policy lives in `invoker-rule.ts`). */
export const RESOURCE_POLICIES = [
  "ai-resource-tags",
  "ai-workflow-registered",
  "ai-workflow-review-date",
  "ai-model-allowed",
] as const;
export type ResourcePolicyName = (typeof RESOURCE_POLICIES)[number];

/** Advisory before a workflow's review date, in days. */
export const REVIEW_WARNING_DAYS = 14;

const MAX_LISTED_WORKFLOWS = 12;

/** `support-triage (dana@example.com), invoice-matching (priya@example.com), ...` */
export function registeredWorkflows(registry: Registry): string {
  const listed = registry.workflows
    .slice(0, MAX_LISTED_WORKFLOWS)
    .map((w) => `${w.id} (${w.owner})`)
    .join(", ");
  const more = registry.workflows.length - MAX_LISTED_WORKFLOWS;
  return more > 0 ? `${listed} and ${more} more in ${registry.source}` : listed;
}

function quoteList(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(" and ");
}

/** The tags to add, written the way this resource type takes them. */
function tagsExample(
  entry: CatalogEntry & { taggable: true },
  tags: Record<string, string>,
): string {
  const pairs = Object.entries(tags);
  if (entry.tags.shape === "key-value-array") {
    return `${entry.tags.property}: [${pairs.map(([k, v]) => `{ key: "${k}", value: "${v}" }`).join(", ")}]`;
  }
  return `${entry.tags.property}: { ${pairs.map(([k, v]) => `${k}: "${v}"`).join(", ")} }`;
}

function finding(
  policy: Finding["policy"],
  enforcement: Finding["enforcement"],
  subject: { resource: { urn: string } },
  message: string,
): Finding {
  return { policy, enforcement, urn: subject.resource.urn, message };
}

/** ai-resource-tags: the workflow and owner tags are present (or, untaggable: how to attribute). */
export function resourceTagsRule(subject: Subject, ctx: EvaluationContext): Finding[] {
  if (subject.kind === "not-applicable") return [];
  const what = describeResource(subject.resource);
  if (subject.kind === "undecided") {
    const { property, equals } = subject.entry.onlyWhen!;
    return [
      finding(
        "ai-resource-tags",
        "advisory",
        subject,
        `${what}: ${property} is not known until the update, so it cannot be told yet whether this is an AI resource (${property} = ${equals}); its workflow and owner tags will be checked at update`,
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
        `${what}: ${quoteList(missing)} ${missing.length === 1 ? "is" : "are"} not among the tags known at preview, and ${subject.tags.unknownSources.join(" and ")} ${subject.tags.unknownSources.length === 1 ? "is" : "are"} not known until the update; the ${quoteList(missing)} ${missing.length === 1 ? "tag" : "tags"} will be checked at update.`,
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

/** ai-workflow-registered: the workflow tag names a registered workflow, and its owner. */
export function workflowRegisteredRule(subject: Subject, ctx: EvaluationContext): Finding[] {
  if (subject.kind !== "taggable") return [];
  return workflowTagFindings(subject, ctx.registry, "ai-workflow-registered", "");
}

/**
 * The value checks shared by the resource rule and the IAM principal rule: the workflow tag
 * names a registered workflow and the owner tag is that workflow's owner.
 */
export function workflowTagFindings(
  subject: Pick<TaggedSubject, "resource" | "workflowTag" | "ownerTag" | "workflow">,
  registry: Registry,
  policy: Finding["policy"],
  why: string,
): Finding[] {
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
        `${what}: the value of the "${keys.workflow}" tag is not known until the update; it will be checked against the registry then.`,
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
        `${what}: the value of the "${keys.owner}" tag is not known until the update; it will be checked against the owner of "${workflow.id}" (${workflow.owner}) then.`,
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

/** ai-workflow-review-date: the workflow is not past its review date (advisory when near). */
export function reviewDateRule(subject: Subject, ctx: EvaluationContext): Finding[] {
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

/** Geographic prefixes of system inference profiles (`us.anthropic...`) */
const GEO_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;

export type ModelRef =
  | { readonly kind: "model"; readonly id: string }
  /** An ARN whose model cannot be read from it (application profile, custom or provisioned model). */
  | { readonly kind: "indirect"; readonly arn: string };

/** A Bedrock model id or ARN -> the model id to compare with the allow-list. */
export function modelRef(value: string): ModelRef {
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(value);
  if (arn === null) return { kind: "model", id: value };
  const [, resourceType, rest] = arn;
  if (resourceType === "foundation-model" || resourceType === "inference-profile") {
    return { kind: "model", id: rest! };
  }
  return { kind: "indirect", arn: value };
}

/** True when a model id (or its system inference profile id) matches one of the globs. */
export function modelAllowed(id: string, globs: readonly string[]): boolean {
  const bare = id.replace(GEO_PREFIX, "");
  return globs.some((glob) => globMatch(glob, id) || globMatch(glob, bare));
}

/** Every string at a catalog path (`productionVariants[].instanceType`), known or not yet. */
export function valuesAt(root: unknown, path: string): AtPreview<string>[] {
  let current: unknown[] = [root];
  for (const raw of path.split(".")) {
    const isArray = raw.endsWith("[]");
    const key = isArray ? raw.slice(0, -2) : raw;
    const next: unknown[] = [];
    for (const node of current) {
      if (isUnknown(node)) {
        next.push(UNKNOWN);
        continue;
      }
      if (typeof node !== "object" || node === null) continue;
      const value = (node as Record<string, unknown>)[key];
      if (value === undefined || value === null) continue;
      if (isArray && !isUnknown(value)) {
        if (Array.isArray(value)) next.push(...value);
      } else {
        next.push(value);
      }
    }
    current = next;
  }
  return current.flatMap((v) => {
    if (isUnknown(v)) return [NOT_KNOWN_YET];
    return typeof v === "string" ? [known(v)] : [];
  });
}

function allowList(workflow: Workflow, input: ModelInput): readonly string[] | undefined {
  return input.kind === "model" ? workflow.models : workflow.instanceTypes;
}

/** ai-model-allowed: what the resource runs on is in the workflow's allow-list. */
export function modelAllowedRule(subject: Subject, _ctx: EvaluationContext): Finding[] {
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
            `${what}: ${input.path} is not known until the update; it will be checked against the ${listName} of workflow "${workflow.id}" (${globs.join(", ")}) then.`,
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

export const RESOURCE_RULES: Readonly<
  Record<ResourcePolicyName, (subject: Subject, ctx: EvaluationContext) => Finding[]>
> = {
  "ai-resource-tags": resourceTagsRule,
  "ai-workflow-registered": workflowRegisteredRule,
  "ai-workflow-review-date": reviewDateRule,
  "ai-model-allowed": modelAllowedRule,
};
