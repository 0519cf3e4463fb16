/** Read-only queries over a validated registry. */
import type { Registry, Workflow } from "./types";

export function findWorkflow(registry: Registry, id: string): Workflow | undefined {
  return registry.workflows.find((w) => w.id === id);
}

export function workflowIds(registry: Registry): string[] {
  return registry.workflows.map((w) => w.id);
}

/** Owner email -> that owner's workflows, in registry order. */
export function workflowsByOwner(registry: Registry): Map<string, Workflow[]> {
  const byOwner = new Map<string, Workflow[]>();
  for (const workflow of registry.workflows) {
    const list = byOwner.get(workflow.owner) ?? [];
    list.push(workflow);
    byOwner.set(workflow.owner, list);
  }
  return byOwner;
}
