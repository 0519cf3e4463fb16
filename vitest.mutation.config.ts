import { defineConfig } from "vitest/config";
import type { TestProjectInlineConfiguration } from "vitest/config";
import base from "./vitest.config";

/**
 * The unit tier as mutation testing runs it (`npm run mutation`, stryker.config.mjs): the unit
 * project of vitest.config.ts (its files, read from there so the tiers stay defined once),
 * minus the one test that compares the built bundle (dist/) with the source, so a mutation
 * run does not build the package in its sandbox. Stryker chooses the pool itself.
 */
const unit = (base.test?.projects as TestProjectInlineConfiguration[] | undefined)?.find(
  (project) => project.test?.name === "unit",
);
if (unit?.test?.include === undefined || unit.test.exclude === undefined) {
  throw new Error("vitest.config.ts has no unit project with include and exclude");
}

export default defineConfig({
  test: {
    include: unit.test.include,
    exclude: [...unit.test.exclude, "test/report/html.test.ts"],
    testTimeout: 60_000,
  },
});
