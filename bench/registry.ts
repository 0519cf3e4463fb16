/**
 * A registry of N workflows for the benchmarks, written as YAML and validated by the registry
 * module like any other: the reconciler is measured on a registry it could really be given.
 */
import { parseRegistry } from "../src/registry";
import type { Registry } from "../src/registry";

/** `wf-0001`...: the ids `syntheticDataset` tags its bill with when given a count. */
export function benchWorkflowId(index: number): string {
  return `wf-${String(index + 1).padStart(4, "0")}`;
}

export function benchRegistryText(workflows: number, principalTags = true): string {
  const lines = [
    "version: 1",
    "settings:",
    "  currency: USD",
    "  unownedSpendContact: finops@example.com",
    ...(principalTags ? [] : ["  principalTags: false"]),
    "workflows:",
  ];
  for (let i = 0; i < workflows; i++) {
    // A few owners hold many workflows, as in an organisation: one digest each.
    const owner = `owner-${String(i % 200).padStart(3, "0")}@example.com`;
    lines.push(
      `  ${benchWorkflowId(i)}:`,
      `    description: Benchmark workflow ${i + 1}`,
      `    owner: ${owner}`,
      "    stage: run-rate",
      "    risk: low",
      `    budget: { monthly: ${1_000 + (i % 50) * 100} }`,
      "    review: { share: 0.1, minutesPerItem: 1, hourlyRate: 60 }",
      "    volume: { itemsPerMonth: 10000 }",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `principalTags: false` is the resource-tag-only plan (one query), as before 2026-04. */
export function benchRegistry(workflows: number, principalTags = true): Registry {
  return parseRegistry(benchRegistryText(workflows, principalTags), "bench-workflows.yaml");
}
