// The three parts of the core whose tests `npm run mutation` measures (issue: tests that prove
// behaviour), in one place: the runner (scripts/mutation/run.mjs) reads them.

/** @type {Record<string, readonly string[]>} target name -> the files Stryker mutates */
export const TARGETS = {
  // The policy rules: each definition, the tag reading, exemptions, the glob matcher they use
  // (src/util/glob.ts), the IAM graph.
  policy: [
    "src/policy/definitions/*.ts",
    "src/policy/tags.ts",
    "src/policy/exemptions.ts",
    "src/util/glob.ts",
    "src/policy/iam/*.ts",
  ],
  // The reconciliation core (not the AWS adapters): aggregation, triggers, the report.
  reconciler: [
    "src/reconciler/aggregate.ts",
    "src/reconciler/triggers.ts",
    "src/reconciler/report.ts",
  ],
  // The registry's cross-field rules.
  registry: ["src/registry/rules.ts"],
};

/** The score each target must reach. */
export const MINIMUM_SCORE = 85;
