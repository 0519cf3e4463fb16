/**
 * The pack end to end, through the real analyzer protocol: the precompiled entry spawned by
 * `run-policy-pack` in the pack folder, spoken to over gRPC. Timings are printed for the record
 * (the benchmark suite measures them properly); nothing here asserts on wall-clock time.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyze,
  analyzeStack,
  buildPinnedClockPack,
  configure,
  getAnalyzerInfo,
  remediate,
  runPackToExit,
  startPack,
  urnOf,
} from "../support/pack-harness";
import type { RunningPack } from "../support/pack-harness";
import { PACK_DIR } from "../support/pack-harness";

import { PACK_DISPLAY_NAME } from "../../policies/policies";
import {
  POLICY_LIST,
  policyUrl,
  REMEDIATIONS,
  REPOSITORY_URL,
  RESOURCE_RULES,
  STACK_RULES,
} from "../../src/policy";
import type { PolicyDefinition } from "../../src/policy";
import { POLICY_NAMES } from "../../src/registry";

const REGISTRY = join(__dirname, "..", "policy", "fixtures", "workflows.yaml");
const ENV = { AI_SPEND_GUARD_REGISTRY: REGISTRY };
/** The day the fixtures are written for: a test-only entry of the pack pins its clock to it. */
const TODAY = "2026-11-30";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const OWNED = { workflow: "support-triage", owner: "dana@example.com" };

let pack: RunningPack;

beforeAll(async () => {
  pack = await startPack({ env: ENV, entry: await buildPinnedClockPack(TODAY) });
});

afterAll(async () => {
  await pack?.stop();
});

const levels = (diagnostics: { policyName: string; enforcementLevel: string }[]) =>
  diagnostics.map((d) => `${d.policyName}/${d.enforcementLevel}`);

