/**
 * Stage 2 of the demo: the policy gate on an example `pulumi preview --json`, through exactly
 * what `ai-spend-guard check` runs (read the document, evaluate the pack's rules), so the demo
 * shows what CI would block.
 */
import { readFileSync } from "node:fs";
import { checkDocument, readPulumiDocument } from "../check";
import type { CheckReport } from "../check";
import type { Registry } from "../registry";

/**
 * The check report of the preview at `file`, named `displayName` in the report. Throws on an
 * unreadable file or one that is not a Pulumi document (`PulumiDocumentError`).
 */
export function runPolicyGate(
  file: string,
  displayName: string,
  registry: Registry,
  today: string,
): CheckReport {
  const text = readFileSync(file, "utf8");
  return checkDocument(displayName, readPulumiDocument(text, displayName), { registry, today });
}
