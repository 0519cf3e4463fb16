/**
 * The layout of `ai-spend-guard check`'s table for people: short resource types, the message
 * column's width and the rows a finding spans. The report itself is data (src/check).
 */
import type { CheckFinding, CheckReport } from "../check";
import { FORMAT_LABEL } from "../check";
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
    const message = wrap(finding.message, width);
    const left = [finding.name, shortType(finding.type)];
    const count = Math.max(message.length, left.length);
    for (let i = 0; i < count; i++) {
      rows.push(
        i === 0
          ? [finding.name, finding.policy, finding.enforcement, message[0] ?? ""]
          : [left[i] ?? "", "", "", message[i] ?? ""],
      );
    }
  }
  return rows;
}

export function describeSource(report: CheckReport): string {
  return `${report.source} (${FORMAT_LABEL[report.format]})`;
}
