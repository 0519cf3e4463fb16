/** The policies of the pack: names (the contract), enforcement and help text, in one table. */
import type { PolicyName } from "../registry";
import type { Enforcement } from "./types";

export interface PolicyDescription {
  readonly name: PolicyName;
  readonly enforcement: Enforcement | "remediate";
  /** Resource policies see one resource at a time; the stack policy sees them all. */
  readonly scope: "resource" | "stack";
  /** Off unless enabled in the pack configuration. */
  readonly enabledByDefault: boolean;
  readonly description: string;
  /** What to do about a violation. */
  readonly remediation: string;
}

export const POLICIES: readonly PolicyDescription[] = [
  {
    name: "ai-resource-tags",
    enforcement: "mandatory",
    scope: "resource",
    enabledByDefault: true,
    description:
      "Every taggable AI resource carries the workflow and owner tags (directly, via the provider's defaultTags, or via tagsAll). Untaggable AI resources get advice on attributing their spend instead.",
    remediation:
      "Add the tags on the resource, in the provider's defaultTags.tags, or with the auto-tagging helper.",
  },
  {
    name: "ai-workflow-registered",
    enforcement: "mandatory",
    scope: "resource",
    enabledByDefault: true,
    description:
      "The workflow tag names a workflow in the registry, and the owner tag is that workflow's registered owner.",
    remediation: "Fix the tag value (see the did-you-mean), or register the workflow.",
  },
  {
    name: "ai-workflow-review-date",
    enforcement: "mandatory",
    scope: "resource",
    enabledByDefault: true,
    description:
      "The workflow is not past its reviewBy date (advisory within 14 days of it). Deletions are never blocked.",
    remediation: "Renew the workflow in the registry (a new reviewBy) or retire it.",
  },
  {
    name: "ai-model-allowed",
    enforcement: "mandatory",
    scope: "resource",
    enabledByDefault: true,
    description:
      "Models (inference profiles, provisioned throughput, custom models, agents, knowledge bases, batch jobs) and SageMaker instance types are in the workflow's models / instanceTypes allow-list, when it has one.",
    remediation: "Use an allowed model or instance type, or extend the allow-list in the registry.",
  },
  {
    name: "ai-invoker-attributable",
    enforcement: "mandatory",
    scope: "stack",
    enabledByDefault: true,
    description:
      "IAM roles and users allowed to invoke models carry the workflow and owner tags, because AWS attributes Bedrock spend to the calling principal's tags. Grants on base models or '*' get an advisory.",
    remediation:
      "Tag the role or user; grant invocation on application inference profiles rather than base models.",
  },
  {
    name: "ai-owner-from-registry",
    enforcement: "remediate",
    scope: "resource",
    enabledByDefault: false,
    description:
      "Remediation: when the workflow tag is set and the owner tag is missing, fill the owner in from the registry (tags and tagsAll).",
    remediation: "Enable it in the pack configuration to fill owners in automatically.",
  },
];

/** The default enforcement of each contract policy. */
export const POLICY_ENFORCEMENT: Readonly<Record<PolicyName, Enforcement | "remediate">> =
  Object.fromEntries(POLICIES.map((p) => [p.name, p.enforcement])) as Record<
    PolicyName,
    Enforcement | "remediate"
  >;

/** One policy's description (for help text and the pack). */
export function describePolicy(name: PolicyName): PolicyDescription {
  const found = POLICIES.find((p) => p.name === name);
  if (found === undefined) throw new Error(`unknown policy "${name}"`);
  return found;
}
