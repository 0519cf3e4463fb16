import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { RegistryValidationError } from "../../src/registry";
import { readStackSettings } from "../../stacks/config";
import { recordingMocks } from "../../stacks/mocks";
import type { RegisteredResource } from "../../stacks/mocks";
import { previewStack } from "../../stacks/preview";
import { defineStack } from "../../stacks/program";
import { FIXTURES, ofType } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const INVALID = join(FIXTURES, "invalid.yaml");
const placeholder = () =>
  new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("// placeholder") });

describe("a bad registry", () => {
  it("fails the program with the registry's own error and registers nothing", async () => {
    const recorded: Omit<RegisteredResource, "urn">[] = [];
    await pulumi.runtime.setMocks(recordingMocks(recorded), "ai-spend-guard", "test", false);
    let thrown: unknown;
    try {
      defineStack({ registryText: readFileSync(INVALID, "utf8"), registrySource: "invalid.yaml" });
    } catch (error) {
      thrown = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(thrown).toBeInstanceOf(RegistryValidationError);
    expect((thrown as Error).message).toContain(
      'invalid.yaml:8:5  workflows.ai-spend-guard.owners: unknown key "owners" (did you mean "owner"?)',
    );
    expect(recorded).toEqual([]);
  });

  it("rejects previewStack the same way", async () => {
    await expect(previewStack(INVALID, { bundle: false })).rejects.toBeInstanceOf(
      RegistryValidationError,
    );
  });
});

describe("a registry whose budgets are not in USD", () => {
  it("fails before registering anything: AWS Budgets takes only USD limits", async () => {
    const recorded: Omit<RegisteredResource, "urn">[] = [];
    await pulumi.runtime.setMocks(recordingMocks(recorded), "ai-spend-guard", "test", false);
    const text = readFileSync(join(FIXTURES, "three-workflows.yaml"), "utf8").replace(
      "currency: USD",
      "currency: EUR",
    );
    expect(() =>
      defineStack({ registryText: text, registrySource: "workflows.yaml", code: placeholder() }),
    ).toThrow(/workflows\.yaml:4:3 {2}settings\.currency: is EUR, but AWS Budgets/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorded).toEqual([]);
  });
});

describe("the example registry", () => {
  it("yields one budget, one monitor and one owner subscription per workflow", async () => {
    const resources = await previewStack(join(ROOT, "workflows.yaml"), {
      bundle: false,
      cwd: ROOT,
    });
    const budgets = ofType(resources, "aws:budgets/budget:Budget");
    expect(budgets.map((b) => b.inputs.name)).toEqual(
      expect.arrayContaining([
        "ai-spend-guard-support-triage",
        "ai-spend-guard-invoice-matching",
        "ai-spend-guard-contract-drafting",
        "ai-spend-guard-board-memo-pilot",
        "ai-spend-guard-knowledge-search",
        "ai-spend-guard-ai-spend-guard",
      ]),
    );
    expect(budgets).toHaveLength(6);
    expect(ofType(resources, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).toHaveLength(6);
    // The guard's own resources carry the owner the registry gives the guard.
    const fn = ofType(resources, "aws:lambda/function:Function")[0]!;
    expect(fn.inputs.tags).toEqual({ workflow: "ai-spend-guard", owner: "platform@example.com" });
  });

  it("honours stack settings: prefix, schedule, no tag activation", async () => {
    const resources = await previewStack(join(ROOT, "workflows.yaml"), {
      bundle: false,
      settings: {
        namePrefix: "acme-ai",
        schedule: "rate(12 hours)",
        activateCostAllocationTags: false,
      },
    });
    expect(ofType(resources, "aws:costexplorer/costAllocationTag:CostAllocationTag")).toEqual([]);
    expect(ofType(resources, "aws:budgets/budget:Budget")[0]!.inputs.name).toMatch(/^acme-ai-/);
    expect(ofType(resources, "aws:scheduler/schedule:Schedule")[0]!.inputs.scheduleExpression).toBe(
      "rate(12 hours)",
    );
  });
});

describe("principal tag activation", () => {
  const TAG = "aws:costexplorer/costAllocationTag:CostAllocationTag";
  const keys = (resources: RegisteredResource[]) =>
    ofType(resources, TAG)
      .map((t) => String(t.inputs.tagKey))
      .sort();

  it("activates iamPrincipal/ keys next to the resource tags, and not when the stack defers it", async () => {
    const registry = join(ROOT, "workflows.yaml");
    expect(keys(await previewStack(registry, { bundle: false }))).toEqual([
      "iamPrincipal/owner",
      "iamPrincipal/workflow",
      "owner",
      "workflow",
    ]);
    const deferred = await previewStack(registry, {
      bundle: false,
      settings: { activatePrincipalCostAllocationTags: false },
    });
    expect(keys(deferred)).toEqual(["owner", "workflow"]);
  });

  it("activates none when the registry turns the principal route off", async () => {
    const dir = mkdtempSync(join(tmpdir(), "principal-off-"));
    try {
      const file = join(dir, "workflows.yaml");
      writeFileSync(
        file,
        readFileSync(join(ROOT, "workflows.yaml"), "utf8").replace(
          "  unownedShareAlert: 0.05\n",
          "  unownedShareAlert: 0.05\n  principalTags: false\n",
        ),
      );
      expect(keys(await previewStack(file, { bundle: false }))).toEqual(["owner", "workflow"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("stack configuration", () => {
  const config = (values: Record<string, string>) => (key: string) => values[key];

  it("reads the registry named by ai-spend-guard:registry, relative to the project", () => {
    const settings = readStackSettings(
      config({ registry: "test/stacks/fixtures/three-workflows.yaml", groupByAccount: "true" }),
      ROOT,
    );
    expect(settings.registrySource).toBe(
      join("test", "stacks", "fixtures", "three-workflows.yaml"),
    );
    expect(settings.registryText).toContain("ticket-routing");
    expect(settings.groupByAccount).toBe(true);
  });

  it("names every bad key", () => {
    expect(() =>
      readStackSettings(
        config({
          reportRetentionDays: "a year",
          groupByAccount: "yes",
          costMetric: "Blended",
          activatePrincipalCostAllocationTags: "later",
        }),
        ROOT,
      ),
    ).toThrow(
      [
        "invalid stack configuration:",
        '  ai-spend-guard:reportRetentionDays: must be a number, got "a year"',
        '  ai-spend-guard:groupByAccount: must be true or false, got "yes"',
        '  ai-spend-guard:activatePrincipalCostAllocationTags: must be true or false, got "later"',
        '  ai-spend-guard:costMetric: must be one of UnblendedCost, AmortizedCost, NetAmortizedCost, NetUnblendedCost, got "Blended"',
      ].join("\n"),
    );
  });

  it("says where it looked when the registry file is missing", () => {
    expect(() => readStackSettings(config({ registry: "nope.yaml" }), ROOT)).toThrow(
      /nope\.yaml does not exist/,
    );
  });
});
