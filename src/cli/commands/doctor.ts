import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { DoctorReport } from "../../audit";
import { AwsCallError, Caller, createAuditClients, runDoctor } from "../../audit/aws";
import type { Report } from "../../reconciler";
import { assertRenderable } from "../../report/validate";
import { printable } from "../../util/printable";
import { renderDoctor } from "../audit-render";
import { clientConfig, missingCredentials } from "../aws-options";
import type { Command } from "../command";
import { EXIT } from "../io";
import { loadRegistryOrExit } from "../registry-option";
import { auditExit } from "./audit";

/** `ai-spend-guard doctor`: the attribution plumbing, item by item, with the exact fix. */
export const doctor: Command = {
  name: "doctor",
  summary: "Check the attribution plumbing: tag activation, CUR export, spend routes, invokers",
  usage: `Usage: ai-spend-guard doctor [--json] [--fix] [--report FILE] [--cur-export ARN]
                             [--registry PATH]

Checks what attribution silently depends on, each item ok / warning / error with the exact fix:
  - tag-activation: the workflow and owner keys are active cost allocation tags, as resource
    tags and as iamPrincipal/ tags, and were active before the period's first spend (else the
    backfill command, with the date);
  - cur-export: with --cur-export, the CUR 2.0 export is Parquet, has every column the
    reconciliation reads, INCLUDE_RESOURCES and INCLUDE_IAM_PRINCIPAL_DATA;
  - spend-routes: with --report, the share of AI spend by each route and the unowned rest
    ranked by what could attribute it (a CUR report: by calling IAM principal and by resource
    id; a Cost Explorer report: by service);
  - invokers: IAM roles and users that may invoke models (the pack's IAM analysis) but lack
    the tags.

Options:
  --json             print the result as JSON
  --fix              request the tag backfill the tag check asks for
                     (StartCostAllocationTagBackfill; nothing is changed without it)
  --report FILE      a reconciliation report (report.json, from \`reconcile --out DIR\`)
  --cur-export ARN   the CUR 2.0 export the reconciler reads (cost source cur)
  --registry PATH    the workflow registry (default: ./workflows.yaml, see validate --help)
  --help             show this help

Permissions: ce:ListCostAllocationTags, bcm-data-exports:GetExport (with --cur-export),
iam:GetAccountAuthorizationDetails; with --fix also ce:StartCostAllocationTagBackfill.

Exit codes: 0 no error, 1 an error item or an invalid registry, 2 usage, file or AWS error,
or an incomplete check (an API denied).`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean", default: false },
        fix: { type: "boolean", default: false },
        report: { type: "string" },
        "cur-export": { type: "string" },
        registry: { type: "string" },
      },
      strict: true,
    });
    let report: Report | undefined;
    if (values.report !== undefined) {
      try {
        report = JSON.parse(readFileSync(resolve(io.cwd, values.report), "utf8")) as Report;
        if (
          typeof report?.attribution?.none !== "number" ||
          typeof report?.totals?.aiSpend !== "number"
        ) {
          throw new Error(
            "not a reconciliation report (no attribution or totals): write one with `reconcile --out DIR`",
          );
        }
        // The whole contract, a CUR report's unowned rankings included: a ranking the doctor
        // prints must foot to the unowned spend.
        assertRenderable(report);
      } catch (error) {
        io.err(`error: ${printable(values.report)}: ${(error as Error).message}`);
        return EXIT.usage;
      }
    }
    const exportArn = values["cur-export"];
    if (
      exportArn !== undefined &&
      !/^arn:aws[a-z-]*:bcm-data-exports:[a-z0-9-]+:\d{12}:export\/.+$/.test(exportArn)
    ) {
      io.err(
        `error: --cur-export must be a Data Exports ARN (arn:aws:bcm-data-exports:us-east-1:<account>:export/<name>-<id>), got "${printable(exportArn)}"`,
      );
      return EXIT.usage;
    }
    const registry = loadRegistryOrExit(values.registry, io);
    if (typeof registry === "number") return registry;

    const clients = createAuditClients(clientConfig(io));
    const missing = await missingCredentials(
      clients.iam,
      "doctor reads the account's billing and IAM settings",
    );
    if (missing !== undefined) {
      io.err(`error: ${missing}`);
      return EXIT.usage;
    }
    const caller = new Caller();
    let result: DoctorReport;
    try {
      result = await runDoctor(clients, caller, {
        registry,
        today: io.today,
        fix: values.fix,
        ...(report === undefined ? {} : { report }),
        ...(exportArn === undefined ? {} : { curExportArn: exportArn }),
      });
    } catch (error) {
      if (error instanceof AwsCallError) {
        io.err(`error: ${printable(error.message)}`);
        return EXIT.usage;
      }
      throw error;
    }
    if (values.json) io.out(JSON.stringify({ ...result, apiCalls: caller.counts }, null, 2));
    else io.out(renderDoctor(result, io, caller.counts));
    return auditExit(result);
  },
};
