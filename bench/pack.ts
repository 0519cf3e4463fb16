/**
 * The policy pack through the real analyzer protocol: how long it takes to start, and what its
 * policies cost per resource on top of the protocol's own floor (a pack whose one policy does
 * nothing, `bench/empty-pack`).
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { analyze, analyzeStack, startPack } from "../test/support/pack-harness";
import type { EngineResource, PackOptions, RunningPack } from "../test/support/pack-harness";
import { benchResources } from "./resources";
import { median, percentile } from "./stats";

const ROOT = join(__dirname, "..");
const EMPTY_PACK = join(__dirname, "empty-pack");
/**
 * The example registry. The shipped pack reads the system clock (no override), so which review
 * dates have passed can change the findings over time, not what a call costs.
 */
const ENV = { AI_SPEND_GUARD_REGISTRY: join(ROOT, "workflows.yaml") };

export interface StartResult {
  readonly shippedMs: number;
  readonly tsNodeMs: number;
  /** The empty pack's start: the runner and the policy SDK, which every pack pays. */
  readonly floorMs: number;
  readonly runs: {
    readonly shipped: number[];
    readonly tsNode: number[];
    readonly floor: number[];
  };
  /** shipped / ts-node: the target is <= 0.25. */
  readonly ratio: number;
}

async function startOnce(options: PackOptions): Promise<number> {
  const pack = await startPack({ ...options, timeoutMs: 120_000 });
  await pack.stop();
  return pack.startMs;
}

/** Median time until the pack prints its port; the first start of each is a discarded warm-up. */
export async function packStart(runs: {
  shipped: number;
  tsNode: number;
  floor: number;
}): Promise<StartResult> {
  const shipped: number[] = [];
  const tsNode: number[] = [];
  const floor: number[] = [];
  await startOnce({ env: ENV });
  // Shipped and empty alternate, so a noisy moment hits both alike.
  for (let i = 0; i < Math.max(runs.shipped, runs.floor); i++) {
    if (i < runs.shipped) shipped.push(await startOnce({ env: ENV }));
    if (i < runs.floor) floor.push(await startOnce({ dir: EMPTY_PACK }));
  }
  await startOnce({ env: ENV, entry: "./index.ts" });
  for (let i = 0; i < runs.tsNode; i++) {
    tsNode.push(await startOnce({ env: ENV, entry: "./index.ts" }));
  }
  const shippedMs = median(shipped);
  const tsNodeMs = median(tsNode);
  return {
    shippedMs,
    tsNodeMs,
    floorMs: median(floor),
    runs: { shipped, tsNode, floor },
    ratio: shippedMs / tsNodeMs,
  };
}

export interface ThroughputSide {
  readonly resourcesPerSecond: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Resources with a mandatory diagnostic (the guard must flag exactly the violating 20%). */
  readonly mandatory: number;
  readonly analyzeStackMs: number;
}

export interface ThroughputResult {
  readonly calls: number;
  readonly guard: ThroughputSide;
  readonly floor: ThroughputSide;
  /** Guard time per resource / the floor's: the target is <= 1.5. */
  readonly ratio: number;
  readonly p50Ratio: number;
  readonly analyzeStackRatio: number;
  readonly expectedViolations: number;
}

async function measure(
  pack: RunningPack,
  resources: readonly EngineResource[],
): Promise<ThroughputSide> {
  // Warm-up: the first calls pay for lazy loading and JIT compilation on both sides.
  for (const resource of resources.slice(0, 500)) await analyze(pack, resource);
  const latencies: number[] = [];
  let mandatory = 0;
  const started = performance.now();
  for (const resource of resources) {
    const t = performance.now();
    const diagnostics = await analyze(pack, resource);
    latencies.push(performance.now() - t);
    if (diagnostics.some((d) => d.enforcementLevel === "mandatory")) mandatory += 1;
  }
  const elapsed = performance.now() - started;
  await analyzeStack(pack, resources.slice(0, 100));
  const stackStarted = performance.now();
  await analyzeStack(pack, resources);
  const analyzeStackMs = performance.now() - stackStarted;
  return {
    resourcesPerSecond: resources.length / (elapsed / 1000),
    meanMs: elapsed / resources.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    mandatory,
    analyzeStackMs,
  };
}

/** `calls` sequential Analyze calls (the engine's per-resource call), then one AnalyzeStack. */
export async function policyThroughput(calls: number): Promise<ThroughputResult> {
  const mix = benchResources(calls);
  const resources: EngineResource[] = mix.map(({ type, name, urn, props }) => ({
    type,
    name,
    urn,
    props,
  }));
  const floorPack = await startPack({ dir: EMPTY_PACK });
  let floor: ThroughputSide;
  try {
    floor = await measure(floorPack, resources);
  } finally {
    await floorPack.stop();
  }
  const guardPack = await startPack({ env: ENV });
  let guard: ThroughputSide;
  try {
    guard = await measure(guardPack, resources);
  } finally {
    await guardPack.stop();
  }
  return {
    calls,
    guard,
    floor,
    ratio: guard.meanMs / floor.meanMs,
    p50Ratio: guard.p50Ms / floor.p50Ms,
    analyzeStackRatio: guard.analyzeStackMs / floor.analyzeStackMs,
    expectedViolations: mix.filter((r) => r.violating).length,
  };
}
