import { parseArgs } from "node:util";
import {
  compareRegistries,
  formatProblem,
  loadRegistry,
  loadRegistryText,
  registryWarnings,
  RegistryLoadError,
  RegistryValidationError,
} from "../../registry";
import type { Command } from "../command";
import { printable } from "../../util/printable";
import { countOf } from "../../util/plural";
import { EXIT, styler } from "../io";
import type { ExitCode, Io } from "../io";
import { renderWorkflowMap, workflowMap } from "../workflow-map";

export const validate: Command = {
  name: "validate",
  summary: "Validate the workflow registry and print the workflow map",
  usage: `Usage: ai-spend-guard validate [path] [--base <previous workflows.yaml>] [--json]

Validates the workflow registry and prints the workflow map. Every problem is reported at once,
as FILE:LINE:COL  FIELD: what is wrong and how to fix it.

The registry is found at: [path], else $AI_SPEND_GUARD_REGISTRY, else ./workflows.yaml.
Nothing else: the example registry that ships with the package is never used in its place,
and a ./workflows.yml is refused by name (rename it, or point at it).

Options:
  --base <file>  compare with the version this one replaces (in CI: git show
                 origin/main:workflows.yaml > base.yaml): reviewBy moved later, learning turned
                 run-rate, or a budget raised by more than 50% without a new renewal is an
                 error; an owner change is reported
  --json    print the result as JSON ({valid, source, problems[], warnings[], workflows[]};
            with --base also changes[])
  --help    show this help

Exit codes: 0 valid, 1 invalid, 2 usage or I/O error.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: "boolean", default: false }, base: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) {
      io.err(`validate takes at most one path, got ${positionals.length}`);
      return EXIT.usage;
    }
    const style = styler(io);
    try {
      const { registry, text } = loadRegistryText(positionals[0], { cwd: io.cwd, env: io.env });
      const warnings = registryWarnings(registry, io.today);
      if (values.base !== undefined) {
        const outcome = compareWithBase(values.base, registry, text, io, style, values.json);
        if (outcome !== undefined) return outcome;
      }
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              valid: true,
              source: registry.source,
              problems: [],
              warnings,
              workflows: workflowMap(registry),
            },
            null,
            2,
          ),
        );
      } else {
        io.out(
          `${style("green", "valid")}: ${printable(registry.source)} (${countOf(registry.workflows.length, "workflow")})\n`,
        );
        io.out(renderWorkflowMap(registry));
        for (const w of warnings) {
          io.out(`${style("yellow", "warning")} ${printable(w.path)}: ${printable(w.message)}`);
        }
      }
      return EXIT.ok;
    } catch (error) {
      if (error instanceof RegistryValidationError) {
        if (values.json) {
          io.out(JSON.stringify({ valid: false, problems: error.problems, warnings: [] }, null, 2));
        } else {
          const file = error.problems[0]?.file ?? "registry";
          io.err(
            `${style("red", "invalid")}: ${printable(file)} has ${countOf(error.problems.length, "problem")}`,
          );
          for (const problem of error.problems) io.err(printable(formatProblem(problem)));
        }
        return EXIT.failed;
      }
      if (error instanceof RegistryLoadError) {
        if (values.json) io.out(JSON.stringify({ valid: false, error: error.message }, null, 2));
        io.err(`error: ${printable(error.message)}`);
        return EXIT.usage;
      }
      throw error;
    }
  },
};

/**
 * `--base`: the change against the version it replaces. Returns the exit code when the command
 * ends here (the base is invalid, or the change needs a renewal), undefined to go on.
 */
function compareWithBase(
  basePath: string,
  registry: Parameters<typeof compareRegistries>[1],
  text: string,
  io: Io,
  style: ReturnType<typeof styler>,
  json: boolean,
): ExitCode | undefined {
  let base;
  try {
    base = loadRegistry(basePath, { cwd: io.cwd, env: io.env });
  } catch (error) {
    if (error instanceof RegistryValidationError) {
      // The base's own positioned problems, each naming the base file, so nobody fixes the
      // wrong one.
      if (json) {
        io.out(
          JSON.stringify(
            { valid: false, base: { valid: false, problems: error.problems } },
            null,
            2,
          ),
        );
      } else {
        const file = error.problems[0]?.file ?? basePath;
        io.err(
          `${style("red", "invalid base")}: ${printable(file)} (--base) has ${countOf(error.problems.length, "problem")}`,
        );
        for (const problem of error.problems) io.err(`base ${printable(formatProblem(problem))}`);
      }
      return EXIT.failed;
    }
    if (error instanceof RegistryLoadError) {
      io.err(`error: --base: ${printable(error.message)}`);
      return EXIT.usage;
    }
    throw error;
  }
  const changes = compareRegistries(base, registry, text);
  if (json && changes.errors.length > 0) {
    io.out(
      JSON.stringify({ valid: false, problems: changes.errors, changes: changes.notices }, null, 2),
    );
    return EXIT.failed;
  }
  if (!json) {
    for (const notice of changes.notices) {
      io.out(`${style("yellow", "change")} ${printable(formatProblem(notice))}`);
    }
  }
  if (changes.errors.length > 0) {
    io.err(
      `${style("red", "invalid change")}: ${printable(registry.source)} against ${printable(base.source)} has ${countOf(changes.errors.length, "problem")}`,
    );
    for (const problem of changes.errors) io.err(printable(formatProblem(problem)));
    return EXIT.failed;
  }
  return undefined;
}