describe("policy pack over gRPC", () => {
  it("describes itself: name, version, the contract policies and their advisory companions", async () => {
    const info = await getAnalyzerInfo(pack);
    expect(info).toMatchObject({ name: "ai-spend-guard", version: "0.1.0", supportsConfig: true });
    // Read from the policy table: each resource and stack rule, then its advisory companion
    // (`-advisory`), then the remediations, off unless enabled by default.
    const level = (p: PolicyDefinition, l: string) => (p.enabledByDefault ? l : "disabled");
    const expected = [
      ...RESOURCE_RULES.map((p) => `${p.name}/${level(p, p.enforcement)}`),
      ...RESOURCE_RULES.map((p) => `${p.name}-advisory/${level(p, "advisory")}`),
      ...STACK_RULES.flatMap((p) => [
        `${p.name}/${level(p, p.enforcement)}`,
        `${p.name}-advisory/${level(p, "advisory")}`,
      ]),
      ...REMEDIATIONS.map((p) => `${p.name}/${level(p, "remediate")}`),
    ];
    expect(info.policies.map((p) => `${p.name}/${p.enforcementLevel}`)).toEqual(expected);
    // The pack registers exactly the registry's policy names (and their companions).
    const contract = new Set(info.policies.map((p) => p.name.replace(/-advisory$/, "")));
    expect([...contract].sort()).toEqual([...POLICY_NAMES].sort());
    expect(info.policies[0]!.configSchema).toHaveProperty("extraAiTypes");
  });

  it("carries each policy's severity, remediation, README link and tags, and the pack's own metadata", async () => {
    const info = await getAnalyzerInfo(pack);
    expect(info).toMatchObject({
      displayName: PACK_DISPLAY_NAME,
      repository: REPOSITORY_URL,
      provider: "aws",
    });
    expect(info.description).not.toBe("");
    const byName = new Map(info.policies.map((p) => [p.name, p] as const));
    for (const policy of POLICY_LIST) {
      const own = byName.get(policy.name)!;
      expect(own, policy.name).toMatchObject({
        severity: policy.severity,
        remediationSteps: policy.remediation,
        url: policyUrl(policy.name),
        tags: [...policy.tags],
      });
      // The README shown by Pulumi Cloud lists it, with its link.
      expect(info.readme).toContain(`[\`${policy.name}\`](${policyUrl(policy.name)})`);
      const companion = byName.get(`${policy.name}-advisory`);
      if (companion !== undefined) {
        // Never blocking, so never more than low, whatever the contract policy's severity.
        expect(companion).toMatchObject({ severity: "low", url: policyUrl(policy.name) });
      }
    }
  });

  it("blocks an untagged AI resource with a mandatory diagnostic on its URN", async () => {
    const resource = { type: "aws:bedrock/guardrail:Guardrail", name: "g", props: { name: "g" } };
    const diagnostics = await analyze(pack, resource);
    expect(levels(diagnostics)).toEqual(["ai-resource-tags/mandatory"]);
    expect(diagnostics[0]!.urn).toBe(urnOf(resource));
  });

  it("passes an AI resource tagged only through the provider's defaultTags", async () => {
    const diagnostics = await analyze(pack, {
      type: "aws:sagemaker/endpoint:Endpoint",
      name: "ep",
      props: { endpointConfigName: "c" },
      provider: {
        type: "pulumi:providers:aws",
        name: "default_7_48_0",
        props: { defaultTags: JSON.stringify({ tags: OWNED }) },
      },
    });
    expect(diagnostics).toEqual([]);
  });

  it("reports unknown tags as an advisory that does not block", async () => {
    const diagnostics = await analyze(pack, {
      type: "aws-native:bedrock:Agent",
      name: "a",
      props: { tags: UNKNOWN },
    });
    expect(levels(diagnostics)).toEqual(["ai-resource-tags-advisory/advisory"]);
  });

  it("blocks an unregistered workflow and a model outside the allow-list", async () => {
    const unregistered = await analyze(pack, {
      type: "aws:sagemaker/endpoint:Endpoint",
      name: "ep",
      props: { tags: { workflow: "suport-triage", owner: "dana@example.com" } },
    });
    expect(levels(unregistered)).toEqual(["ai-workflow-registered/mandatory"]);
    expect(unregistered[0]!.message).toContain('did you mean "support-triage"?');
    const model = await analyze(pack, {
      type: "aws:bedrock/inferenceProfile:InferenceProfile",
      name: "p",
      props: {
        tags: OWNED,
        modelSource: {
          copyFrom: "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-70b-instruct-v1:0",
        },
      },
    });
    expect(levels(model)).toEqual(["ai-model-allowed/mandatory"]);
  });

  it("does not apply to non-AI resources", async () => {
    expect(await analyze(pack, { type: "aws:s3/bucket:Bucket", name: "b", props: {} })).toEqual([]);
  });

  it("checks invokers in AnalyzeStack, linking through dependencies", async () => {
    const role = { type: "aws:iam/role:Role", name: "app", props: { name: UNKNOWN } };
    const diagnostics = await analyzeStack(pack, [
      role,
      {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "att",
        props: { role: UNKNOWN, policyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess" },
        dependencies: [urnOf(role)],
      },
    ]);
    expect(levels(diagnostics)).toEqual([
      "ai-invoker-attributable/mandatory",
      "ai-invoker-attributable-advisory/advisory",
    ]);
    expect(diagnostics[0]!.urn).toBe(urnOf(role));
  });

  it("checks users that invoke through an IAM group, linking the group through dependencies", async () => {
    const user = { type: "aws:iam/user:User", name: "ci", props: { name: UNKNOWN } };
    const group = { type: "aws:iam/group:Group", name: "devs", props: { name: UNKNOWN } };
    const diagnostics = await analyzeStack(pack, [
      user,
      group,
      {
        type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        name: "att",
        props: { group: UNKNOWN, policyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess" },
        dependencies: [urnOf(group)],
      },
      {
        type: "aws:iam/userGroupMembership:UserGroupMembership",
        name: "member",
        props: { user: UNKNOWN, groups: [UNKNOWN] },
        dependencies: [urnOf(user), urnOf(group)],
      },
    ]);
    expect(levels(diagnostics)).toEqual([
      "ai-invoker-attributable/mandatory",
      "ai-invoker-attributable-advisory/advisory",
    ]);
    expect(diagnostics[0]!.urn).toBe(urnOf(user));
    expect(diagnostics[0]!.message).toContain('through its group aws:iam/group:Group "devs"');
  });

  it("remediates the owner once enabled through Configure, and honours per-policy levels", async () => {
    const resource = {
      type: "aws:sagemaker/endpoint:Endpoint",
      name: "ep",
      props: { tags: { workflow: "support-triage" } },
    };
    expect(await remediate(pack, resource)).toEqual([]);
    await configure(pack, {
      "ai-owner-from-registry": { level: "remediate" },
      "ai-resource-tags": { level: "advisory" },
    });
    const [remediation] = await remediate(pack, resource);
    expect(remediation).toMatchObject({
      policyName: "ai-owner-from-registry",
      properties: { tags: OWNED },
    });
    expect(levels(await analyze(pack, { ...resource, props: {} }))).toEqual([
      "ai-resource-tags/advisory",
    ]);
    await configure(pack, {});
  });

  it("measures per-resource analysis time (printed, not asserted)", async () => {
    const rounds = 200;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) {
      await analyze(pack, {
        type: "aws:sagemaker/endpoint:Endpoint",
        name: `ep${i}`,
        props: { tags: OWNED },
      });
    }
    const perResource = (performance.now() - started) / rounds;
    console.log(
      `pack start (precompiled): ${pack.startMs.toFixed(0)} ms; Analyze round trip: ${perResource.toFixed(2)} ms/resource`,
    );
    expect(perResource).toBeGreaterThan(0);
  });
});

describe("exemptions on nested resources, through the engine's protocol", () => {
  const NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance";

  it("the registry's urn:pulumi:*::*::<type>::<name> waiver covers a notebook inside a component", async () => {
    const diagnostics = await analyze(pack, {
      type: NOTEBOOK,
      name: "scratch-1",
      props: {},
      urn: `urn:pulumi:dev::shop::acme:lab:Lab$${NOTEBOOK}::scratch-1`,
      parent: "urn:pulumi:dev::shop::acme:lab:Lab::lab",
    });
    expect(levels(diagnostics)).toEqual(["ai-resource-tags-advisory/advisory"]);
    expect(diagnostics[0]!.message).toContain(
      "Exempted (approved by cto@example.com until 2027-01-31",
    );
  });

  it("an expired waiver for the nested resource says so in the mandatory finding", async () => {
    const diagnostics = await analyze(pack, {
      type: NOTEBOOK,
      name: "legacy-1",
      props: {},
      urn: `urn:pulumi:dev::shop::acme:lab:Lab$${NOTEBOOK}::legacy-1`,
      parent: "urn:pulumi:dev::shop::acme:lab:Lab::lab",
    });
    const mandatoryTags = diagnostics.filter((d) => d.policyName === "ai-resource-tags");
    expect(mandatoryTags).toHaveLength(1);
    expect(mandatoryTags[0]!.message).toContain("expired on 2026-10-31");
  });
});

describe("pack start-up", () => {
  it("fails loudly with the registry's own error when the registry is invalid", async () => {
    const exit = await runPackToExit({
      env: { AI_SPEND_GUARD_REGISTRY: __filename }, // TypeScript, not a registry
    });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("ai-spend-guard policy pack cannot start:");
    expect(exit.stderr).toContain("is invalid");
    expect(exit.stdout).toBe("");
  });

  it("without a registry, stops with one line saying where it looked and how to point it at one", async () => {
    // A project holding only the pack folder (and the installed packages): no workflows.yaml in
    // the pack folder or the project. (In this repository the project is the repository root,
    // whose workflows.yaml is the project's own registry.)
    const project = mkdtempSync(join(tmpdir(), "asg-pack-project-"));
    const dir = join(project, "policies");
    for (const part of ["dist", "PulumiPolicy.yaml", "package.json"]) {
      cpSync(join(PACK_DIR, part), join(dir, part), { recursive: true });
    }
    symlinkSync(join(PACK_DIR, "..", "node_modules"), join(project, "node_modules"), "dir");
    try {
      const exit = await runPackToExit({ dir, env: { AI_SPEND_GUARD_REGISTRY: "" } });
      expect(exit.code).toBe(1);
      const lines = exit.stderr.trim().split("\n");
      expect(lines, exit.stderr).toHaveLength(1);
      expect(lines[0]).toContain("ai-spend-guard policy pack cannot start: no registry found");
      expect(lines[0]).toContain(join(dir, "workflows.yaml"));
      expect(lines[0]).toContain(join(project, "workflows.yaml"));
      expect(lines[0]).toContain("AI_SPEND_GUARD_REGISTRY=path/to/workflows.yaml");
      expect(lines[0]).not.toContain("pass its path");
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("the shipped pack ignores AI_SPEND_GUARD_TODAY: its clock cannot be set from outside", async () => {
    // The fixture's old-pilot workflow was due for review on 2026-11-01. A "today" pinned before
    // that would wave it through; the shipped pack reads the real clock, which is past it.
    const shipped = await startPack({
      env: { ...ENV, AI_SPEND_GUARD_TODAY: "2026-10-01" },
    });
    try {
      const diagnostics = await analyze(shipped, {
        type: "aws:sagemaker/endpoint:Endpoint",
        name: "ep",
        props: { tags: { workflow: "old-pilot", owner: "kim@example.com" } },
      });
      expect(levels(diagnostics)).toContain("ai-workflow-review-date/mandatory");
    } finally {
      await shipped.stop();
    }
  });

  it("also runs from the TypeScript entry under ts-node (slower start, printed)", async () => {
    const ts = await startPack({ entry: "./index.ts", env: ENV, timeoutMs: 120_000 });
    try {
      console.log(`pack start (ts-node, type-checked): ${ts.startMs.toFixed(0)} ms`);
      expect(
        levels(
          await analyze(ts, { type: "aws:bedrock/guardrail:Guardrail", name: "g", props: {} }),
        ),
      ).toEqual(["ai-resource-tags/mandatory"]);
    } finally {
      await ts.stop();
    }
  });
});
