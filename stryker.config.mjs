// Mutation testing of the core's rules (`npm run mutation`; CONTRIBUTING.md). Not part of
// `npm test`: it takes minutes. scripts/mutation/run.mjs runs it per target
// (scripts/mutation/targets.mjs) and supplies `mutate` and the incremental file.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner", "./scripts/mutation/message-text.mjs"],
  ignorers: ["message-text"],
  // Each mutant runs only the tests that executed its code.
  coverageAnalysis: "perTest",
  concurrency: 2,
  // Later runs re-test only mutants whose code or covering tests changed.
  incremental: true,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: ".mutation/report.html" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".mutation/tmp",
  cleanTempDir: "always",
  timeoutMS: 5_000,
};
