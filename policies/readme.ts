/**
 * The pack's README as Pulumi Cloud shows it (`readme` of the pack), written from the policy
 * table so it cannot drift from what the pack enforces.
 */
import { POLICY_LIST, policyUrl, REPOSITORY_URL } from "../src/policy";
import type { PolicyDefinition } from "../src/policy";
import { REGISTRY_ENV, REGISTRY_FILE } from "../src/registry";

function level(policy: PolicyDefinition): string {
  return policy.enabledByDefault ? policy.enforcement : "off (enable in the pack config)";
}

/** A table cell: one line, with the characters that would end or split it escaped. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function packReadme(description: string): string {
  return [
    "# ai-spend-guard",
    "",
    description,
    "",
    `The pack reads the workflow registry (\`${REGISTRY_FILE}\`) from \`${REGISTRY_ENV}\`, else the`,
    "pack folder, else the Pulumi project it is installed in. Each contract policy has an",
    "`-advisory` companion that reports the same rule's advisories and never blocks.",
    "",
    "| Policy | Level | Severity | Blocks when |",
    "| --- | --- | --- | --- |",
    ...POLICY_LIST.map(
      (p) =>
        `| [\`${p.name}\`](${policyUrl(p.name)}) | ${level(p)} | ${p.severity} | ${cell(p.blocksWhen)} |`,
    ),
    "",
    `Documentation and the offline \`check\` for CI: ${REPOSITORY_URL}`,
    "",
  ].join("\n");
}
