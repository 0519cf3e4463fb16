/**
 * Which resources the rules are about, and where they read their tags: what an adapter needs
 * to count AI resources as the rules do, or to tell whether a hidden value mattered.
 */
import { AI_CATALOG, applies } from "./applicability";
import { taggableType } from "./catalog";
import { PRINCIPALS } from "./iam/resource-types";
import type { EvaluationContext, ResourceInput } from "./types";

/**
 * True when the tag rules take the resource for an AI resource: of an AI type, its condition
 * (a vector collection...) holding or not known yet; never a deletion or a read.
 */
export function isAiResource(resource: ResourceInput, ctx: EvaluationContext): boolean {
  return applies(resource, ctx, AI_CATALOG).kind !== "no";
}

/**
 * The properties the rules read this resource's tags from (its tag property and `tagsAll`),
 * or none when no rule reads its tags: AI resources and IAM principals (who may invoke models).
 */
export function tagProperties(resource: ResourceInput, ctx: EvaluationContext): string[] {
  const applicable = applies(resource, ctx, AI_CATALOG);
  if (applicable.kind !== "no") {
    return applicable.entry.taggable ? [applicable.entry.tags.property, "tagsAll"] : [];
  }
  if (resource.op === "delete" || resource.op === "read") return [];
  if (PRINCIPALS[resource.type] === undefined) return [];
  return [taggableType(resource.type)?.property ?? "tags", "tagsAll"];
}
