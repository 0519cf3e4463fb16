import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { managedIndex, parseRegions } from "../../audit";
import type { AuditReport, StackState } from "../../audit";
import { AwsCallError, Caller, createAuditClients, runAudit } from "../../audit/aws";
import { PulumiDocumentError, readPulumiDocument } from "../../check";
import { printable } from "../../util/printable";
import { renderAudit } from "../audit-render";
import { clientConfig, missingCredentials } from "../aws-options";
import { chooseAiTypes } from "../check-ai-types";
import type { Command } from "../command";
import { EXIT } from "../io";
import type { ExitCode } from "../io";
import { loadRegistryOrExit } from "../registry-option";

/**
 * `ai-spend-guard audit`: the AI resources the account has, judged by the pack's rules, and
 * with stack exports, which of them were made outside IaC.
 */
export const audit: Command = {
  name: "audit",
  summary: "Audit the AI resources in the AWS account against the policies and your stacks",
  usage: `Usage: ai-spend-guard audit [--json] [--regions r1,r2|all] [--stack-export FILE]...
                            [--registry PATH] [--ai-type TYPE]...

Lists the account's AI resources (the AI types of the pack's catalog) and judges each with the
policy pack's own rules: missing tags, unregistered workflow, owner mismatch. With
--stack-export, each is also marked managed (in one of the exports) or OUTSIDE IaC.

Source: AWS Resource Explorer's aggregator index (every region, never-tagged resources
included). Without it, the Resource Groups Tagging API region by region, which lists only
resources that carry or once carried tags (the output says so). Read-only.

  pulumi stack export > prod.json
  ai-spend-guard audit --stack-export prod.json

Options:
  --json               print the result as JSON
  --regions LIST       comma-separated region codes, or all (default: all)
  --stack-export FILE  a \`pulumi stack export\` (or state checkpoint) to compare with
                       (repeatable: one per stack)
  --registry PATH      the workflow registry (default: ./workflows.yaml, see validate --help)
  --ai-type TYPE       also treat this resource type as a taggable AI resource (repeatable)
  --help               show this help

Permissions: resource-explorer-2:ListIndexes, resource-explorer-2:Search, tag:GetResources.

Exit codes: 0 every resource passes, 1 a mandatory finding, a resource outside IaC or an
invalid registry, 2 usage, file or AWS error, or an incomplete audit (an API denied, a
requested region not enabled).`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean", default: false },
        regions: { type: "string", default: "all" },
        "stack-export": { type: "string", multiple: true },
        registry: { type: "string" },
        "ai-type": { type: "string", multiple: true },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) {
      io.err(
        `audit takes no file arguments (got ${printable(positionals[0]!)}): use --stack-export FILE\n\n${audit.usage}`,
      );
      return EXIT.usage;
    }
    const aws = clientConfig(io);
    const regions = parseRegions(values.regions, aws.region);
    if (regions.kind === "invalid") {
      io.err(`error: ${regions.message}`);
      return EXIT.usage;
    }
    const aiTypes = chooseAiTypes(values["ai-type"] ?? []);
    if (aiTypes.kind === "refused") {
      io.err(`error: ${aiTypes.message}`);
      return EXIT.usage;
    }
    const states: StackState[] = [];
    for (const file of values["stack-export"] ?? []) {
      try {
        states.push({
          source: file,
          read: readPulumiDocument(readFileSync(resolve(io.cwd, file)), file),
        });
      } catch (error) {
        const message =
          error instanceof PulumiDocumentError
            ? error.message
            : `${printable(file)}: ${(error as Error).message}`;
        io.err(`error: ${message}`);
        return EXIT.usage;
      }
    }
    const registry = loadRegistryOrExit(values.registry, io);
    if (typeof registry === "number") return registry;

    const clients = createAuditClients(aws);
    const missing = await missingCredentials(clients.iam, "audit lists the account's resources");
    if (missing !== undefined) {
      io.err(`error: ${missing}`);
      return EXIT.usage;
    }
    const caller = new Caller();
    let report: AuditReport;
    try {
      report = await runAudit(clients, caller, {
        registry,
        today: io.today,
        regions,
        ...(states.length === 0 ? {} : { managed: managedIndex(states) }),
        ...(aiTypes.types.length === 0 ? {} : { extraAiTypes: aiTypes.types }),
      });
    } catch (error) {
      if (error instanceof AwsCallError) {
        io.err(`error: ${printable(error.message)}`);
        return EXIT.usage;
      }
      throw error;
    }
    if (values.json) io.out(JSON.stringify({ ...report, apiCalls: caller.counts }, null, 2));
    else io.out(renderAudit(report, io, caller.counts));
    return auditExit(report);
  },
};

export function auditExit(report: {
  readonly complete: boolean;
  readonly passed: boolean;
}): ExitCode {
  if (!report.complete) return EXIT.usage;
  return report.passed ? EXIT.ok : EXIT.failed;
}
