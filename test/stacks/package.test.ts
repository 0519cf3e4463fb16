import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

// The shipped (bundled) entries, built by the global setup.
describe("package entries", () => {
  it("exports the components from ai-spend-guard/components", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const components = require("ai-spend-guard/components") as Record<string, unknown>;
    for (const name of [
      "WorkflowBudget",
      "CostAllocationTags",
      "Reconciler",
      "guardTags",
      "budgetName",
    ]) {
      expect(typeof components[name], name).toBe("function");
    }
  });

  it("keeps Pulumi out of the main entry, so the plain library does not need it", () => {
    const main = readFileSync(join(ROOT, "dist", "index.js"), "utf8");
    expect(main).not.toMatch(/require\("@pulumi\//);
    expect(readFileSync(join(ROOT, "dist", "components.js"), "utf8")).toMatch(
      /require\("@pulumi\/aws"\)/,
    );
  });
});
