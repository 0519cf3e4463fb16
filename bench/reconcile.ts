/**
 * Reconciliation at organisation scale: N workflows x D days x S services of daily Cost
 * Explorer rows, served page by page by the local endpoint in another process, reconciled by the
 * real source and core in a third. Also counts the requests the data needs at the least, and what
 * a per-workflow query plan would make.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { datasetRows, syntheticDataset } from "../src/local-aws/datasets";
import type { SyntheticOptions } from "../src/local-aws/datasets";
import { periodFor } from "../src/reconciler";
import { buildWorkers } from "./build-workers";
import { lastJsonLine, runNode } from "./child";
import { median } from "./stats";

/** AWS's price of one Cost Explorer API request, in USD. */
export const CE_REQUEST_USD = 0.01;

export interface ReconcileRun {
  readonly totalMs: number;
  readonly fetchMs: number;
  readonly computeMs: number;
  readonly ceRequests: number;
  readonly workflows: number;
  readonly readyRssBytes: number;
  readonly peakRssBytes: number;
}

export interface ReconcileResult {
  readonly workflows: number;
  readonly days: number;
  readonly services: number;
  readonly rows: number;
  readonly groupsPerPage: number;
  readonly totalMs: number;
  readonly fetchMs: number;
  readonly computeMs: number;
  readonly computeNsPerRow: number;
  readonly peakRssBytes: number;
  /** The worker's resident memory before the run (Node, the SDK, the registry). */
  readonly readyRssBytes: number;
  readonly requests: {
    readonly made: number;
    readonly minimum: number;
    readonly perWorkflowPlan: number;
  };
  readonly dollars: {
    readonly made: number;
    readonly minimum: number;
    readonly perWorkflowPlan: number;
  };
}

/** Groups the query's window holds, in all and per tag value (a group = day x tag x service). */
function countGroups(bill: SyntheticOptions, start: string, end: string) {
  const dataset = syntheticDataset(bill);
  const perTag = new Map<string, number>();
  let total = 0;
  let day = "";
  let seen = new Set<string>();
  for (const row of datasetRows(dataset, start, end)) {
    if (row.date !== day) {
      day = row.date;
      seen = new Set();
    }
    const key = `${row.tag ?? ""}\u0000${row.service}`;
    if (seen.has(key)) continue; // rows of one group are summed into it
    seen.add(key);
    total += 1;
    if (row.tag !== null) perTag.set(row.tag, (perTag.get(row.tag) ?? 0) + 1);
  }
  return { total, perTag };
}

async function startServer(
  script: string,
  options: unknown,
): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [script, JSON.stringify(options)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the local Cost Explorer exited (${code})`)));
    lines.once("line", (line) => resolve((JSON.parse(line) as { endpoint: string }).endpoint));
  });
  child.removeAllListeners("exit");
  return { child, endpoint };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin!.end();
  const timer = setTimeout(() => child.kill(), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function reconciliation(options: {
  workflows: number;
  services: number;
  runDate: string;
  groupsPerPage: number;
  runs: number;
}): Promise<ReconcileResult> {
  const workers = await buildWorkers();
  // The query's window (the reported month and the one before): the bill covers exactly it.
  const period = periodFor(options.runDate);
  const bill: SyntheticOptions = {
    start: period.lastMonthStart,
    days: Math.round((Date.parse(period.end) - Date.parse(period.lastMonthStart)) / 86_400_000),
    workflows: options.workflows,
    services: options.services,
  };
  const groups = countGroups(bill, period.lastMonthStart, period.end);
  const server = await startServer(workers.costExplorerServer, {
    bill,
    groupsPerPage: options.groupsPerPage,
  });
  const runs: ReconcileRun[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const run = await runNode([
        workers.reconcile,
        JSON.stringify({
          endpoint: server.endpoint,
          workflows: options.workflows,
          runDate: options.runDate,
        }),
      ]);
      runs.push(lastJsonLine<ReconcileRun>(run));
    }
  } finally {
    await stopServer(server.child);
  }
  const made = runs[0]!.ceRequests;
  const minimum = Math.ceil(groups.total / options.groupsPerPage);
  let perWorkflowPlan = 0;
  for (let i = 0; i < options.workflows; i++) {
    const id = `wf-${String(i + 1).padStart(4, "0")}`;
    // One query per workflow, filtered on its tag, each paginated; an empty answer is a request too.
    perWorkflowPlan += Math.max(1, Math.ceil((groups.perTag.get(id) ?? 0) / options.groupsPerPage));
  }
  const computeMs = median(runs.map((r) => r.computeMs));
  return {
    workflows: options.workflows,
    days: bill.days,
    services: options.services,
    rows: groups.total,
    groupsPerPage: options.groupsPerPage,
    totalMs: median(runs.map((r) => r.totalMs)),
    fetchMs: median(runs.map((r) => r.fetchMs)),
    computeMs,
    computeNsPerRow: (computeMs * 1e6) / groups.total,
    peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
    readyRssBytes: median(runs.map((r) => r.readyRssBytes)),
    requests: { made, minimum, perWorkflowPlan },
    dollars: {
      made: made * CE_REQUEST_USD,
      minimum: minimum * CE_REQUEST_USD,
      perWorkflowPlan: perWorkflowPlan * CE_REQUEST_USD,
    },
  };
}
