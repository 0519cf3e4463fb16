/**
 * Where the policies are documented: the repository and a stable anchor per policy in its
 * README (`<a id="policy-NAME">` in the policy table). The pack (`url`, `repository`), the
 * SARIF rules (`helpUri`) and the Markdown summary link here; package.json's `repository` and
 * `homepage` say the same (test/policy/table.test.ts holds them together).
 */
import type { PolicyName } from "../registry";

export const REPOSITORY_URL = "https://github.com/ai-spend-guard/ai-spend-guard";

/** The README section of one policy, by its anchor. */
export function policyAnchor(name: PolicyName): string {
  return `policy-${name}`;
}

export function policyUrl(name: PolicyName): string {
  return `${REPOSITORY_URL}#${policyAnchor(name)}`;
}
