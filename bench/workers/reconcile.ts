/**
 * One reconciliation, measured from inside its own process: the real Cost Explorer source and
 * SDK client against the local endpoint, the time split into fetch (waiting for pages, reading
 * them) and compute (aggregating, building the report), and the process's peak memory.
 * Prints one JSON line.
 */
import { performance } from "node:perf_hooks";
import { costExplorerSource, createCostExplorerClient } from "../../src/reconciler/aws";
import { runReconciliation } from "../../src/reconciler";
import type { CostSource } from "../../src/reconciler";
import { benchRegistry } from "../registry";

interface Options {
  readonly endpoint: string;
  readonly workflows: number;
  readonly runDate: string;
  /** Both routes (the three-query plan), or the resource tag only (one query). */
  readonly principalTags: boolean;
}

/** The same source, with the time spent waiting for each page added to `clock.fetchMs`. */
function timed(source: CostSource, clock: { fetchMs: number }): CostSource {
  return {
    name: source.name,
    kind: source.kind,
    fetch(query, options) {
      const inner = source.fetch(query, options);
      return {
        get stats() {
          return inner.stats;
        },
        get tagPairs() {
          return inner.tagPairs;
        },
        [Symbol.asyncIterator]() {
          const pages = inner[Symbol.asyncIterator]();
          return {
            async next() {
              const started = performance.now();
              try {
                return await pages.next();
              } finally {
                clock.fetchMs += performance.now() - started;
              }
            },
          };
        },
      };
    },
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as Options;
  const registry = benchRegistry(options.workflows, options.principalTags);
  const client = createCostExplorerClient({
    endpoint: options.endpoint,
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
  });
  const clock = { fetchMs: 0 };
  const source = timed(costExplorerSource(client), clock);
  // What the process holds before the run: Node, the SDK, the registry.
  const readyRssBytes = process.memoryUsage().rss;
  const started = performance.now();
  const report = await runReconciliation({
    registry,
    source,
    runDate: options.runDate,
    now: () => new Date(`${options.runDate}T06:00:00Z`),
  });
  const totalMs = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({
      totalMs,
      fetchMs: clock.fetchMs,
      computeMs: totalMs - clock.fetchMs,
      ceRequests: report.ceRequests,
      workflows: report.workflows.length,
      principalTagSpend: report.attribution.principalTag,
      conflicts: report.attribution.conflicts.length,
      readyRssBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}

void main();
