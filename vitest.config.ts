import { configDefaults, defineConfig } from "vitest/config";
import { ADAPTERS_IN_CORE, CORE } from "./scripts/layers.mjs";

/**
 * Two tiers (CONTRIBUTING.md): `unit` is pure and fast, in-process code on in-memory data;
 * `integration` crosses a boundary: it spawns processes (the CLI, the policy pack over gRPC),
 * serves the local AWS on 127.0.0.1, drives Chromium, builds or loads bundles, runs the
 * Pulumi runtime under mocks, or runs the whole demo. Files are listed by path, so a test file
 * is in `unit` unless it is named here; add a file here when it does any of the above.
 */
const INTEGRATION = [
  "test/pack/**/*.test.ts",
  "test/local-aws/**/*.test.ts",
  "test/**/browser.test.ts",
  "test/cli/cli.test.ts",
  "test/cli/process.test.ts",
  "test/cli/validate-base.test.ts",
  "test/check/check-command.test.ts",
  "test/demo/demo.test.ts",
  "test/stacks/auto-tag.test.ts",
  "test/reconciler/cost-explorer-source.test.ts",
  "test/reconciler/cost-explorer-faults.test.ts",
  "test/reconciler/attribution-cost-explorer.test.ts",
  "test/reconciler/handler.test.ts",
  "test/reconciler/reconcile-cli.test.ts",
  "test/reconciler/outcomes-aws.test.ts",
  "test/stacks/bundle.test.ts",
  "test/stacks/package.test.ts",
  "test/stacks/program.test.ts",
  "test/stacks/stack.test.ts",
  "test/stacks/cur.test.ts",
  "test/cur/athena.test.ts",
  "test/cur/generated-export.test.ts",
  "test/cur/s3-fetch.test.ts",
  "test/cur/equivalence.test.ts",
  "test/cur/reconcile-cli.test.ts",
  "test/cur/handler-cur.test.ts",
  "test/package/consumer.test.ts",
  "test/audit/audit-command.test.ts",
  "test/audit/doctor-command.test.ts",
  "test/audit/scheduled.test.ts",
  "test/stacks/account-checks.test.ts",
];

export default defineConfig({
  test: {
    // Builds dist/ (the shipped bundles) once, before any test: the CLI and pack tests spawn
    // it, and a unit test compares the bundled report renderer with the source.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Pulumi's runtime keeps module-level state (mocks, stack resource): isolate test files.
    pool: "forks",
    coverage: {
      provider: "v8",
      // The core (scripts/layers.mjs), measured by the unit tier: the adapters are covered by
      // the integration tier, which this report does not count.
      include: CORE.map((folder) => `${folder}/**`),
      exclude: ADAPTERS_IN_CORE.map((folder) => `${folder}/**`),
      reporter: ["text", "text-summary", "html"],
      reportsDirectory: "coverage",
      // The floor, a little under what the unit tier measured (90.5% statements, 82.6%
      // branches, 93.5% functions, 92.3% lines): a change that drops the core's coverage
      // below it fails `npm test`. Raise it when coverage rises; do not lower it to pass.
      thresholds: { statements: 89, branches: 81, functions: 92, lines: 91 },
    },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...INTEGRATION],
        },
      },
      { extends: true, test: { name: "integration", include: INTEGRATION } },
    ],
  },
});
