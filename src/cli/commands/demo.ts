import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PulumiDocumentError } from "../../check";
import { BillFormatError } from "../../demo/bill-csv";
import { exampleFiles } from "../../demo/examples";
import { OutputDirError } from "../../demo/report-files";
import { demoRegistryProblem, runDemo } from "../../demo/run-demo";
import type { DemoResult } from "../../demo/run-demo";
import { AS_OF } from "../../demo/scenario";
import { printable } from "../../util/printable";
import type { Command } from "../command";
import { demoJson, renderDemo } from "../demo-render";
import { EXIT, styler } from "../io";
import { loadRegistryOrExit } from "../registry-option";

/**
 * The main job (`npm start`): the whole guard, offline, on what ships in the repository. The
 * orchestration lives in `src/demo/`; this adapter parses options, maps failures to exit codes
 * and prints.
 */
export const demo: Command = {
  name: "demo",
  summary: "Run the whole guard offline on the shipped examples (what `npm start` runs)",
  usage: `Usage: ai-spend-guard demo [--out DIR] [--json] [--registry PATH]

Runs the guard end to end with no AWS account and no Pulumi CLI, on files in the repository,
as of ${AS_OF} (fixed, so every run prints the same):

  1. the workflow registry (workflows.yaml) and its workflow map;
  2. the policy gate: the pack's rules on examples/preview.json, as \`check\` runs them;
  3. the stack program under Pulumi's mocks: the budgets, anomaly monitors, alarms and
     subscriptions it would create;
  4. two months of recorded Cost Explorer data (examples/cost-and-usage.csv) served by a local
     Cost Explorer on 127.0.0.1 and read with the real SDK client, reconciled by workflow and
     owner: spend, budget used, review cost, fully loaded cost, flags, unowned spend.

It writes report.json, report.csv and report.html into the output directory.

Options:
  --out DIR         where to write the report files (default: out)
  --json            print one JSON document with all four stages
                    ({asOf, registry, policy, stack, reconciliation, files})
  --registry PATH   registry to use (default: the example registry that ships with
                    ai-spend-guard, named explicitly: the demo never looks for yours; the
                    recorded cost data is the example registry's)
  --help            show this help

Exit codes: 0 the demo ran (it shows policy violations and flags: that is the point),
1 invalid registry, 2 usage error, or a file that cannot be read or written.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: "string", default: "out" },
        json: { type: "boolean", default: false },
        registry: { type: "string" },
      },
      strict: true,
    });
    const style = styler(io);
    if (values.out.trim() === "") {
      io.err(`--out needs a directory for the report files, e.g. --out out\n\n${demo.usage}`);
      return EXIT.usage;
    }
    if (values.registry !== undefined && values.registry.trim() === "") {
      io.err(`--registry needs the path of a registry file\n\n${demo.usage}`);
      return EXIT.usage;
    }
    const examples = exampleFiles();
    // The demo runs on its own shipped example unless told otherwise: named here, never found.
    const registryPath = resolve(io.cwd, values.registry ?? examples.registry);
    const registry = loadRegistryOrExit(registryPath, io);
    if (typeof registry === "number") return registry;
    const problem = demoRegistryProblem(registry);
    if (problem !== undefined) {
      io.err(`error: ${printable(problem)}`);
      return EXIT.usage;
    }

    // Progress goes to stderr, and only to a person watching it.
    const progress =
      (io.errIsTTY ?? io.isTTY)
        ? (message: string) => io.err(style("dim", `... ${message}`))
        : undefined;

    let result: DemoResult;
    try {
      result = await runDemo({
        registry,
        registryPath,
        examples,
        outDir: resolve(io.cwd, values.out),
        cwd: io.cwd,
        ...(progress === undefined ? {} : { onProgress: progress }),
      });
    } catch (error) {
      if (
        error instanceof OutputDirError ||
        error instanceof PulumiDocumentError ||
        error instanceof BillFormatError
      ) {
        io.err(`error: ${printable(error.message)}`);
        return EXIT.usage;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === "string" && code.startsWith("E")) {
        io.err(`error: cannot read the demo's inputs: ${(error as Error).message}`);
        return EXIT.usage;
      }
      throw error;
    }

    if (values.json) {
      io.out(JSON.stringify(demoJson(result, registry), null, 2));
    } else {
      io.out(renderDemo(result, registry, io));
    }
    return EXIT.ok;
  },
};
