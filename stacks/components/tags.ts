/**
 * Which workflow and owner tags a resource carries. The values come from the registry, never
 * from code: the guard's own resources are tagged as the registry's guard workflow, so the
 * guard's cost shows up in its own reconciliation like any other workflow's.
 */
import type { Registry, Workflow } from "../../src/registry";
import { findWorkflow, workflowIds } from "../../src/registry";
import { describeSuggestion } from "../../src/util/suggest";

export type Tags = Readonly<Record<string, string>>;

/** `{ <workflow tag key>: <id>, <owner tag key>: <owner> }` for one workflow. */
export function workflowTags(registry: Registry, workflow: Workflow): Tags {
  const { tagKeys } = registry.settings;
  return { [tagKeys.workflow]: workflow.id, [tagKeys.owner]: workflow.owner };
}

/** The id of the workflow that stands for the guard itself in the example registry. */
export const GUARD_WORKFLOW = "ai-spend-guard";

/**
 * The tags of everything the guard creates: those of the registry's guard workflow. Throws when
 * the registry does not register the guard, naming the fix.
 */
export function guardTags(registry: Registry, guardWorkflow: string = GUARD_WORKFLOW): Tags {
  const workflow = findWorkflow(registry, guardWorkflow);
  if (workflow === undefined) {
    throw new Error(
      `${registry.source}: no workflow "${guardWorkflow}"${describeSuggestion(guardWorkflow, workflowIds(registry))}: ` +
        `the guard's own resources are tagged with a registered workflow and owner. Register it ` +
        `(see the ai-spend-guard workflow in the example workflows.yaml), or set ai-spend-guard:guardWorkflow to the id that stands for the guard`,
    );
  }
  return workflowTags(registry, workflow);
}
