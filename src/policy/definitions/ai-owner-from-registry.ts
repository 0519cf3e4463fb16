/**
 * ai-owner-from-registry (remediation, off by default): when an AI resource names a registered
 * workflow but has no owner tag, fill the owner in from the registry, in `tags` (in the shape the
 * type takes) and in `tagsAll` when the provider keeps one.
 */
import { AI_CATALOG } from "../applicability";
import type { RemediationDefinition } from "../definition";
import { subjectOf } from "../subject";
import type { EvaluationContext, ResourceInput } from "../types";
import { isUnknown } from "../unknown";

/**
 * The remediated props, or undefined when there is nothing to fill in (not an AI resource, no
 * or unknown workflow tag, owner already set, or the tags are not known at preview).
 *
 * @example remediateOwnerFromRegistry(resource, ctx)?.tags // { workflow: "support-triage", owner: "dana@example.com" }
 */
export function remediateOwnerFromRegistry(
  resource: ResourceInput,
  ctx: EvaluationContext,
): Record<string, unknown> | undefined {
  const subject = subjectOf(resource, ctx);
  if (subject.kind !== "taggable" || subject.workflow === undefined) return undefined;
  if (subject.ownerTag !== undefined) return undefined;
  const ownerKey = ctx.registry.settings.tagKeys.owner;
  const owner = subject.workflow.owner;
  const { property, shape } = subject.entry.tags;
  const current = resource.props[property];
  if (isUnknown(current)) return undefined;

  let tags: unknown;
  if (Array.isArray(current) || (current === undefined && shape === "key-value-array")) {
    tags = [...((current as unknown[] | undefined) ?? []), { key: ownerKey, value: owner }];
  } else if (current === undefined || current === null) {
    tags = { [ownerKey]: owner };
  } else if (typeof current === "object") {
    tags = { ...(current as Record<string, unknown>), [ownerKey]: owner };
  } else {
    return undefined; // JSON text or something unexpected: do not guess its shape
  }
  const props: Record<string, unknown> = { ...resource.props, [property]: tags };
  const tagsAll = resource.props.tagsAll;
  if (typeof tagsAll === "object" && tagsAll !== null && !Array.isArray(tagsAll)) {
    props.tagsAll = { ...(tagsAll as Record<string, unknown>), [ownerKey]: owner };
  }
  return props;
}

export const aiOwnerFromRegistry: RemediationDefinition<"ai-owner-from-registry"> = {
  name: "ai-owner-from-registry",
  severity: "low",
  tags: ["tagging", "remediation"],
  scope: "resource",
  enforcement: "remediate",
  enabledByDefault: false,
  appliesTo: AI_CATALOG,
  description:
    "Remediation: when the workflow tag is set and the owner tag is missing, fill the owner in from the registry (tags and tagsAll).",
  remediation: "Enable it in the pack configuration to fill owners in automatically.",
  blocksWhen: "remediation: fills in the owner tag from the registry when the workflow tag is set",
  transform: remediateOwnerFromRegistry,
};
