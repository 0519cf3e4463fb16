import { parseArgs } from "node:util";
import {
  formatProblem,
  loadRegistry,
  registryWarnings,
  RegistryLoadError,
  RegistryValidationError,
} from "../../registry";
import type { Command } from "../command";
import { printable } from "../../util/printable";
import { countOf } from "../../util/plural";
import { EXIT, styler } from "../io";
import { renderWorkflowMap, workflowMap } from "../workflow-map";

export const validate: Command = {
  name: "validate",
  summary: "Validate the workflow registry and print the workflow map",
  usage: `Usage: ai-spend-guard validate [path] [--json]

Validates the workflow registry and prints the workflow map. Every problem is reported at once,
as FILE:LINE:COL  FIELD: what is wrong and how to fix it.

The registry is found at: [path], else $AI_SPEND_GUARD_REGISTRY, else ./workflows.yaml.
Nothing else: the example registry that ships with the package is never used in its place,
and a ./workflows.yml is refused by name (rename it, or point at it).

Options:
  --json    print the result as JSON ({valid, source, problems[], warnings[], workflows[]})
  --help    show this help

Exit codes: 0 valid, 1 invalid, 2 usage or I/O error.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) {
      io.err(`validate takes at most one path, got ${positionals.length}`);
      return EXIT.usage;
    }
    const style = styler(io);
    try {
      const registry = loadRegistry(positionals[0], { cwd: io.cwd, env: io.env });
      const warnings = registryWarnings(registry, io.today);
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
