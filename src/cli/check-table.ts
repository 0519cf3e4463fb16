/**
 * The layout of `ai-spend-guard check`'s report for people: short resource types, the message
 * column's width, the rows a finding spans, the list of what passed. The report itself is data
 * (src/check); every string from the file goes through `printable`, so a crafted name or tag
 * value cannot move the cursor or fake a line. The JSON keeps the exact values.
 */
import type { CheckFinding, CheckReport, ResourceRef } from "../check";
import { FORMAT_LABEL } from "../check";
import { printable } from "../util/printable";
import { wrap } from "../util/wrap";

/**
 * `aws:sagemaker/endpoint:Endpoint` -> `aws:sagemaker/endpoint`: the class name repeats the
 * module's last segment, and the table is wide enough already.
 */
export function shortType(type: string): string {
  const match = /^([^:]+):([^:]+)\/([^:/]+):([^:]+)$/.exec(type);
  return match !== null && match[3]!.toLowerCase() === match[4]!.toLowerCase()
    ? `${match[1]}:${match[2]}/${match[3]}`
    : type;
}

/** Width of the message column: long messages wrap onto continuation rows. */
export const MESSAGE_WIDTH = 72;

/**
 * Table rows: the first row of a finding holds its resource name, policy, enforcement and the
 * start of its message; the next rows hold the resource type and the rest of the message.
 */
export function findingRows(findings: readonly CheckFinding[], width = MESSAGE_WIDTH): string[][] {
  const rows: string[][] = [];
  for (const [n, finding] of findings.entries()) {
    // A blank row between findings: one finding spans several rows.
    if (n > 0) rows.push(["", "", "", ""]);
    const message = wrap(printable(finding.message), width);
    const name = printable(finding.name);
    const left = [name, printable(shortType(finding.type))];
    const count = Math.max(message.length, left.length);
    for (let i = 0; i < count; i++) {
      rows.push(
        i === 0
          ? [name, finding.policy, finding.enforcement, message[0] ?? ""]
          : [left[i] ?? "", "", "", message[i] ?? ""],
      );
    }
  }
  return rows;
}

export function describeSource(report: CheckReport): string {
  return `${printable(report.source)} (${FORMAT_LABEL[report.format]})`;
}

/** The first line: what was read, and how much of it the rules checked. */
export function headline(report: CheckReport): string {
  const { summary } = report;
  const skipped = [
    summary.deleted > 0 ? `${summary.deleted} deleted` : "",
    summary.readOnly > 0 ? `${summary.readOnly} only read` : "",
  ].filter((part) => part !== "");
  return (
    `ai-spend-guard check: ${describeSource(report)}, ${summary.resources} resource(s) checked, ` +
    `${summary.aiResources} AI${skipped.length > 0 ? ` (not checked: ${skipped.join(", ")})` : ""}; ` +
    `registry ${printable(report.registry)}`
  );
}

/** Width of the `ok:` and `note:` lines. */
export const LINE_WIDTH = 100;
/** At most this many clean resources are listed; `--json` lists them all. */
export const MAX_LISTED_CLEAN = 20;

/**
 * `ok: aws:bedrock/inferenceProfile support-triage-haiku, ...`: lines of whole entries (a type
 * and its name stay together), at most MAX_LISTED_CLEAN of them, then "and N more".
 */
export function cleanLines(clean: readonly ResourceRef[], width = LINE_WIDTH): string[] {
  if (clean.length === 0) return [];
  const listed = clean
    .slice(0, MAX_LISTED_CLEAN)
    .map((r) => `${printable(shortType(r.type))} ${printable(r.name)}`);
  const more = clean.length - listed.length;
  if (more > 0) listed.push(`and ${more} more (--json lists them all)`);
  const lines: string[] = [];
  let line = "";
  for (const [i, entry] of listed.entries()) {
    const item =
      i < listed.length - 1 && !(more > 0 && i === listed.length - 2) ? `${entry},` : entry;
    if (line !== "" && line.length + 1 + item.length > width - 4) {
      lines.push(line);
      line = `    ${item}`;
    } else {
      line = line === "" ? item : `${line} ${item}`;
    }
  }
  lines.push(line);
  return lines;
}

/** The verdict, in the words of what was checked: a change to deploy, or what is deployed. */
export function verdict(report: CheckReport): string {
  const counts = `${report.summary.mandatory} mandatory, ${report.summary.advisory} advisory`;
  if (report.passed) return counts;
  return report.format === "preview"
    ? `${counts}; the deployment must not go ahead until the mandatory findings are fixed`
    : `${counts}; what is deployed breaks the mandatory policies: fix them in the program and deploy again`;
}
