// Bundles the TypeScript entry points with esbuild. Runs on `npm ci` (prepare), so a fresh
// clone has a working CLI without a separate build step. Node packages stay external here
// (they are installed); the Lambda bundle, which must be self-contained, is built by the stack.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  absWorkingDir: root,
};

export const entries = [
  { in: "src/cli/entry.ts", out: "dist/cli.js" },
  { in: "src/index.ts", out: "dist/index.js" },
  // `ai-spend-guard/components`: the Pulumi components, apart so the main entry needs no Pulumi.
  { in: "stacks/components/index.ts", out: "dist/components.js" },
  // `ai-spend-guard/auto-tag`: the auto-tagging helper, apart for the same reason.
  { in: "stacks/components/auto-tag.ts", out: "dist/auto-tag.js" },
  // The policy pack, precompiled: a TypeScript pack is type-checked by ts-node on every preview.
  { in: "policies/index.ts", out: "policies/dist/index.js" },
];

await Promise.all(entries.map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out })));
