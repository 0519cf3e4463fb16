/**
 * A `CheckReport` as Markdown for a CI job summary (`$GITHUB_STEP_SUMMARY`) or a PR comment:
 * the verdict and counts, a table of the mandatory findings with what to do about each, the
 * advisories folded in a `<details>`, then the notes. Every value from the document or the
 * registry is escaped (src/util/markdown.ts): a resource name cannot inject links or HTML. Only
 * the policy names, this package's own constants, are set as code. Pure.
 */
import { POLICY_TABLE, policyUrl } from "../../policy";
import { escapeMarkdown, markdownCode } from "../../util/markdown";
import type { CheckFinding, CheckReport } from "../report";
import { FORMAT_LABEL } from "../types";

function policyLink(finding: CheckFinding): string {
  return `[${markdownCode(finding.policy)}](${policyUrl(finding.policy)})`;
}

/** The resource: its name in bold, its type and where it was declared (all from the document). */
function resourceCell(finding: CheckFinding): string {
  const where =
    finding.source === undefined
      ? ""
      : ` at ${escapeMarkdown(`${finding.source.path}:${finding.source.line}`)}`;
  const type = finding.type === "" ? "" : ` (${escapeMarkdown(finding.type)})`;
  return `**${escapeMarkdown(finding.name)}**${type}${where}`;
}

function table(findings: readonly CheckFinding[], withFix: boolean): string[] {
  const header = withFix
    ? "| Resource | Policy | Finding | Fix |"
    : "| Resource | Policy | Finding |";
  const rule = withFix ? "| --- | --- | --- | --- |" : "| --- | --- | --- |";
  return [
    header,
    rule,
    ...findings.map((f) => {
      const cells = [resourceCell(f), policyLink(f), escapeMarkdown(f.message)];
      if (withFix) cells.push(escapeMarkdown(POLICY_TABLE[f.policy].remediation));
      return `| ${cells.join(" | ")} |`;
    }),
  ];
}

export function toMarkdown(report: CheckReport): string {
  const { summary } = report;
  const mandatory = report.findings.filter((f) => f.enforcement === "mandatory");
  const advisory = report.findings.filter((f) => f.enforcement === "advisory");
  const verdict = report.passed
    ? "**Passed**: no mandatory finding."
    : `**Failed**: ${mandatory.length} mandatory finding(s); the deployment must not go ahead until they are fixed.`;
  const lines = [
    "## ai-spend-guard check",
    "",
    verdict,
    "",
    `| Checked | Resources | AI resources | Mandatory | Advisory |`,
    `| --- | --- | --- | --- | --- |`,
    `| ${escapeMarkdown(report.source)} (${escapeMarkdown(FORMAT_LABEL[report.format])}) | ${summary.resources} | ${summary.aiResources} | ${summary.mandatory} | ${summary.advisory} |`,
    "",
    `Registry ${escapeMarkdown(report.registry)}, as of ${escapeMarkdown(report.today)}.`,
    "",
  ];
  if (mandatory.length > 0) {
    lines.push("### Mandatory findings", "", ...table(mandatory, true), "");
  }
  if (advisory.length > 0) {
    lines.push(
      "<details>",
      `<summary>${advisory.length} advisory finding(s) (never blocking)</summary>`,
      "",
      ...table(advisory, false),
      "",
      "</details>",
      "",
    );
  }
  if (report.clean.length > 0) {
    lines.push(
      `Clean AI resources: ${report.clean.map((r) => escapeMarkdown(`${r.type} ${r.name}`)).join(", ")}.`,
      "",
    );
  }
  if (report.notes.length > 0) {
    lines.push("Notes:", "", ...report.notes.map((note) => `- ${escapeMarkdown(note)}`), "");
  }
  return lines.join("\n");
}
