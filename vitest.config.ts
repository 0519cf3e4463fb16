import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Pulumi's runtime keeps module-level state (mocks, stack resource): isolate test files.
    pool: "forks",
  },
});
