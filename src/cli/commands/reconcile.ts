import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SNSClient } from "@aws-sdk/client-sns";
import {
  COST_METRICS,
  composeMessages,
  DEFAULT_COST_METRIC,
  isCostMetric,
  runReconciliation,
} from "../../reconciler";
import type { CostMetric, Report } from "../../reconciler";
import {
  cloudWatchMetrics,
  cloudWatchVolume,
  costExplorerUsageTypes,
  costExplorerSource,
  createCostExplorerClient,
  ENV,
  snsPublisher,
} from "../../reconciler/aws";
import { renderCsv } from "../../report";
import { addDays, isCalendarDate } from "../../util/dates";
import { makeDirectory } from "../../util/make-dir";
import type { Command } from "../command";
import { clientConfig, missingCredentials } from "../aws-options";
import { loadRegistryOrExit } from "../registry-option";
import { EXIT } from "../io";
import { costSourceChoice, withCostSource } from "../cost-source-option";
import type { CostSourceChoice } from "../cost-source-option";
import { renderSpendSummary } from "../spend-summary";

/** The variable the deployed function reads its topic from: --notify reads the same one. */
const TOPIC_ENV = ENV.topic;
const OTHER_METRICS = COST_METRICS.filter((m) => m !== DEFAULT_COST_METRIC);

