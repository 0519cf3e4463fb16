/**
 * The reconciler's Lambda bundle: its size (minified, as deployed) and its cold start (a fresh
 * Node.js process requiring it, with the Lambda environment, so the handler is built at import as
 * in Lambda's init phase). The baseline is the same handler bundled the way it used to be: the
 * registry loaded and parsed at cold start (the YAML parser and the schema library inside), the
 * AWS SDK's CommonJS builds.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Metafile } from "esbuild";
import { defaultHandlerEntry, handlerBuildOptions } from "../stacks/components/handler-bundle";
import { lastJsonLine, runNode } from "./child";
import { median } from "./stats";

const ROOT = join(__dirname, "..");
const REGISTRY = join(ROOT, "workflows.yaml");

export interface BundleSide {
  readonly bytes: number;
  readonly importMs: number;
  readonly processMs: number;
  readonly peakRssBytes: number;
  /** The largest packages in the bundle, bytes of output each. */
  readonly largest: readonly { readonly name: string; readonly bytes: number }[];
}

export interface BundleResult {
  readonly shipped: BundleSide;
  readonly baseline: BundleSide;
  readonly sizeRatio: number;
  readonly importRatio: number;
}

/** Output bytes per package (or per top folder of this project). */
function largest(metafile: Metafile, top: number): { name: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const name = pkg ? pkg[1]! : file.split("/").slice(0, 2).join("/");
      bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...bytes]
    .map(([name, b]) => ({ name, bytes: b }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/** Lambda's environment for the handler's init (no request is made: clients connect lazily). */
const LAMBDA_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: "ai-spend-guard-reconciler",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIDLOCAL",
  AWS_SECRET_ACCESS_KEY: "local-secret",
  AI_SPEND_GUARD_REPORT_BUCKET: "ai-spend-reports",
  AI_SPEND_GUARD_OWNER_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:ai-spend-owners",
  // Read only by the baseline, which loads the registry file at init.
  AI_SPEND_GUARD_REGISTRY: REGISTRY,
};

const IMPORT = [
  'const { performance } = require("node:perf_hooks");',
  "const started = performance.now();",
  'require("./index.js");',
  "process.stdout.write(JSON.stringify({ importMs: performance.now() - started }));",
].join("\n");

export async function lambdaBundle(runs: number): Promise<BundleResult> {
  const options = handlerBuildOptions({
    entry: defaultHandlerEntry(),
    registryText: readFileSync(REGISTRY, "utf8"),
  });
  const shipped = await build({ ...options, metafile: true });
  const baseline = await build({
    ...options,
    metafile: true,
    plugins: [],
    mainFields: ["main", "module"],
  });
  const dirs = {
    shipped: join(ROOT, "out", "bench", "bundle"),
    baseline: join(ROOT, "out", "bench", "bundle-baseline"),
  };
  for (const [side, result] of [
    ["shipped", shipped],
    ["baseline", baseline],
  ] as const) {
    mkdirSync(dirs[side], { recursive: true });
    writeFileSync(join(dirs[side], "index.js"), result.outputFiles[0]!.contents);
  }
  const measured = {
    shipped: [] as Awaited<ReturnType<typeof runNode>>[],
    baseline: [] as Awaited<ReturnType<typeof runNode>>[],
  };
  for (let i = 0; i <= runs; i++) {
    for (const side of ["shipped", "baseline"] as const) {
      const run = await runNode(["-e", IMPORT], { cwd: dirs[side], env: LAMBDA_ENV });
      lastJsonLine(run); // fails loudly if the handler did not initialise
      if (i > 0) measured[side].push(run); // the first round warms the file cache
    }
  }
  const side = (result: typeof shipped, list: typeof measured.shipped): BundleSide => ({
    bytes: result.outputFiles[0]!.contents.byteLength,
    importMs: median(list.map((r) => lastJsonLine<{ importMs: number }>(r).importMs)),
    processMs: median(list.map((r) => r.wallMs)),
    peakRssBytes: median(list.map((r) => r.peakRssBytes)),
    largest: largest(result.metafile, 8),
  });
  const s = side(shipped, measured.shipped);
  const b = side(baseline, measured.baseline);
  return {
    shipped: s,
    baseline: b,
    sizeRatio: s.bytes / b.bytes,
    importRatio: s.importMs / b.importMs,
  };
}
