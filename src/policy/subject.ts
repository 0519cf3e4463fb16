/**
 * What every resource rule needs to know about one AI resource, worked out once: its catalog
 * entry, its effective tags and the registered workflow they name.
 */
import { findWorkflow } from "../registry";
import type { Registry, Workflow } from "../registry";
import { aiResourceType } from "./catalog";
import type { CatalogEntry } from "./catalog";
import { effectiveTags } from "./tags";
import type { EffectiveTags } from "./tags";
import type { EvaluationContext, ResourceInput } from "./types";
import { isUnknown } from "./unknown";
import type { AtPreview } from "./unknown";

export type Subject =
  /** Not an AI resource (or a deletion): no resource policy applies. */
  | { readonly kind: "not-applicable"; readonly reason: string }
  /** An AI resource that cannot carry tags. */
  | {
      readonly kind: "untaggable";
      readonly resource: ResourceInput;
      readonly entry: CatalogEntry & { readonly taggable: false };
    }
  /** An AI resource whose `onlyWhen` condition is unknown at preview. */
  | {
      readonly kind: "undecided";
      readonly resource: ResourceInput;
      readonly entry: CatalogEntry;
    }
  | TaggedSubject;

export interface TaggedSubject {
  readonly kind: "taggable";
  readonly resource: ResourceInput;
  readonly entry: CatalogEntry & { readonly taggable: true };
  readonly tags: EffectiveTags;
  /** The workflow tag's value (not known until the update when computed), or undefined when absent. */
  readonly workflowTag: AtPreview<string> | undefined;
  readonly ownerTag: AtPreview<string> | undefined;
  /** The registered workflow the tag names, when it names one. */
  readonly workflow: Workflow | undefined;
}

/** `aws:sagemaker/endpoint:Endpoint "triage"`: how messages name a resource. */
export function describeResource(resource: ResourceInput): string {
  return `${resource.type} "${resource.name}"`;
}

export function subjectOf(resource: ResourceInput, ctx: EvaluationContext): Subject {
  if (resource.op === "delete") {
    return { kind: "not-applicable", reason: "deletions are never blocked" };
  }
  const entry = aiResourceType(resource.type, ctx.extraAiTypes);
  if (entry === undefined) {
    return { kind: "not-applicable", reason: `${resource.type} is not an AI resource type` };
  }
  if (entry.onlyWhen !== undefined) {
    const actual = resource.props[entry.onlyWhen.property];
    if (isUnknown(actual)) return { kind: "undecided", resource, entry };
    if (actual !== entry.onlyWhen.equals) {
      return {
        kind: "not-applicable",
        reason: `only a ${entry.onlyWhen.property} = ${entry.onlyWhen.equals} ${resource.type} is an AI resource`,
      };
    }
  }
  if (!entry.taggable) return { kind: "untaggable", resource, entry };
  return taggedSubject(resource, entry, ctx.registry);
}

function taggedSubject(
  resource: ResourceInput,
  entry: CatalogEntry & { readonly taggable: true },
  registry: Registry,
): TaggedSubject {
  const tags = effectiveTags(resource, entry.tags);
  return { kind: "taggable", resource, entry, tags, ...workflowOfTags(tags, registry) };
}

/** The workflow and owner tags' values, and the registered workflow the first one names. */
export function workflowOfTags(
  tags: EffectiveTags,
  registry: Registry,
): Pick<TaggedSubject, "workflowTag" | "ownerTag" | "workflow"> {
  const keys = registry.settings.tagKeys;
  const workflowTag = tags.values.get(keys.workflow);
  const ownerTag = tags.values.get(keys.owner);
  const workflow =
    workflowTag?.kind === "known" ? findWorkflow(registry, workflowTag.value) : undefined;
  return { workflowTag, ownerTag, workflow };
}
