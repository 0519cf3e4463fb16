import { parseArgs } from "node:util";
import {
  loadRegistry,
  RegistryLoadError,
  RegistryValidationError,
  formatProblem,
} from "../../registry";
import type { Command } from "../command";
import { EXIT, styler } from "../io";
import { renderWorkflowMap } from "../workflow-map";

/**
 * The main job (`npm start`). For now it validates the example registry and prints the
 * workflow map; the policy check, the stack preview and the reconciliation join it as they land.
 */
export const demo: Command = {
  name: "demo",
  summary: "Run the guard offline on the example registry (what `npm start` runs)",
  usage: `Usage: ai-spend-guard demo [--registry PATH]

Runs the guard offline on the example registry: validates it and prints the workflow map.

Options:
  --registry PATH   registry to use (default: the project's workflows.yaml)
  --help            show this help

Exit codes: 0 success, 1 invalid registry, 2 usage or I/O error.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { registry: { type: "string" } },
      strict: true,
    });
    const style = styler(io);
    try {
      const registry = loadRegistry(values.registry, { cwd: io.cwd, env: io.env });
      io.out(
        style(
          "bold",
          `ai-spend-guard: ${registry.workflows.length} workflows in ${registry.source}\n`,
        ),
      );
      io.out(renderWorkflowMap(registry));
      return EXIT.ok;
    } catch (error) {
      if (error instanceof RegistryValidationError) {
        for (const problem of error.problems) io.err(formatProblem(problem));
        return EXIT.failed;
      }
      if (error instanceof RegistryLoadError) {
        io.err(`error: ${error.message}`);
        return EXIT.usage;
      }
      throw error;
    }
  },
};
