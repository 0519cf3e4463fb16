/**
 * Which resources a resource policy applies to. Each policy chooses: the tag rules take the AI
 * catalog (plus the pack's `extraAiTypes`), another rule may name its own types. Deletions and
 * reads are never looked at.
 */
import { AI_TYPE_CONDITIONS, aiResourceType, resourceTypeEntry } from "./catalog";
import type { CatalogEntry, TypeCondition } from "./catalog";
import type { EvaluationContext, ResourceInput } from "./types";
import { isUnknown } from "./unknown";

export type Applicability =
  /** The AI catalog and the pack's `extraAiTypes`, each type under its catalog condition. */
  | { readonly kind: "ai-catalog" }
  /** These types, each only when its condition (if any) holds. */
  | {
      readonly kind: "types";
      readonly types: Readonly<Record<string, TypeCondition | undefined>>;
    };

export const AI_CATALOG: Applicability = { kind: "ai-catalog" };

/** Whether a policy applies to a resource, and the resource's catalog entry when it does. */
export type Applies =
  | { readonly kind: "no"; readonly reason: string }
  /** The type is one of the policy's, but its condition is not known until the update. */
  | { readonly kind: "undecided"; readonly entry: CatalogEntry; readonly condition: TypeCondition }
  | { readonly kind: "yes"; readonly entry: CatalogEntry };

export function applies(
  resource: ResourceInput,
  ctx: EvaluationContext,
  appliesTo: Applicability,
): Applies {
  if (resource.op === "delete") return { kind: "no", reason: "deletions are never blocked" };
  // A read (`.get()`, or `external` in a state) is not the program's resource to tag, and the
  // engine does not run analyzers on read steps: judging it here would block what nobody can fix.
  if (resource.op === "read") {
    return { kind: "no", reason: "a resource the program only reads is never blocked" };
  }
  const found = entryFor(resource.type, ctx, appliesTo);
  if (found === undefined) return { kind: "no", reason: notOneOf(resource.type, appliesTo) };
  const { entry, condition } = found;
  if (condition === undefined) return { kind: "yes", entry };
  const actual = resource.props[condition.property];
  if (isUnknown(actual)) return { kind: "undecided", entry, condition };
  if (actual !== condition.equals) {
    return {
      kind: "no",
      reason: `only a ${condition.property} = ${condition.equals} ${resource.type} is ${appliesTo.kind === "ai-catalog" ? "an AI resource" : "covered"}`,
    };
  }
  return { kind: "yes", entry };
}

function entryFor(
  type: string,
  ctx: EvaluationContext,
  appliesTo: Applicability,
): { entry: CatalogEntry; condition: TypeCondition | undefined } | undefined {
  if (appliesTo.kind === "ai-catalog") {
    const entry = aiResourceType(type, ctx.extraAiTypes);
    return entry === undefined ? undefined : { entry, condition: AI_TYPE_CONDITIONS[type] };
  }
  if (!Object.prototype.hasOwnProperty.call(appliesTo.types, type)) return undefined;
  return { entry: resourceTypeEntry(type), condition: appliesTo.types[type] };
}

function notOneOf(type: string, appliesTo: Applicability): string {
  return appliesTo.kind === "ai-catalog"
    ? `${type} is not an AI resource type`
    : `${type} is not one of ${Object.keys(appliesTo.types).join(", ")}`;
}
