/**
 * Reconciliation at organisation scale: N workflows x D days x S services of daily Cost
 * Explorer rows with both attribution routes (model calls by each workflow's tagged role, calls
 * through its tagged inference profile, a conflict, an untagged gateway), served page by page by
 * the local endpoint in another process, reconciled by the real source and core in a third: once
 * with the resource tag only (the single query) and once with both routes (the three-query plan),
 * alternately, in the same run. Also counts the requests the data needs at the least, and what a
 * per-workflow query plan would make.
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
  readonly principalTagSpend: number;
  readonly conflicts: number;
}

/** One plan's figures (medians over the runs). */
export interface PlanFigures {
  readonly totalMs: number;
  readonly fetchMs: number;
  readonly computeMs: number;
  readonly computeNsPerRow: number;
  readonly peakRssBytes: number;
  /** The worker's resident memory before the run (Node, the SDK, the registry). */
  readonly readyRssBytes: number;
  readonly ceRequests: number;
  readonly principalTagSpend: number;
  readonly conflicts: number;
}

export interface ReconcileResult {
  readonly workflows: number;
  readonly days: number;
  readonly services: number;
  /** Groups of the resource-tag query (Q1): day x resource tag value x service. */
  readonly rows: number;
  /** Groups of the principal-tag query (Q2) and of the tag-pair query (Q3). */
  readonly principalRows: number;
  readonly pairRows: number;
  readonly groupsPerPage: number;
  /** The resource tag only: one query, as before the principal route (`principalTags: false`). */
  readonly singleRoute: PlanFigures;
  /** Both routes: the three-query plan, on the same bill in the same run. */
  readonly bothRoutes: PlanFigures;
  readonly requests: {
    readonly made: number;
    readonly minimum: number;
    readonly singleQuery: number;
    readonly perWorkflowPlan: number;
  };
  readonly dollars: {
    readonly made: number;
    readonly minimum: number;
    readonly singleQuery: number;
    readonly perWorkflowPlan: number;
  };
}

/**
 * Groups each query of the plan carries in the window: Q1 (day x resource tag x service), Q2
 * (day x caller's tag x service, lines without a resource tag), Q3 (resource tag x caller's tag,
 * both present, the reported month); and Q1's groups per resource tag value.
 */
function countGroups(bill: SyntheticOptions, start: string, end: string, monthStart: string) {
  const dataset = syntheticDataset(bill);
  const perTag = new Map<string, number>();
  let total = 0;
  let principal = 0;
  const pairs = new Set<string>();
  let day = "";
  let seen = new Set<string>();
  for (const row of datasetRows(dataset, start, end)) {
    if (row.date !== day) {
      day = row.date;
      seen = new Set();
    }
    const caller = row.principalTag ?? null;
    if (row.tag !== null && caller !== null && row.date >= monthStart) {
      pairs.add(`${row.tag}\u0000${caller}`);
    }
    if (row.tag === null) {
      const key = `p\u0000${caller ?? ""}\u0000${row.service}`;
      if (!seen.has(key)) {
        seen.add(key);
        principal += 1;
      }
    }
    const key = `r\u0000${row.tag ?? ""}\u0000${row.service}`;
    if (seen.has(key)) continue; // rows of one group are summed into it
    seen.add(key);
    total += 1;
    if (row.tag !== null) perTag.set(row.tag, (perTag.get(row.tag) ?? 0) + 1);
  }
  return { total, principal, pairs: pairs.size, perTag };
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
    // Model calls by each workflow's role, through its profile, a conflict, an untagged gateway.
    principalRoute: true,
  };
  const groups = countGroups(bill, period.lastMonthStart, period.end, period.start);
  const server = await startServer(workers.costExplorerServer, {
    bill,
    groupsPerPage: options.groupsPerPage,
  });
  const single: ReconcileRun[] = [];
  const both: ReconcileRun[] = [];
  try {
    // Alternated, so that a noisy neighbour slows both plans alike.
    for (let i = 0; i < options.runs; i++) {
      for (const [principalTags, runs] of [
        [false, single],
        [true, both],
      ] as const) {
        const run = await runNode([
          workers.reconcile,
          JSON.stringify({
            endpoint: server.endpoint,
            workflows: options.workflows,
            runDate: options.runDate,
            principalTags,
          }),
        ]);
        runs.push(lastJsonLine<ReconcileRun>(run));
      }
    }
  } finally {
    await stopServer(server.child);
  }
  const pages = (n: number) => Math.max(1, Math.ceil(n / options.groupsPerPage));
  const made = both[0]!.ceRequests;
  const singleQuery = single[0]!.ceRequests;
  const minimum = pages(groups.total) + pages(groups.principal) + pages(groups.pairs);
  let perWorkflowPlan = 0;
  for (let i = 0; i < options.workflows; i++) {
    const id = `wf-${String(i + 1).padStart(4, "0")}`;
    // One query per workflow, filtered on its tag, each paginated; an empty answer is a request too.
    perWorkflowPlan += pages(groups.perTag.get(id) ?? 0);
  }
  const figures = (runs: readonly ReconcileRun[], rows: number): PlanFigures => {
    const computeMs = median(runs.map((r) => r.computeMs));
    return {
      totalMs: median(runs.map((r) => r.totalMs)),
      fetchMs: median(runs.map((r) => r.fetchMs)),
      computeMs,
      computeNsPerRow: (computeMs * 1e6) / rows,
      peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
      readyRssBytes: median(runs.map((r) => r.readyRssBytes)),
      ceRequests: runs[0]!.ceRequests,
      principalTagSpend: runs[0]!.principalTagSpend,
      conflicts: runs[0]!.conflicts,
    };
  };
  return {
    workflows: options.workflows,
    days: bill.days,
    services: options.services,
    rows: groups.total,
    principalRows: groups.principal,
    pairRows: groups.pairs,
    groupsPerPage: options.groupsPerPage,
    singleRoute: figures(single, groups.total),
    bothRoutes: figures(both, groups.total + groups.principal + groups.pairs),
    requests: { made, minimum, singleQuery, perWorkflowPlan },
    dollars: {
      made: made * CE_REQUEST_USD,
      minimum: minimum * CE_REQUEST_USD,
      singleQuery: singleQuery * CE_REQUEST_USD,
      perWorkflowPlan: perWorkflowPlan * CE_REQUEST_USD,
    },
  };
}
