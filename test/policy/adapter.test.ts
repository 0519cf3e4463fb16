/** Each policy called with args built the way the engine builds them (props behind the proxy). */
import { unknownCheckingProxy } from "@pulumi/policy";
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPolicies, loadPackContext, materialize } from "../../policies/policies";
import { UNKNOWN } from "../../src/policy";
import { FIXTURE_REGISTRY, OWNED, TODAY } from "./helpers";

const pack = loadPackContext(
  { AI_SPEND_GUARD_REGISTRY: FIXTURE_REGISTRY },
  process.cwd(),
  () => TODAY,
);
const policies = buildPolicies(pack);

function policy<T>(name: string): T {
  const found = policies.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no policy ${name}`);
  return found as T;
}

function resourceArgs(
  type: string,
  name: string,
  props: Record<string, unknown>,
  config: object = {},
  providerProps?: Record<string, unknown>,
): ResourceValidationArgs {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::shop::${type}::${name}`,
    props: unknownCheckingProxy(props),
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      additionalSecretOutputs: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    },
    stackTags: new Map(),
    ...(providerProps
      ? {
          provider: {
            type: "pulumi:providers:aws",
            name: "default",
            urn: "urn:pulumi:dev::shop::pulumi:providers:aws::default",
            props: unknownCheckingProxy(providerProps),
          },
        }
      : {}),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(reason);
    },
  } as ResourceValidationArgs;
}

async function run(policyName: string, args: ResourceValidationArgs): Promise<string[]> {
  const messages: string[] = [];
  const p = policy<ResourceValidationPolicy>(policyName);
  const validations = Array.isArray(p.validateResource)
    ? p.validateResource
    : [p.validateResource!];
  for (const validate of validations) await validate(args, (message) => messages.push(message));
  return messages;
}