export const reconcile: Command = {
  name: "reconcile",
  summary:
    "Reconcile AWS spend (Cost Explorer or CUR) to workflows and owners (read-only unless --notify)",
  usage: `Usage: ai-spend-guard reconcile [--from DATE] [--to DATE] [--json] [--out DIR] [--notify]
                                [--metric NAME] [--by-account] [--registry PATH]
                                [--cur DIR|s3://BUCKET/PREFIX/EXPORT]
                                [--athena-table DB.TABLE --athena-workgroup WG [--athena-output S3]]

Reconciles AI spend to the registry's workflows with your AWS credentials, the same way the
scheduled reconciler does: spend by workflow and service, projection, budget used, growth,
review cost (measured from CloudWatch when the registry names a metric), unowned and
unregistered spend, and the review triggers. Read-only: it sends nothing unless --notify.

A report covers one month to date. By default, the current month up to yesterday.
  --from DATE       first day of the month to report (YYYY-MM-01); without --to, the whole month
  --to DATE         day after the last day to report (default: today, or the month's end)
  --json            print the report as JSON (the same contract as the stored report)
  --out DIR         write report.json and report.csv into DIR
  --notify          publish the owner digests and the unowned summary to the SNS topic in
                    $${TOPIC_ENV} (or --topic ARN)
  --topic ARN       SNS topic for --notify
  --metric NAME     ${DEFAULT_COST_METRIC} (default), ${OTHER_METRICS.slice(0, -1).join(", ")} or ${OTHER_METRICS.at(-1)}
  --by-account      also group by linked account (more Cost Explorer requests)
  --registry PATH   registry to use (default: ./workflows.yaml, see validate --help)
  --cur DIR         read a CUR 2.0 export instead of Cost Explorer, with DuckDB on this machine:
                    a local copy (DIR holds data/BILLING_PERIOD=YYYY-MM/), or
                    s3://BUCKET/PREFIX/EXPORT (the needed periods fetched, then removed)
  --athena-table DB.TABLE   read the export's Glue table with Athena instead
  --athena-workgroup WG     the Athena workgroup (required with --athena-table)
  --athena-output S3        query results location (when the workgroup does not set one)
  --help            show this help

Each Cost Explorer request costs USD 0.01; the report counts them (ceRequests). A CUR report
adds per-model spend and tokens per workflow, and its query's bytes scanned and cost (Athena:
USD 5 per TB, 10 MB minimum).

Exit codes: 0 success, 1 invalid registry, 2 usage, file or AWS error.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        notify: { type: "boolean", default: false },
        topic: { type: "string" },
        metric: { type: "string", default: DEFAULT_COST_METRIC },
        "by-account": { type: "boolean", default: false },
        registry: { type: "string" },
        cur: { type: "string" },
        "athena-table": { type: "string" },
        "athena-workgroup": { type: "string" },
        "athena-output": { type: "string" },
      },
      strict: true,
    });
    const runDate = runDateFor(values.from, values.to, io.today);
    if (typeof runDate !== "string") {
      io.err(`${runDate.error}\n\n${reconcile.usage}`);
      return EXIT.usage;
    }
    if (!isCostMetric(values.metric)) {
      io.err(`--metric must be one of ${COST_METRICS.join(", ")}, got "${values.metric}"`);
      return EXIT.usage;
    }
    const choice: CostSourceChoice | { error: string } = costSourceChoice(
      { ...values, metric: values.metric },
      io.cwd,
    );
    if ("error" in choice) {
      io.err(`${choice.error}\n\n${reconcile.usage}`);
      return EXIT.usage;
    }
    const topic = values.topic ?? io.env[TOPIC_ENV];
    if (values.notify && (topic === undefined || topic === "")) {
      io.err(`--notify needs an SNS topic: pass --topic ARN or set ${TOPIC_ENV}`);
      return EXIT.usage;
    }

    const registry = loadRegistryOrExit(values.registry, io);
    if (typeof registry === "number") return registry;

    const aws = clientConfig(io);
    const costExplorer = createCostExplorerClient(aws);
    // A local export needs no AWS at all; everything else reads AWS with the user's credentials.
    const missing =
      choice.kind === "cur-folder"
        ? undefined
        : await missingCredentials(costExplorer, `reconcile reads ${readsFrom(choice)}`);
    if (missing !== undefined) {
      io.err(`error: ${missing}`);
      return EXIT.usage;
    }
    let report: Report;
    try {
      report = await withCostSource(
        choice,
        {
          aws,
          runDate,
          tagKey: registry.settings.tagKeys.workflow,
          metric: values.metric as CostMetric,
          costExplorer: () => costExplorerSource(costExplorer),
          onFetched: (fetched) =>
            io.err(
              `fetched ${fetched.objects} object(s), ${fetched.bytes} bytes, of ${fetched.source} (billing periods ${fetched.periods.map((p) => p.period).join(", ")})`,
            ),
        },
        (source) =>
          runReconciliation({
            registry,
            source,
            runDate,
            metric: values.metric as CostMetric,
            groupByAccount: values["by-account"],
            volume: cloudWatchVolume(new CloudWatchClient(aws)),
            metrics: cloudWatchMetrics(new CloudWatchClient(aws)),
            // The unit-price trigger's monthly usage types: one Cost Explorer query (CUR: from its lines).
            ...(choice.kind === "cost-explorer"
              ? { usageTypes: costExplorerUsageTypes(costExplorer) }
              : {}),
            log: {
              info: () => undefined,
              warn: (message, attributes) =>
                io.err(`warning: ${message}${attributes ? ` ${JSON.stringify(attributes)}` : ""}`),
            },
          }),
      );
    } catch (error) {
      io.err(`error: reconciliation failed: ${(error as Error).message ?? String(error)}`);
      return EXIT.usage;
    }

    if (values.out !== undefined) {
      const dir = resolve(io.cwd, values.out);
      try {
        makeDirectory(dir);
        writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
        writeFileSync(join(dir, "report.csv"), renderCsv(report));
      } catch (error) {
        io.err(`error: cannot write the report to ${dir}: ${(error as Error).message}`);
        return EXIT.usage;
      }
    }
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else io.out(renderSpendSummary(report, registry.source, io));
    if (values.out !== undefined && !values.json)
      io.out(`\nwrote report.json and report.csv to ${values.out}`);

    if (values.notify) {
      const publisher = snsPublisher(new SNSClient(aws), topic!);
      let failed = 0;
      for (const message of composeMessages(report, registry)) {
        const what =
          message.kind === "owner-digest"
            ? `digest for ${message.workflowIds.join(", ")}`
            : "unowned summary";
        try {
          await publisher.publish(message);
          io.err(`sent ${what}`);
        } catch (error) {
          failed += 1;
          io.err(`error: ${what} not sent: ${(error as Error).message}`);
        }
      }
      if (failed > 0) return EXIT.usage;
    }
    return EXIT.ok;
  },
};

/** The run date (exclusive end) for --from / --to, or a usage error. */
export function runDateFor(
  from: string | undefined,
  to: string | undefined,
  today: string,
): string | { error: string } {
  for (const [flag, value] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (value !== undefined && !isCalendarDate(value)) {
      return { error: `${flag} "${value}" is not a date: write it as YYYY-MM-DD` };
    }
  }
  if (to !== undefined && to > today) {
    // The run date itself is never counted; a later one would count today's partial figures
    // and days that have not happened as a complete month.
    return { error: `--to must be no later than today, ${today} (today's figures are partial)` };
  }
  if (from === undefined) return to ?? today;
  if (!from.endsWith("-01")) {
    return {
      error: `--from must be the first day of a month (a report covers a month to date), e.g. ${from.slice(0, 8)}01`,
    };
  }
  const nextMonth = `${addDays(`${from.slice(0, 8)}28`, 4).slice(0, 8)}01`;
  const end = to ?? (nextMonth < today ? nextMonth : today);
  if (end <= from || end > nextMonth) {
    return {
      error: `--to must fall after --from and no later than ${nextMonth} (the day after the month's end)`,
    };
  }
  return end;
}

/** The service a cost source choice reads with the user's credentials. */
function readsFrom(choice: CostSourceChoice): string {
  return choice.kind === "athena" ? "Athena" : choice.kind === "cur-s3" ? "S3" : "Cost Explorer";
}
