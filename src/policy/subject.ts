/**
 * What every resource rule needs to know about one resource it applies to, worked out once per
 * applicability: its catalog entry, its effective tags and the registered workflow they name.
 */
import { findWorkflow } from "../registry";
import type { Registry, Workflow } from "../registry";
import { AI_CATALOG, applies } from "./applicability";
import type { Applicability } from "./applicability";
import type { CatalogEntry, TypeCondition } from "./catalog";
import { effectiveTags } from "./tags";
import type { EffectiveTags } from "./tags";
import type { EvaluationContext, ResourceInput } from "./types";
import type { AtPreview } from "./unknown";

export type Subject =
  /** Not a resource the policy applies to (or a deletion): it gives no findings. */
  | { readonly kind: "not-applicable"; readonly reason: string }
  /** A resource that cannot carry tags. */
  | {
      readonly kind: "untaggable";
      readonly resource: ResourceInput;
      readonly entry: CatalogEntry & { readonly taggable: false };
    }
  /** A resource whose type's condition is unknown at preview. */
  | {
      readonly kind: "undecided";
      readonly resource: ResourceInput;
      readonly entry: CatalogEntry;
      readonly condition: TypeCondition;
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

/** The subject of a policy that applies to `appliesTo` (default: the AI catalog). */
export function subjectOf(
  resource: ResourceInput,
  ctx: EvaluationContext,
  appliesTo: Applicability = AI_CATALOG,
): Subject {
  const applicable = applies(resource, ctx, appliesTo);
  if (applicable.kind === "no") return { kind: "not-applicable", reason: applicable.reason };
  const { entry } = applicable;
  if (applicable.kind === "undecided") {
    return { kind: "undecided", resource, entry, condition: applicable.condition };
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
