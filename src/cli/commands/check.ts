import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkDocument, PulumiDocumentError, readPulumiDocument } from "../../check";
import type { CheckReport } from "../../check";
import { chooseFormat, renderMachine } from "../check-format";
import { describeSource, findingRows } from "../check-table";
import type { Command } from "../command";
import { loadRegistryOrExit } from "../registry-option";
import { EXIT, styler } from "../io";
import type { Io } from "../io";
import { renderTable } from "../table";

/**
 * `ai-spend-guard check <file>`: the policy pack's rules, offline, on what `pulumi preview
 * --json` printed or on a `pulumi stack export` (an audit of what is deployed).
 */
export const check: Command = {
  name: "check",
  summary: "Check a `pulumi preview --json` or `pulumi stack export` file against the policies",
  usage: `Usage: ai-spend-guard check <file> [--format FORMAT] [--registry PATH] [--ai-type TYPE]...

Evaluates the policy pack's rules offline, on either:
  - the output of \`pulumi preview --json\` (what a deployment would change), or
  - the output of \`pulumi stack export\` or a state checkpoint (an audit of what is deployed).

  pulumi preview --json > preview.json
  ai-spend-guard check preview.json

Unchanged resources are listed by a preview only with \`--show-sames\`; export with
\`--show-secrets\` to check secret tag values. Use /dev/stdin as <file> to read a pipe.

Options:
  --format FORMAT   text (default: the table), json ({passed, summary, findings[],
                    notes[], ...}), sarif (SARIF 2.1.0, for code scanning) or markdown
                    (a CI job summary or PR comment)
  --json            the same as --format json
  --registry PATH   the workflow registry (default: $AI_SPEND_GUARD_REGISTRY, else
                    ./workflows.yaml, else workflows.yaml in the project root)
  --ai-type TYPE    also treat this resource type as a taggable AI resource (repeatable),
                    like the policy pack's extraAiTypes setting
  --help            show this help

Exit codes: 0 no mandatory violation, 1 a mandatory violation or an invalid registry,
2 usage, unreadable file or not a Pulumi document.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean", default: false },
        format: { type: "string" },
        registry: { type: "string" },
        "ai-type": { type: "string", multiple: true },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) {
      io.err(
        `check takes exactly one file, got ${positionals.length === 0 ? "none" : positionals.length}\n\n${check.usage}`,
      );
      return EXIT.usage;
    }
    const file = positionals[0]!;
    const choice = chooseFormat(values.format, values.json);
    if (choice.kind === "invalid") {
      io.err(`error: ${choice.message}`);
      return EXIT.usage;
    }

    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), "utf8");
    } catch (error) {
      io.err(`error: ${file}: ${describeReadError(error)}`);
      return EXIT.usage;
    }

    const registry = loadRegistryOrExit(values.registry, io);
    if (typeof registry === "number") return registry;

    let report: CheckReport;
    try {
      report = checkDocument(file, readPulumiDocument(text, file), {
        registry,
        today: io.today,
        ...(values["ai-type"] === undefined ? {} : { extraAiTypes: values["ai-type"] }),
      });
    } catch (error) {
      if (error instanceof PulumiDocumentError) {
        io.err(`error: ${error.message}`);
        return EXIT.usage;
      }
      throw error;
    }

    io.out(
      choice.format === "text" ? renderReport(report, io) : renderMachine(report, choice.format),
    );
    return report.passed ? EXIT.ok : EXIT.failed;
  },
};

function describeReadError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/** The report for people: the findings table, what passed, notes, and the verdict. */
export function renderReport(report: CheckReport, io: Io): string {
  const style = styler(io);
  const { summary } = report;
  const lines = [
    style(
      "bold",
      `ai-spend-guard check: ${describeSource(report)}, ${summary.resources} resource(s), ` +
        `${summary.aiResources} AI; registry ${report.registry}`,
    ),
    "",
  ];
  if (report.findings.length > 0) {
    const rows = findingRows(report.findings).map(([resource, policy, enforcement, message]) => [
      resource!,
      policy!,
      enforcement === "mandatory"
        ? style("red", enforcement)
        : enforcement === "advisory"
          ? style("yellow", enforcement)
          : enforcement!,
      message!,
    ]);
    lines.push(
      renderTable(
        [
          { header: "RESOURCE" },
          { header: "POLICY" },
          { header: "ENFORCEMENT" },
          { header: "MESSAGE" },
        ],
        rows,
      ),
      "",
    );
  }
  if (report.clean.length > 0) {
    lines.push(`${style("green", "ok")}: ${report.clean.join(", ")}`);
  }
  for (const note of report.notes) lines.push(`${style("dim", "note")}: ${note}`);
  if (report.clean.length > 0 || report.notes.length > 0) lines.push("");
  const counts = `${summary.mandatory} mandatory, ${summary.advisory} advisory`;
  lines.push(
    report.passed
      ? `${style("green", "passed")}: ${counts}`
      : `${style("red", "FAILED")}: ${counts}; the deployment must not go ahead until the mandatory findings are fixed`,
  );
  return lines.join("\n");
}
