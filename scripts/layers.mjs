// The layers of docs/ARCHITECTURE.md as path globs, in one place: eslint.config.mjs holds the
// import boundaries with them, vitest.config.ts measures the core's coverage with them.

/** The core: pure code that never imports an adapter, the demo, the local AWS or an SDK. */
export const CORE = [
  "src/util",
  "src/registry",
  "src/policy",
  "src/check",
  "src/reconciler",
  "src/report",
  "src/rules",
  "src/audit",
];

/**
 * Adapters that sit inside a core folder: the reconciler's Lambda handler and SDK adapters, the
 * embedded DuckDB engine behind the CUR port, and the audit's and doctor's SDK calls.
 */
export const ADAPTERS_IN_CORE = ["src/reconciler/aws", "src/reconciler/duckdb", "src/audit/aws"];

/** Packages only adapters may import: Pulumi, the AWS SDK, the Lambda Powertools, DuckDB. */
export const ADAPTER_PACKAGES = [
  "@pulumi/*",
  "@aws-sdk/*",
  "@aws-lambda-powertools/*",
  "@duckdb/*",
];

/** Who may import the local AWS servers (src/local-aws): the demo, the tests, the benchmarks. */
export const LOCAL_AWS_USERS = ["src/demo", "src/local-aws", "test", "bench"];
