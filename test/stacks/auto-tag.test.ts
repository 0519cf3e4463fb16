/**
 * The auto-tagging helper, run the way a Pulumi program runs it: real `@pulumi/aws` and
 * `@pulumi/aws-native` resources under `pulumi.runtime.setMocks`. The mock monitor does not
 * apply transforms (the engine does), so `withEngineTransforms` plays the engine's part: it
 * accepts `RegisterStackTransform` and, for each resource registration, calls the program's
 * transform callbacks over the SDK's callback protocol (gRPC on 127.0.0.1), in the engine's
 * order: the resource's own transforms, its parents', then the stack's.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  autoTagTransform,
  registerAutoTagging,
  withTags,
  workflowTags,
} from "../../stacks/components/auto-tag";
import { parseRegistry } from "../../src/registry";
import { withEngineTransforms } from "../support/engine-transforms";
import type * as shipped from "ai-spend-guard/auto-tag";

const ROOT = join(__dirname, "..", "..");
const REGISTRY_PATH = join(ROOT, "workflows.yaml");
const REGISTRY = parseRegistry(readFileSync(REGISTRY_PATH, "utf8"), "workflows.yaml");

const SECRET = { key: "4dabf18193072939515e22adb298388d", sig: "1b47061264138c4ac30d75fd1eb44270" };

/** Inputs the engine received, by resource name (after every transform). */
const registered = new Map<string, { type: string; inputs: Record<string, unknown> }>();
let closeTransforms: () => void = () => undefined;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, { type: args.type, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "ai-platform",
    "prod",
    false,
  );
  closeTransforms = withEngineTransforms();
});

afterAll(() => closeTransforms());

/** Waits until the engine has the resource, then returns the inputs it got. */
async function inputsOf(resource: pulumi.CustomResource, name: string) {
  await new Promise((resolve) => resource.urn.apply(resolve));
  const found = registered.get(name);
  if (found === undefined) throw new Error(`${name} was not registered`);
  return found.inputs;
}

