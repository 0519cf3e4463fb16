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

/**
 * The reconciler's Lambda handler as the package ships it (the tarball has no TypeScript
 * sources): one ES module with its dependencies left as imports, and the registry module kept
 * as its own file beside it. At deploy time the stack bundles this file again, replacing
 * `handler-registry.js` with the validated registry and pulling in the AWS SDK from the
 * consumer's install (stacks/components/handler-bundle.ts).
 */
const lambda = { ...common, format: "esm", sourcemap: false, target: "node24" };
// The scheduled account checks stay a file of their own too (handler-bundle.ts says why).
const accountChecksModule = {
  name: "account-checks-apart",
  setup(b) {
    b.onResolve({ filter: /[\\/]audit[\\/]aws[\\/]scheduled(?:\.js)?$/ }, () => ({
      path: "./account-checks.js",
      external: true,
    }));
  },
};
const registryModule = {
  name: "handler-registry-apart",
  setup(b) {
    b.onResolve({ filter: /[\\/]handler-registry$/ }, () => ({
      path: "./handler-registry.js",
      external: true,
    }));
  },
};

await Promise.all([
  ...entries.map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out })),
  build({
    ...lambda,
    entryPoints: ["src/reconciler/aws/handler.ts"],
    outfile: "dist/lambda/handler.js",
    plugins: [registryModule, accountChecksModule],
  }),
  build({
    ...lambda,
    entryPoints: ["src/audit/aws/scheduled.ts"],
    outfile: "dist/lambda/account-checks.js",
  }),
  build({
    ...lambda,
    entryPoints: ["src/reconciler/aws/handler-registry.ts"],
    outfile: "dist/lambda/handler-registry.js",
  }),
]);
