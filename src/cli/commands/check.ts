import { parseArgs } from "node:util";
import { checkDocument, PulumiDocumentError, readPulumiDocument } from "../../check";
import type { CheckReport } from "../../check";
import { printable } from "../../util/printable";
import { wrap } from "../../util/wrap";
import { chooseAiTypes } from "../check-ai-types";
import { InputError, readInput } from "../check-input";
import { chooseFormat, renderMachine } from "../check-format";
import type { CheckFormat } from "../check-format";
import { cleanLines, findingRows, headline, LINE_WIDTH, verdict } from "../check-table";
import type { Command } from "../command";
import { loadRegistryOrExit } from "../registry-option";
import { EXIT, styler } from "../io";
import type { ExitCode, Io } from "../io";
import { renderTable } from "../table";

/** How a report is printed: one result object, one renderer per output format. */
type Renderer = (report: CheckReport, io: Io) => string;

export const RENDERERS = {
  text: renderReport,
  json: (report) => renderMachine(report, "json"),
  sarif: (report) => renderMachine(report, "sarif"),
  markdown: (report) => renderMachine(report, "markdown"),
} as const satisfies Record<CheckFormat, Renderer>;

export type OutputFormat = CheckFormat;

/**
 * `ai-spend-guard check <file>`: the policy pack's rules, offline, on what `pulumi preview
 * --json` printed or on a `pulumi stack export` (an audit of what is deployed).
 */
export const check: Command = {
  name: "check",
  summary: "Check a `pulumi preview --json` or `pulumi stack export` file against the policies",
  usage: `Usage: ai-spend-guard check <file|-> [--format FORMAT] [--registry PATH] [--ai-type TYPE]...

Evaluates the policy pack's rules offline, on either:
  - the output of \`pulumi preview --json\` (what a deployment would change), or
  - the output of \`pulumi stack export\` or a state checkpoint (an audit of what is deployed).

  pulumi preview --json --show-sames > preview.json
  ai-spend-guard check preview.json
  pulumi stack export | ai-spend-guard check -

Unchanged resources are listed by a preview only with \`--show-sames\`. Resources the
program only reads (\`.get()\`, \`external\` in a state) are never blocked. UTF-8 and
UTF-16 (with a byte order mark) files are read; \`-\` reads standard input.

Options:
  --format FORMAT   text (default: the table), json ({passed, summary, findings[],
                    clean[], notes[], ...}; on an error, {passed: false, error, ...} with
                    the same exit code), sarif (SARIF 2.1.0, for code scanning) or
                    markdown (a CI job summary or PR comment)
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
    const choice = chooseFormat(values.format, values.json);
    // Errors go to stderr; with --format json also as a JSON document on stdout.
    const format: OutputFormat = choice.kind === "ok" ? choice.format : "text";
    const fail = failure(io, format, positionals[0]);
    if (positionals.length !== 1) {
      return fail(
        EXIT.usage,
        `check takes exactly one file, got ${positionals.length === 0 ? "none" : positionals.length}`,
        `\n\n${check.usage}`,
      );
    }
    const file = positionals[0]!;
    if (choice.kind === "invalid") return fail(EXIT.usage, `error: ${choice.message}`);

    const aiTypes = chooseAiTypes(values["ai-type"] ?? []);
    if (aiTypes.kind === "refused") return fail(EXIT.usage, `error: ${aiTypes.message}`);
    for (const warning of aiTypes.warnings) io.err(`warning: ${warning}`);

    let input: Awaited<ReturnType<typeof readInput>>;
    try {
      input = await readInput(file, io);
    } catch (error) {
      if (error instanceof InputError) {
        return fail(EXIT.usage, `error: ${printable(file)}: ${error.message}`);
      }
      if (error instanceof PulumiDocumentError) return fail(EXIT.usage, `error: ${error.message}`);
      throw error;
    }

    // The registry's own reporting (positioned problems on stderr), kept for --json as well.
    const registryErrors: string[] = [];
    const registry = loadRegistryOrExit(values.registry, {
      ...io,
      err: (text) => {
        registryErrors.push(text);
        io.err(text);
      },
    });
    if (typeof registry === "number") {
      if (format === "json") {
        const [first = "error: the registry cannot be read", ...problems] = registryErrors;
        io.out(errorDocument(input.source, first.replace(/^error: /, ""), problems));
      }
      return registry;
    }

    let report: CheckReport;
    try {
      report = checkDocument(input.source, readPulumiDocument(input.bytes, input.source), {
        registry,
        today: io.today,
        ...(aiTypes.types.length === 0 ? {} : { extraAiTypes: aiTypes.types }),
      });
    } catch (error) {
      if (error instanceof PulumiDocumentError) return fail(EXIT.usage, `error: ${error.message}`);
      throw error;
    }

    io.out(RENDERERS[choice.format](report, io));
    return report.passed ? EXIT.ok : EXIT.failed;
  },
};

/**
 * An error, as the chosen output says it: one line on stderr always, and with --json also a
 * JSON document on stdout (CI keeps stdout as the artifact, which must not be empty).
 */
function failure(io: Io, format: OutputFormat, source: string | undefined) {
  return (code: ExitCode, message: string, more = ""): ExitCode => {
    io.err(`${message}${more}`);
    if (format === "json") {
      io.out(errorDocument(source ?? null, message.replace(/^error: /, ""), []));
    }
    return code;
  };
}

function errorDocument(source: string | null, error: string, problems: readonly string[]): string {
  return JSON.stringify(
    { source, passed: false, error, ...(problems.length === 0 ? {} : { problems }) },
    null,
    2,
  );
}

/** The report for people: the findings table, what passed, notes, and the verdict. */
export function renderReport(report: CheckReport, io: Io): string {
  const style = styler(io);
  const lines = [style("bold", headline(report)), ""];
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
  const clean = cleanLines(report.clean);
  if (clean.length > 0) lines.push(`${style("green", "ok")}: ${clean.join("\n")}`);
  for (const note of report.notes) {
    const [first, ...rest] = wrap(printable(note), LINE_WIDTH - 6, {
      indent: "      ",
      breakWords: false,
    });
    lines.push(`${style("dim", "note")}: ${first}`, ...rest);
  }
  if (clean.length > 0 || report.notes.length > 0) lines.push("");
  lines.push(
    report.passed
      ? `${style("green", "passed")}: ${verdict(report)}`
      : `${style("red", "FAILED")}: ${verdict(report)}`,
  );
  return lines.join("\n");
}