class WikiSearch extends pulumi.ComponentResource {
  readonly index: aws.kendra.Index;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("ai-platform:search:WikiSearch", name, {}, opts);
    this.index = new aws.kendra.Index(
      `${name}-index`,
      { edition: "DEVELOPER_EDITION", roleArn: "arn:aws:iam::111122223333:role/kendra" },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

describe("registerAutoTagging in a Pulumi program", () => {
  let tags: Readonly<Record<string, string>>;
  beforeAll(() => {
    tags = registerAutoTagging({ workflow: "support-triage", registry: REGISTRY_PATH });
  });

  it("returns the tags it adds, with the owner from the registry", () => {
    expect(tags).toEqual({ workflow: "support-triage", owner: "dana@example.com" });
  });

  it("tags an untagged AI resource (aws: map tags)", async () => {
    const endpoint = new aws.sagemaker.Endpoint("triage-endpoint", {
      endpointConfigName: "triage-config",
    });
    expect((await inputsOf(endpoint, "triage-endpoint")).tags).toEqual({
      workflow: "support-triage",
      owner: "dana@example.com",
    });
  });

  it("never overwrites a tag the program set, and keeps the others", async () => {
    const profile = new aws.bedrock.InferenceProfile("triage-haiku", {
      modelSource: {
        copyFrom:
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
      },
      tags: { owner: "lead@example.com", team: "support" },
    });
    expect((await inputsOf(profile, "triage-haiku")).tags).toEqual({
      owner: "lead@example.com",
      team: "support",
      workflow: "support-triage",
    });
  });

  it("appends [{key, value}] tags on aws-native types, keeping existing ones first", async () => {
    const profile = new awsNative.bedrock.ApplicationInferenceProfile("triage-native", {
      inferenceProfileName: "triage-native",
      modelSource: {
        copyFrom: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
      },
      tags: [
        { key: "team", value: "support" },
        { key: "workflow", value: "support-triage" },
      ],
    });
    expect((await inputsOf(profile, "triage-native")).tags).toEqual([
      { key: "team", value: "support" },
      { key: "workflow", value: "support-triage" },
      { key: "owner", value: "dana@example.com" },
    ]);
  });

  it("writes Lex bot tags where Lex keeps them (botTags)", async () => {
    const bot = new awsNative.lex.Bot("triage-bot", {
      dataPrivacy: { childDirected: false },
      idleSessionTtlInSeconds: 300,
      roleArn: "arn:aws:iam::111122223333:role/lex",
    });
    const inputs = await inputsOf(bot, "triage-bot");
    expect(inputs.botTags).toEqual([
      { key: "workflow", value: "support-triage" },
      { key: "owner", value: "dana@example.com" },
    ]);
    expect(inputs).not.toHaveProperty("tags");
  });

  it("tags every taggable AWS resource, not only AI ones", async () => {
    const bucket = new aws.s3.Bucket("triage-data", {});
    expect((await inputsOf(bucket, "triage-data")).tags).toEqual(tags);
  });

  it("gives Auto Scaling group tags the propagateAtLaunch they require, and their instances the tags", async () => {
    const group = new aws.autoscaling.Group("triage-workers", {
      maxSize: 2,
      minSize: 0,
      tags: [{ key: "team", value: "support", propagateAtLaunch: false }],
    });
    expect((await inputsOf(group, "triage-workers")).tags).toEqual([
      { key: "team", value: "support", propagateAtLaunch: false },
      { key: "workflow", value: "support-triage", propagateAtLaunch: true },
      { key: "owner", value: "dana@example.com", propagateAtLaunch: true },
    ]);
    const native = new awsNative.autoscaling.AutoScalingGroup("triage-native-workers", {
      maxSize: "2",
      minSize: "0",
    });
    expect((await inputsOf(native, "triage-native-workers")).tags).toEqual([
      { key: "workflow", value: "support-triage", propagateAtLaunch: true },
      { key: "owner", value: "dana@example.com", propagateAtLaunch: true },
    ]);
  });

  it("leaves a type that takes no tags alone", async () => {
    const policy = new aws.iam.RolePolicy("triage-invoke", {
      role: "triage-invoker",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    });
    const inputs = await inputsOf(policy, "triage-invoke");
    expect(inputs).not.toHaveProperty("tags");
    expect(inputs.role).toBe("triage-invoker");
  });

  it("merges into tags that come from another resource's output", async () => {
    const role = new aws.iam.Role("triage-role", {
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    });
    const log = new aws.cloudwatch.LogGroup("triage-logs", {
      tags: role.id.apply((id) => ({ role: id })),
    });
    expect((await inputsOf(log, "triage-logs")).tags).toEqual({
      role: "triage-role-id",
      workflow: "support-triage",
      owner: "dana@example.com",
    });
  });

  it("keeps secret tags secret while adding the missing keys", async () => {
    const index = new aws.kendra.Index("secret-index", {
      edition: "DEVELOPER_EDITION",
      roleArn: "arn:aws:iam::111122223333:role/kendra",
      tags: pulumi.secret({ owner: "dana@example.com" }),
    });
    const tagsIn = (await inputsOf(index, "secret-index")).tags as Record<string, unknown>;
    expect(tagsIn[SECRET.key]).toBe(SECRET.sig);
    expect(tagsIn.value).toEqual({ owner: "dana@example.com", workflow: "support-triage" });
  });

  it("does not tag components; a component's own transform wins for its children", async () => {
    const search = new WikiSearch("wiki", {
      transforms: [
        autoTagTransform(workflowTags({ workflow: "knowledge-search", registry: REGISTRY })),
      ],
    });
    expect((await inputsOf(search.index, "wiki-index")).tags).toEqual({
      workflow: "knowledge-search",
      owner: "alex@example.com",
    });
    expect(registered.get("wiki")?.inputs).toEqual({});
  });

  it("tags the children of a component with the program's workflow by default", async () => {
    const search = new WikiSearch("docs");
    expect((await inputsOf(search.index, "docs-index")).tags).toEqual(tags);
  });
});

describe("workflowTags: checked against the registry when the program starts", () => {
  it("throws with a did-you-mean for an unregistered workflow", () => {
    expect(() => workflowTags({ workflow: "suport-triage", registry: REGISTRY })).toThrow(
      'ai-spend-guard auto-tagging: workflow "suport-triage" is not registered in workflows.yaml (did you mean "support-triage"?); registered workflows: support-triage, invoice-matching, contract-drafting, board-memo-pilot, knowledge-search, ai-spend-guard. Register it in the registry or use one of these ids.',
    );
  });

  it("says when only the letter case differs", () => {
    expect(() => workflowTags({ workflow: "Support-Triage", registry: REGISTRY })).toThrow(
      'differs only in letter case from "support-triage"',
    );
  });

  it.each([[""], ["  "], [undefined]])("rejects a missing workflow id (%j)", (workflow) => {
    expect(() => workflowTags({ workflow: workflow as string, registry: REGISTRY })).toThrow(
      'ai-spend-guard auto-tagging: pass the workflow id, e.g. registerAutoTagging({ workflow: "support-triage" })',
    );
  });

  it("reports a registry that cannot be found", () => {
    expect(() => workflowTags({ workflow: "support-triage", registry: "missing.yaml" })).toThrow(
      /missing.yaml does not exist/,
    );
  });

  it("uses the registry's tag keys", () => {
    const text = readFileSync(REGISTRY_PATH, "utf8").replace(
      "tagKeys: { workflow: workflow, owner: owner }",
      'tagKeys: { workflow: "ai:workflow", owner: "ai:owner" }',
    );
    expect(
      workflowTags({ workflow: "invoice-matching", registry: parseRegistry(text, "w.yaml") }),
    ).toEqual({
      "ai:workflow": "invoice-matching",
      "ai:owner": "priya@example.com",
    });
  });
});

describe("withTags", () => {
  const ours = { workflow: "support-triage", owner: "dana@example.com" };
  const resolved = (value: unknown) =>
    new Promise<unknown>((resolve) => {
      pulumi.output(value as pulumi.Input<Record<string, unknown>>).apply((v) => resolve(v));
    });

  it.each([
    ["map", undefined, ours],
    ["map", null, ours],
    [
      "key-value-array",
      undefined,
      [
        { key: "workflow", value: "support-triage" },
        { key: "owner", value: "dana@example.com" },
      ],
    ],
    ["json", undefined, ours],
    ["json", { team: "a" }, { ...ours, team: "a" }],
    [
      "json",
      [{ key: "team", value: "a" }],
      [
        { key: "team", value: "a" },
        { key: "workflow", value: "support-triage" },
        { key: "owner", value: "dana@example.com" },
      ],
    ],
    ["json", "not-tags", "not-tags"],
  ] as const)("%s shape, existing %j", (shape, existing, expected) => {
    expect(withTags(existing, { shape }, ours)).toEqual(expected);
  });

  it("leaves a tag map that is unknown at preview for the update to complete", () => {
    expect(withTags(pulumi.unknown, { shape: "map" }, ours)).toBe(pulumi.unknown);
  });

  it("keeps per-key unknowns where they are", () => {
    expect(withTags({ owner: pulumi.unknown }, { shape: "map" }, ours)).toEqual({
      workflow: "support-triage",
      owner: pulumi.unknown,
    });
  });

  it("waits for an Output map or an array with an Output key", async () => {
    expect(await resolved(withTags(pulumi.output({ team: "a" }), { shape: "map" }, ours))).toEqual({
      ...ours,
      team: "a",
    });
    const array = [{ key: pulumi.output("owner"), value: "x@example.com" }];
    expect(await resolved(withTags(array, { shape: "key-value-array" }, ours))).toEqual([
      { key: "owner", value: "x@example.com" },
      { key: "workflow", value: "support-triage" },
    ]);
  });

  it("never changes or drops a key the program set (any map)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (existing) => {
        const merged = withTags(existing, { shape: "map" }, ours) as Record<string, string>;
        for (const [key, value] of Object.entries(existing)) expect(merged[key]).toBe(value);
        for (const [key, value] of Object.entries(ours))
          expect(merged[key]).toBe(existing[key] ?? value);
        expect(Object.keys(merged).length).toBe(
          new Set([...Object.keys(existing), ...Object.keys(ours)]).size,
        );
      }),
    );
  });

  it("never duplicates a key in [{key, value}] tags", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            key: fc.constantFrom("workflow", "owner", "team", "Owner"),
            value: fc.string(),
          }),
          { selector: (t) => t.key },
        ),
        (existing) => {
          const merged = withTags(existing, { shape: "key-value-array" }, ours) as {
            key: string;
          }[];
          const keys = merged.map((t) => t.key);
          expect(new Set(keys).size).toBe(keys.length);
          expect(merged.slice(0, existing.length)).toEqual(existing);
          expect(keys).toEqual(expect.arrayContaining(["workflow", "owner"]));
        },
      ),
    );
  });
});

describe("the shipped entry, ai-spend-guard/auto-tag", () => {
  it("resolves to the bundle and works without the TypeScript sources", () => {
    const script = [
      'const { workflowTags } = require("ai-spend-guard/auto-tag");',
      'console.log(require.resolve("ai-spend-guard/auto-tag"));',
      'console.log(JSON.stringify(workflowTags({ workflow: "invoice-matching" })));',
    ].join("\n");
    const result = spawnSync(process.execPath, ["-e", script], {
      cwd: ROOT,
      env: { ...process.env, AI_SPEND_GUARD_REGISTRY: REGISTRY_PATH },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    const [path, tags] = result.stdout.trim().split("\n");
    expect(path).toMatch(/dist[\\/]auto-tag\.js$/);
    expect(JSON.parse(tags!)).toEqual({ workflow: "invoice-matching", owner: "priya@example.com" });
  });

  it("is typed for TypeScript programs", () => {
    const typed: typeof shipped.registerAutoTagging = registerAutoTagging;
    expect(typed).toBe(registerAutoTagging);
  });
});
