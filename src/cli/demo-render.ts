/**
 * The demo for people (a terminal) and for machines (`--json`, one document for all five
 * stages). Each stage reuses the renderer of the command that owns it, so the demo prints what
 * `validate`, `check` and `reconcile` print.
 */
import type { DemoResult } from "../demo/run-demo";
import type { StackListing } from "../demo/stack-listing";
import { registryWarnings } from "../registry";
import type { Registry } from "../registry";
import { countOf } from "../util/plural";
import { printable } from "../util/printable";
import { wrap } from "../util/wrap";
import { renderAudit, renderDoctor } from "./audit-render";
import { renderModelOutcomes } from "./demo-model-outcomes";
import { renderPolicySummary } from "./demo-policy-summary";
import { styler } from "./io";
import type { Io } from "./io";
import { formatBytes, renderModelEconomics, renderSpendSummary } from "./spend-summary";
import { renderTable } from "./table";
import { renderWorkflowMap, workflowMap } from "./workflow-map";

export function renderDemo(result: DemoResult, registry: Registry, io: Io): string {
  const style = styler(io);
  const heading = (text: string) => style("bold", style("cyan", text));
  const { policy, stack, reconciliation: report } = result;
  return [
    style(
      "bold",
      `ai-spend-guard demo: the whole loop offline, on the examples in the repository, as of ${result.asOf}`,
    ),
    "",
    heading(
      `1. The workflow registry: ${countOf(registry.workflows.length, "workflow")} in ${printable(registry.source)}`,
    ),
    "",
    renderWorkflowMap(registry),
    ...registryWarnings(registry, result.asOf).map(
      (w) => `${style("yellow", "warning")} ${printable(w.path)}: ${printable(w.message)}`,
    ),
    "",
    heading(`2. The policy gate: ai-spend-guard check ${policy.source}`),
    "",
    renderPolicySummary(policy, io),
    "",
    heading(
      `3. What the stack would create for this registry (the Pulumi program under mocks, nothing deployed): ${stack.resources} resources`,
    ),
    "",
    renderStack(stack),
    "",
    heading(
      `4. The bill reconciled by workflow and owner (${result.billRows} rows served by a local Cost Explorer, read with the real SDK client)`,
    ),
    "",
    renderSpendSummary(report, registry.source, io),
    "",
    heading(
      `5. The same month from the CUR 2.0 export (${printable(result.curExport)}, read by DuckDB in-process): what each workflow's models cost`,
    ),
    "",
    renderModelEconomics(result.curReconciliation) ||
      "No registered workflow has model spend in the export.",
    "",
    ...section(renderModelOutcomes(result.curReconciliation)),
    `CUR query on duckdb: ${formatBytes(result.curReconciliation.query.bytesScanned)} scanned; Cost Explorer requests: 0`,
    result.disagreements.length === 0
      ? `${style("green", "agree")}: Cost Explorer and CUR give the same spend, attribution, unowned and unregistered spend and review cost for every workflow`
      : `${style("red", "disagree")}: Cost Explorer and CUR differ on ${result.disagreements.join(", ")}`,
    "",
    heading(
      "6. The account audit and the attribution doctor (a recorded account, examples/audit/, served by a local Resource Explorer, Tagging API, Cost Explorer, Data Exports and IAM, read with the real SDK clients)",
    ),
    "",
    renderAudit(result.account.audit, io, result.account.auditCalls),
    "",
    renderDoctor(result.account.doctor, io, result.account.doctorCalls),
    "",
    `${style("green", "wrote")} ${result.files.json}, ${result.files.csv}, ${result.files.html} (open the HTML in a browser)`,
    `${style("green", "wrote")} ${result.files.cur.json}, ${result.files.cur.csv}, ${result.files.cur.html} (stage 5, from the CUR export)`,
  ].join("\n");
}

/** A block and the blank line after it, or nothing when the block is empty. */
function section(text: string): string[] {
  return text === "" ? [] : [text, ""];
}

function renderStack(stack: StackListing): string {
  const lines: string[] = [];
  lines.push(
    `Budgets (${stack.budgets.length}): monthly, on the workflow's cost allocation tag`,
    renderTable(
      [
        { header: "BUDGET" },
        { header: "LIMIT", align: "right" },
        { header: "ALERTS" },
        { header: "SUBSCRIBERS" },
      ],
      stack.budgets.map((b) =>
        [b.name, `${b.limit} ${b.currency}`, b.thresholds.join(", "), b.subscribers.join(", ")].map(
          (text) => printable(text),
        ),
      ),
    ),
    "",
    `Cost anomaly monitors (${stack.anomalyMonitors.length}) and their subscriptions (${stack.anomalySubscriptions.length})`,
    renderTable(
      [{ header: "MONITOR" }, { header: "WATCHES" }],
      stack.anomalyMonitors.map((m) => [m.name, m.watches].map((line) => printable(line))),
    ),
    "",
    renderTable(
      [
        { header: "SUBSCRIPTION" },
        { header: "FREQUENCY" },
        { header: "IMPACT" },
        { header: "SUBSCRIBERS" },
      ],
      stack.anomalySubscriptions.map((s) =>
        [s.name, s.frequency, s.minimumImpact ?? "any", s.subscribers.join(", ")].map((line) =>
          printable(line),
        ),
      ),
    ),
    "",
    `Alarms (${stack.alarms.length})`,
    renderTable(
      [{ header: "ALARM" }, { header: "WHEN" }, { header: "MEANS" }],
      stack.alarms.map((a) => [a.name, a.condition, a.description]),
    ),
    "",
    `Topic subscriptions (${stack.subscriptions.length}): each recipient confirms once by email`,
    renderTable(
      [{ header: "TOPIC" }, { header: "PROTOCOL" }, { header: "ENDPOINT" }, { header: "FILTER" }],
      stack.subscriptions.map((s) =>
        [s.topic, s.protocol, s.endpoint, s.filter ?? "-"].map((line) => printable(line)),
      ),
    ),
    "",
    ...wrap(
      `Also: ${Object.entries(stack.others)
        .map(([type, count]) => `${count} ${shortType(type)}`)
        .join(", ")}`,
      100,
    ),
  );
  return lines.join("\n");
}

/** `aws:sns/topic:Topic` -> `sns/topic`. */
function shortType(type: string): string {
  const [, module] = type.split(":");
  return module ?? type;
}

/** The `--json` document: every stage, as each command's own JSON contract. */
export function demoJson(result: DemoResult, registry: Registry): unknown {
  return {
    asOf: result.asOf,
    registry: {
      source: registry.source,
      workflows: workflowMap(registry),
      warnings: registryWarnings(registry, result.asOf),
    },
    policy: result.policy,
    stack: result.stack,
    reconciliation: result.reconciliation,
    curReconciliation: result.curReconciliation,
    disagreements: result.disagreements,
    audit: { ...result.account.audit, apiCalls: result.account.auditCalls },
    doctor: { ...result.account.doctor, apiCalls: result.account.doctorCalls },
    files: result.files,
  };
}
