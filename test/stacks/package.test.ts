import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

// The shipped (bundled) entries, built by the global setup.
describe("package entries", () => {
  it("exports the registry, the policy rules, the offline check and the reconciler core", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require("ai-spend-guard") as Record<string, unknown>;
    for (const name of [
      "loadRegistry",
      "parseRegistry",
      "evaluateStack",
      "evaluateResource",
      "readPulumiDocument",
      "checkDocument",
      "runReconciliation",
      "periodFor",
      "renderHtml",
      "renderCsv",
    ]) {
      expect(typeof main[name], name).toBe("function");
    }
  });

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

  it("keeps Pulumi and the AWS SDK out of the main entry, so the plain library needs neither", () => {
    const main = readFileSync(join(ROOT, "dist", "index.js"), "utf8");
    expect(main).not.toMatch(/require\("@pulumi\//);
    expect(main).not.toMatch(/require\("@aws-sdk\//);
    expect(readFileSync(join(ROOT, "dist", "components.js"), "utf8")).toMatch(
      /require\("@pulumi\/aws"\)/,
    );
  });
});
