/**
 * The policy gate's findings in one line each, for the demo's terminal output: the full check
 * table runs to a hundred lines on the example preview, and a newcomer first needs to see what
 * was caught. The findings are the check's own; only their presentation is shorter, and the
 * demo says how to see every message in full.
 */
import type { CheckFinding, CheckReport } from "../check";
import { cleanLines } from "./check-table";
import { styler } from "./io";
import type { Io } from "./io";
import { renderTable } from "./table";

/** Longest headline shown, in characters. */
export const HEADLINE_WIDTH = 110;

/**
 * The gist of a finding's message: without the resource it names (the table shows it), up to the
 * end of its first clause, cut at a word to at most `width` characters.
 */
export function headline(finding: CheckFinding, width = HEADLINE_WIDTH): string {
  let text = finding.message;
  const prefix = `${finding.type} "${finding.name}"`;
  if (text.startsWith(prefix)) text = text.slice(prefix.length).replace(/^:?\s+/, "");
  text = firstClause(text);
  if (text.length <= width) return text;
  const cut = text.lastIndexOf(" ", width - 3);
  return `${text.slice(0, cut > 0 ? cut : width - 3)}...`;
}

/** Shorter clauses say too little ("is not blocked"): the headline runs on past them. */
const MIN_CLAUSE = 24;

/**
 * Up to the first ". ", ": " or "; " outside parentheses (which hold names, dates and reasons), once
 * the clause says enough.
 */
function firstClause(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (
      (c === "." || c === ":" || c === ";") &&
      depth === 0 &&
      text[i + 1] === " " &&
      i >= MIN_CLAUSE
    )
      return text.slice(0, i);
  }
  return text.replace(/\.$/, "");
}

export function renderPolicySummary(report: CheckReport, io: Io): string {
  const style = styler(io);
  const { summary } = report;
  const lines = [
    `${summary.resources} resources checked in the preview, ${summary.aiResources} of them AI; registry ${report.registry}`,
    "",
    renderTable(
      [
        { header: "ENFORCEMENT" },
        { header: "POLICY" },
        { header: "RESOURCE" },
        { header: "FINDING" },
      ],
      report.findings.map((f) => [
        f.enforcement === "mandatory"
          ? style("red", f.enforcement)
          : style("yellow", f.enforcement),
        f.policy,
        f.name,
        headline(f),
      ]),
    ),
    "",
  ];
  const clean = cleanLines(report.clean);
  if (clean.length > 0) lines.push(`${style("green", "ok")}: ${clean.join("\n")}`);
  const counts = `${summary.mandatory} mandatory, ${summary.advisory} advisory`;
  lines.push(
    report.passed
      ? `${style("green", "passed")}: ${counts}`
      : `${style("red", "FAILED")}: ${counts}: in CI the deployment stops here (check exits 1); the demo goes on`,
    style("dim", `every message in full: npx ai-spend-guard check ${report.source}`),
  );
  return lines.join("\n");
}
