/**
 * What the auto-tagging helper adds, and in which shape: the workflow and owner tags of a
 * registered workflow, and the extra fields some types' `[{key, value}]` tag entries need. Pure;
 * the Pulumi transform that applies them is stacks/components/auto-tag.ts.
 */
import { findWorkflow, loadRegistry, workflowIds } from "../registry";
import type { Registry } from "../registry";
import { lookupTable } from "../util/records";
import { describeSuggestion } from "../util/suggest";

export interface AutoTagOptions {
  /** The registered workflow that owns everything the program creates. */
  readonly workflow: string;
  /**
   * The registry, or the path of `workflows.yaml`. Default: `$AI_SPEND_GUARD_REGISTRY`, else
   * `./workflows.yaml`, else `workflows.yaml` in the project root (as the CLI finds it).
   */
  readonly registry?: Registry | string;
}

/** The tags the helper adds: `{ [tagKeys.workflow]: id, [tagKeys.owner]: owner }`. */
export type WorkflowTags = Readonly<Record<string, string>>;

/**
 * The workflow and owner tags for `options.workflow`, checked against the registry.
 * Throws (at the call, so `pulumi preview` stops on the line that made the mistake) when the
 * workflow is not registered, with a did-you-mean.
 */
export function workflowTags(options: AutoTagOptions): WorkflowTags {
  if (typeof options?.workflow !== "string" || options.workflow.trim() === "") {
    throw new Error(
      'ai-spend-guard auto-tagging: pass the workflow id, e.g. registerAutoTagging({ workflow: "support-triage" })',
    );
  }
  const registry =
    typeof options.registry === "object" ? options.registry : loadRegistry(options.registry);
  const workflow = findWorkflow(registry, options.workflow);
  if (workflow === undefined) {
    const ids = workflowIds(registry);
    throw new Error(
      `ai-spend-guard auto-tagging: workflow "${options.workflow}" is not registered in ` +
        `${registry.source}${describeSuggestion(options.workflow, ids)}; registered workflows: ` +
        `${ids.join(", ")}. Register it in the registry or use one of these ids.`,
    );
  }
  const keys = registry.settings.tagKeys;
  return Object.freeze({ [keys.workflow]: workflow.id, [keys.owner]: workflow.owner });
}

/**
 * Fields a type's `[{key, value}]` tag entries require besides the key and value. An Auto
 * Scaling group's tags must say whether the instances it launches inherit them; they do, so
 * the instances' spend carries the workflow and owner too.
 */
export const TAG_ENTRY_FIELDS: Readonly<Record<string, Readonly<Record<string, unknown>>>> =
  lookupTable({
    "aws:autoscaling/group:Group": { propagateAtLaunch: true },
    "aws-native:autoscaling:AutoScalingGroup": { propagateAtLaunch: true },
  });

/** One entry of a `[{key, value}]` tag list, as a program may hold it. */
export type Tag = { key: unknown; value: unknown };

/** The missing workflow tags appended to a tag list, entries the program set kept first. */
export function mergeTagArray(
  existing: readonly Tag[],
  tags: WorkflowTags,
  entryFields: Readonly<Record<string, unknown>>,
): Tag[] {
  const present = new Set(existing.map((tag) => tag.key));
  const missing = Object.entries(tags)
    .filter(([key]) => !present.has(key))
    .map(([key, value]) => ({ key, value, ...entryFields }));
  return [...existing, ...missing];
}