describe("CrossGuard adapter", () => {
  it("reports a missing tag through the mandatory policy only", async () => {
    const args = () =>
      resourceArgs("aws:sagemaker/endpoint:Endpoint", "ep", {
        tags: { workflow: "support-triage" },
      });
    expect(await run("ai-resource-tags", args())).toHaveLength(1);
    expect(await run("ai-resource-tags-advisory", args())).toEqual([]);
  });

  it("turns unknown tags into an advisory, never a mandatory violation or a crash", async () => {
    const args = () => resourceArgs("aws:sagemaker/endpoint:Endpoint", "ep", { tags: UNKNOWN });
    expect(await run("ai-resource-tags", args())).toEqual([]);
    const advisories = await run("ai-resource-tags-advisory", args());
    expect(advisories).toHaveLength(1);
    expect(advisories[0]).toContain("will be checked at update");
  });

  it("handles partially unknown tags (one value unknown)", async () => {
    const args = () =>
      resourceArgs("aws:sagemaker/endpoint:Endpoint", "ep", {
        tags: { workflow: UNKNOWN, owner: "dana@example.com" },
      });
    expect(await run("ai-resource-tags", args())).toEqual([]);
    expect(await run("ai-workflow-registered-advisory", args())).toHaveLength(1);
  });

  it("reads JSON-encoded provider defaultTags behind the proxy", async () => {
    const args = resourceArgs(
      "aws:sagemaker/endpoint:Endpoint",
      "ep",
      {},
      {},
      { defaultTags: JSON.stringify({ tags: OWNED }) },
    );
    expect(await run("ai-resource-tags", args)).toEqual([]);
  });

  it("applies extraAiTypes from the policy's configuration", async () => {
    const args = resourceArgs(
      "aws:ecs/service:Service",
      "llm",
      {},
      { extraAiTypes: ["aws:ecs/service:Service"] },
    );
    expect(await run("ai-resource-tags", args)).toHaveLength(1);
    expect(
      await run("ai-resource-tags", resourceArgs("aws:ecs/service:Service", "llm", {})),
    ).toEqual([]);
  });

  it("reports an applied exemption as an advisory", async () => {
    const args = () =>
      resourceArgs("aws:sagemaker/notebookInstance:NotebookInstance", "scratch-9", {});
    expect(await run("ai-resource-tags", args())).toEqual([]);
    expect((await run("ai-resource-tags-advisory", args()))[0]).toContain(
      "Exempted (approved by cto@example.com",
    );
  });

  it("validates the stack with dependencies and reports against the principal's URN", async () => {
    const role: PolicyResource = {
      type: "aws:iam/role:Role",
      name: "app",
      urn: "urn:pulumi:dev::shop::aws:iam/role:Role::app",
      props: unknownCheckingProxy({ name: UNKNOWN }),
      dependencies: [],
      propertyDependencies: {},
    } as unknown as PolicyResource;
    const attachment = {
      type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      name: "att",
      urn: "urn:pulumi:dev::shop::aws:iam/rolePolicyAttachment:RolePolicyAttachment::att",
      props: unknownCheckingProxy({
        role: UNKNOWN,
        policyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
      }),
      dependencies: [role],
      propertyDependencies: {},
    } as unknown as PolicyResource;
    const reported: { message: string; urn?: string }[] = [];
    const args = {
      resources: [role, attachment],
      stackTags: new Map(),
      getConfig: () => ({}),
      notApplicable: () => {
        throw new Error("n/a");
      },
    } as unknown as StackValidationArgs;
    await policy<StackValidationPolicy>("ai-invoker-attributable").validateStack(
      args,
      (message, urn) => reported.push({ message, urn }),
    );
    expect(reported).toHaveLength(1);
    expect(reported[0]!.urn).toBe(role.urn);
  });

  it("remediates the owner only when enabled, as a pure props-in props-out step", async () => {
    const p = policy<ResourceValidationPolicy>("ai-owner-from-registry");
    expect(p.enforcementLevel).toBe("disabled");
    const out = await p.remediateResource!(
      resourceArgs("aws:sagemaker/endpoint:Endpoint", "ep", {
        tags: { workflow: "support-triage" },
      }),
    );
    expect(out).toEqual({ tags: OWNED });
  });

  it("materializes nested unknowns as UNKNOWN and keeps known values", () => {
    const proxied = unknownCheckingProxy({ a: [1, UNKNOWN, { b: UNKNOWN }], c: "x" });
    expect(materialize(() => proxied)).toEqual({ a: [1, UNKNOWN, { b: UNKNOWN }], c: "x" });
  });

  it("fails loudly with the registry's own error when the registry is invalid", () => {
    expect(() => loadPackContext({ AI_SPEND_GUARD_REGISTRY: __filename })).toThrow(/is invalid/);
  });

  it("takes its clock from the caller only: AI_SPEND_GUARD_TODAY is not read", () => {
    const pinned = loadPackContext(
      { AI_SPEND_GUARD_REGISTRY: FIXTURE_REGISTRY, AI_SPEND_GUARD_TODAY: "2026-10-01" },
      process.cwd(),
    );
    expect(pinned.today()).toBe(new Date().toISOString().slice(0, 10));
    const injected = loadPackContext(
      { AI_SPEND_GUARD_REGISTRY: FIXTURE_REGISTRY },
      process.cwd(),
      () => "2026-10-01",
    );
    expect(injected.today()).toBe("2026-10-01");
  });

  it("never falls back to the example registry: no registry is one line naming where it looked", () => {
    const empty = mkdtempSync(join(tmpdir(), "asg-pack-"));
    expect(() => loadPackContext({}, empty)).toThrow(
      `no registry found: looked for AI_SPEND_GUARD_REGISTRY (not set), ${join(empty, "workflows.yaml")} (the pack folder) and ${join(dirname(empty), "workflows.yaml")} (the project): place workflows.yaml in the project, or point at yours with AI_SPEND_GUARD_REGISTRY=path/to/workflows.yaml (the example registry shipped in the package is never used)`,
    );
  });
});
