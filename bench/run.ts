/**
 * `npm run bench`: every figure of the Performance section of the README, each against a
 * baseline measured in the same run (absolute times on shared machines drift; ratios hold).
 * Prints a table and writes bench/results.json. Not part of `npm test`.
 */
import { cpus } from "node:os";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { lambdaBundle } from "./bundle";
import { offlineCheck } from "./check";
import { packStart, policyThroughput } from "./pack";
import { curEngine } from "./cur";
import { reconciliation } from "./reconcile";
import { MiB, round } from "./stats";

const GiB = 1024 * MiB;

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | undefined;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
const x = (ratio: number) => `${ratio.toFixed(2)}x`;

function printTable(rows: readonly Row[]): void {
  const header = ["FIGURE", "VALUE", "BASELINE (SAME RUN)", "RATIO", "TARGET", ""];
  const cells = rows.map((r) => [
    r.figure,
    r.value,
    r.baseline,
    r.ratio,
    r.target,
    r.met === undefined ? "" : r.met ? "met" : "MISSED",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const step = (name: string) => console.error(`bench: ${name}...`);
  step("pack start (shipped vs ts-node)");
  const start = await packStart({ shipped: 5, tsNode: 3, floor: 5 });
  step("policy throughput (10,000 Analyze calls, guard vs empty pack)");
  const throughput = await policyThroughput(10_000);
  step("offline check (10,000-resource stack export)");
  const check = await offlineCheck(10_000, 3);
  // AI_SPEND_GUARD_BENCH_WORKFLOWS scales the reconciliation down on a slow machine.
  const workflows = Number(process.env.AI_SPEND_GUARD_BENCH_WORKFLOWS ?? 1_000);
  step(`reconciliation (${workflows} workflows x 60 days x 20 services, one route and both)`);
  const reconcile = await reconciliation({
    workflows,
    services: 20,
    runDate: "2028-03-01", // reports February 2028: the query spans 1 January - 29 February
    groupsPerPage: 5_000,
    runs: 3,
  });
  const single = reconcile.singleRoute;
  const both = reconcile.bothRoutes;
  const rowsLabel = `${(reconcile.rows / 1e6).toFixed(1)} M rows`;
  step("CUR 2.0 on DuckDB (10 M line items, generated into a temporary folder)");
  const cur = await curEngine({
    lines: 10_000_000,
    workflows: 1_000,
    models: 40,
    files: 4,
    runs: 3,
  });
  step("Lambda bundle");
  const bundle = await lambdaBundle(7);

  const rows: Row[] = [
    {
      figure: "pack start, shipped entry",
      value: ms(start.shippedMs),
      baseline: `ts-node ${ms(start.tsNodeMs)}`,
      ratio: x(start.ratio),
      target: "<= 0.25x",
      met: start.ratio <= 0.25,
    },
    {
      figure: "  above the empty pack's start",
      value: ms(start.shippedMs - start.floorMs),
      baseline: `ts-node ${ms(start.tsNodeMs - start.floorMs)} (floor ${ms(start.floorMs)})`,
      ratio: x((start.shippedMs - start.floorMs) / (start.tsNodeMs - start.floorMs)),
      target: "",
      met: undefined,
    },
    {
      figure: "Analyze, per resource (mean)",
      value: `${ms(throughput.guard.meanMs)} (${throughput.guard.resourcesPerSecond.toFixed(0)}/s)`,
      baseline: `empty pack ${ms(throughput.floor.meanMs)} (${throughput.floor.resourcesPerSecond.toFixed(0)}/s)`,
      ratio: x(throughput.ratio),
      target: "<= 1.5x",
      met: throughput.ratio <= 1.5,
    },
    {
      figure: "Analyze p50 / p99",
      value: `${ms(throughput.guard.p50Ms)} / ${ms(throughput.guard.p99Ms)}`,
      baseline: `${ms(throughput.floor.p50Ms)} / ${ms(throughput.floor.p99Ms)}`,
      ratio: x(throughput.p50Ratio),
      target: "",
      met: undefined,
    },
    {
      figure: "AnalyzeStack, 10,000 resources",
      value: ms(throughput.guard.analyzeStackMs),
      baseline: `empty pack ${ms(throughput.floor.analyzeStackMs)}`,
      ratio: x(throughput.analyzeStackRatio),
      target: "",
      met: undefined,
    },
    {
      figure: "check, 10,000-resource export",
      value: `${ms(check.ms)}, ${mib(check.peakRssBytes)}`,
      baseline: `JSON.parse only ${ms(check.floorMs)}, ${mib(check.floorPeakRssBytes)}`,
      ratio: `${x(check.timeRatio)}, ${x(check.memoryRatio)}`,
      target: "",
      met: undefined,
    },
    {
      figure: `reconcile ${rowsLabel}, resource tag only, compute`,
      value: ms(single.computeMs),
      baseline: `fetch ${ms(single.fetchMs)}`,
      ratio: x(single.computeMs / single.fetchMs),
      target: "< 5,000 ms",
      met: single.computeMs < 5_000,
    },
    {
      figure: `reconcile ${rowsLabel}, both routes, compute`,
      value: ms(both.computeMs),
      baseline: `resource tag only ${ms(single.computeMs)} (fetch ${ms(both.fetchMs)})`,
      ratio: x(both.computeMs / single.computeMs),
      target: "< 5,000 ms",
      met: both.computeMs < 5_000,
    },
    {
      figure: `reconcile ${rowsLabel}, peak memory`,
      value: `both ${mib(both.peakRssBytes)}`,
      baseline: `resource tag only ${mib(single.peakRssBytes)}; before the run ${mib(single.readyRssBytes)}`,
      ratio: x(both.peakRssBytes / single.peakRssBytes),
      target: "< 1,024 MiB",
      met: both.peakRssBytes < GiB,
    },
    {
      figure: "Cost Explorer requests, both routes",
      value: `${reconcile.requests.made} ($${reconcile.dollars.made.toFixed(2)})`,
      baseline: `single query ${reconcile.requests.singleQuery} ($${reconcile.dollars.singleQuery.toFixed(2)}); minimum ${reconcile.requests.minimum}; per workflow ${reconcile.requests.perWorkflowPlan} ($${reconcile.dollars.perWorkflowPlan.toFixed(2)})`,
      ratio: x(reconcile.requests.made / reconcile.requests.singleQuery),
      target: "= minimum",
      met: reconcile.requests.made === reconcile.requests.minimum,
    },
    {
      figure: "CUR 10 M lines, DuckDB engine",
      value: ms(cur.engine.ms),
      baseline: `bare GROUP BY ${ms(cur.floor.ms)}`,
      ratio: x(cur.timeRatio),
      target: "<= 1.5x",
      met: cur.timeRatio <= 1.5,
    },
    {
      figure: "  vs its own SQL inside DuckDB",
      value: ms(cur.engine.ms),
      baseline: `same SQL ${ms(cur.sameSql.ms)}`,
      ratio: x(cur.sameSqlRatio),
      target: "",
      met: undefined,
    },
    {
      figure: "CUR 10 M lines, peak memory",
      value: mib(cur.engine.peakRssBytes),
      baseline: `bare GROUP BY ${mib(cur.floor.peakRssBytes)}`,
      ratio: x(cur.memoryRatio),
      target: "< 1,024 MiB",
      met: cur.engine.peakRssBytes < GiB,
    },
    {
      figure: "CUR 10 M lines, whole reconciliation",
      value: ms(cur.reconcile.ms),
      baseline: `bare GROUP BY ${ms(cur.floor.ms)}`,
      ratio: x(cur.reconcileRatio),
      target: "<= 1.5x",
      met: cur.reconcileRatio <= 1.5,
    },
    {
      figure: "  its peak memory",
      value: mib(cur.reconcile.peakRssBytes),
      baseline: `bare GROUP BY ${mib(cur.floor.peakRssBytes)}`,
      ratio: x(cur.reconcileMemoryRatio),
      target: "< 1,024 MiB",
      met: cur.reconcile.peakRssBytes < GiB,
    },
    {
      figure: "CUR bytes read (pruned, projected)",
      value: mib(cur.bytes.projected),
      baseline: `full scan ${mib(cur.bytes.fullScan)}`,
      ratio: x(cur.bytes.projected / cur.bytes.fullScan),
      target: "",
      met: undefined,
    },
    {
      figure: "Lambda bundle, minified",
      value: kb(bundle.shipped.bytes),
      baseline: `registry parsed at start ${kb(bundle.baseline.bytes)}`,
      ratio: x(bundle.sizeRatio),
      target: "< 1,000 kB",
      met: bundle.shipped.bytes < 1_000_000,
    },
    {
      figure: "Lambda cold import + init",
      value: ms(bundle.shipped.importMs),
      baseline: ms(bundle.baseline.importMs),
      ratio: x(bundle.importRatio),
      target: "",
      met: undefined,
    },
  ];
  printTable(rows);

  const results = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" },
    packStart: start,
    policyThroughput: throughput,
    offlineCheck: check,
    reconciliation: reconcile,
    curEngine: cur,
    lambdaBundle: bundle,
    targets: Object.fromEntries(
      rows.filter((r) => r.met !== undefined).map((r) => [r.figure, r.met]),
    ),
  };
  const file = join(__dirname, "results.json");
  writeFileSync(
    file,
    `${JSON.stringify(results, (_, v: unknown) => (typeof v === "number" ? round(v, 3) : v), 2)}\n`,
  );
  console.error(`bench: wrote bench/results.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
