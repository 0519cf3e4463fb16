/**
 * The demo end to end, as data: the four stages on the files shipped in the repository, then
 * the report files. The `demo` command prints the result; tests assert on it.
 *
 *   1. the registry (already loaded by the caller: an invalid one stops everything);
 *   2. the policy gate on `examples/preview.json`, as `check` runs it;
 *   3. the stack program under Pulumi's mocks: budgets, anomaly monitors, alarms, subscriptions;
 *   4. the reconciliation of the recorded bill through the local Cost Explorer;
 *   5. the same month from the shipped CUR 2.0 export, read by DuckDB: per-model economics,
 *      and the check that the two sources agree.
 *   6. the audit and the doctor on a recorded account through the local AWS.
 */
import { join, relative } from "node:path";
import type { CheckReport } from "../check";
import type { Report } from "../reconciler";
import { findWorkflow } from "../registry";
import type { Registry } from "../registry";
import { GUARD_WORKFLOW } from "../../stacks/components/tags";
import { runAccountChecks } from "./account-checks";
import type { AccountChecksResult } from "./account-checks";
import { demoDataset } from "./examples";
import type { ExampleFiles } from "./examples";
import {
  reconcileCurOffline,
  reconcileOffline,
  sourceDisagreements,
} from "./offline-reconciliation";
import { runPolicyGate } from "./policy-gate";
import { OutputDirError, prepareOutputDir, writeReportFiles } from "./report-files";
import { AS_OF, DEMO_GROUPS_PER_PAGE, scenarioMetrics } from "./scenario";
import { previewStackListing } from "./stack-listing";
import type { StackListing } from "./stack-listing";

/** The three report files of one reconciliation, as displayed. */
export interface ReportFiles {
  readonly json: string;
  readonly csv: string;
  readonly html: string;
}

/** Stage 5's report files go into this folder of the output directory. */
export const CUR_REPORT_DIR = "cur";

export interface DemoOptions {
  readonly registry: Registry;
  /** Absolute path of the registry file (the stack program reads it again, as Pulumi would). */
  readonly registryPath: string;
  readonly examples: ExampleFiles;
  /** Absolute output directory. */
  readonly outDir: string;
  /** Paths are shown relative to this directory. */
  readonly cwd: string;
  /** What the demo is doing, for a terminal (stage starts and each page of cost data). */
  readonly onProgress?: (message: string) => void;
}

export interface DemoResult {
  /** The fixed day the demo runs on. */
  readonly asOf: string;
  readonly policy: CheckReport;
  readonly stack: StackListing;
  readonly reconciliation: Report;
  /** Stage 5: the same month from the CUR 2.0 export (DuckDB), with models per workflow. */
  readonly curReconciliation: Extract<Report, { source: "cur" }>;
  /** Fields on which the two reports differ (empty: the sources agree). */
  readonly disagreements: readonly string[];
  /**
   * The report files written, as displayed (relative to the working directory): stage 4's, and
   * in `cur` stage 5's (in the `cur` folder of the output directory).
   */
  readonly files: ReportFiles & { readonly cur: ReportFiles };
  /** Cost rows in the recorded bill (what the local Cost Explorer served from). */
  readonly billRows: number;
  /** The CUR export folder, as displayed. */
  readonly curExport: string;
  /** The audit and the doctor on the recorded account. */
  readonly account: AccountChecksResult;
}

/**
 * Why the demo cannot run on `registry`, in the demo's words, or undefined. The stack tags the
 * guard's own resources with its workflow; the stack's own error would suggest a stack config
 * key, which the demo has no way to take.
 */
export function demoRegistryProblem(registry: Registry): string | undefined {
  if (findWorkflow(registry, GUARD_WORKFLOW) !== undefined) return undefined;
  return (
    `${registry.source} has no workflow "${GUARD_WORKFLOW}": the demo's stack tags the guard's own ` +
    `resources with it; add it to the registry (copy the ${GUARD_WORKFLOW} workflow of the example workflows.yaml)`
  );
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const progress = options.onProgress ?? (() => undefined);
  const show = (path: string) => displayPath(path, options.cwd);
  prepareOutputDir(options.outDir);
  const curDir = join(options.outDir, CUR_REPORT_DIR);
  try {
    prepareOutputDir(curDir);
  } catch (error) {
    // Named as the --out the user gave: an --out that is a file fails here, at its cur folder.
    throw error instanceof OutputDirError ? new OutputDirError(options.outDir, error.cause) : error;
  }

  progress(`policy gate: checking ${show(options.examples.preview)}`);
  const policy = runPolicyGate(
    options.examples.preview,
    show(options.examples.preview),
    options.registry,
    AS_OF,
  );

  progress("stack: running the Pulumi program under mocks");
  const stack = await previewStackListing(options.registryPath, options.cwd);

  const { dataset, rows } = demoDataset(options.examples.bill, show(options.examples.bill));
  progress(`cost data: serving ${rows.length} rows of ${show(options.examples.bill)} locally`);
  // Both stages read the same CloudWatch: volume, outcomes per model and the review queue.
  const metrics = scenarioMetrics();
  const reconciliation = await reconcileOffline({
    registry: options.registry,
    dataset,
    metrics,
    runDate: AS_OF,
    groupsPerPage: DEMO_GROUPS_PER_PAGE,
    onPage: (page, pageRows) => progress(`cost data: page ${page}, ${pageRows} rows`),
  });

  progress(`CUR: reconciling ${show(options.examples.curExport)} with DuckDB`);
  const curReconciliation = await reconcileCurOffline({
    registry: options.registry,
    dir: options.examples.curExport,
    metrics,
    runDate: AS_OF,
  });

  progress(`account: auditing ${show(options.examples.auditAccount)} through the local AWS`);
  const account = await runAccountChecks({
    registry: options.registry,
    today: AS_OF,
    accountFile: options.examples.auditAccount,
    stackExportFile: options.examples.auditStackExport,
    stackExportName: show(options.examples.auditStackExport),
    // The CUR report: its unowned spend names the calling role (the gateway-role case), which
    // Cost Explorer cannot.
    report: curReconciliation,
  });

  const write = (dir: string, report: Report): ReportFiles => {
    const [json, csv, html] = writeReportFiles(
      dir,
      report,
      options.registry.settings.unownedSpendContact,
    ).map(show) as [string, string, string];
    return { json, csv, html };
  };
  const files = write(options.outDir, reconciliation);
  const curFiles = write(curDir, curReconciliation);
  return {
    asOf: AS_OF,
    policy,
    stack,
    reconciliation,
    curReconciliation,
    disagreements: sourceDisagreements(reconciliation, curReconciliation),
    files: { ...files, cur: curFiles },
    billRows: rows.length,
    curExport: show(options.examples.curExport),
    account,
  };
}

/** `path` relative to `cwd` when it is inside it, else as given. */
export function displayPath(path: string, cwd: string): string {
  const shown = relative(cwd, path);
  return shown === "" || shown.startsWith("..") ? path : shown;
}
