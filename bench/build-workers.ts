/**
 * Compiles the benchmark's worker processes to plain JavaScript (out/bench/), so a measured
 * process pays neither a TypeScript loader's start nor its memory.
 */
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = join(__dirname, "..");
export const WORKERS_DIR = join(ROOT, "out", "bench");

export const WORKERS = {
  costExplorerServer: "cost-explorer-server",
  reconcile: "reconcile",
  cur: "cur",
} as const;

export async function buildWorkers(): Promise<Record<keyof typeof WORKERS, string>> {
  await build({
    entryPoints: Object.values(WORKERS).map((name) => join(__dirname, "workers", `${name}.ts`)),
    outdir: WORKERS_DIR,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    logLevel: "warning",
  });
  return {
    costExplorerServer: join(WORKERS_DIR, `${WORKERS.costExplorerServer}.js`),
    reconcile: join(WORKERS_DIR, `${WORKERS.reconcile}.js`),
    cur: join(WORKERS_DIR, `${WORKERS.cur}.js`),
  };
}
