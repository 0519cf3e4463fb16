import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  normalizeValue,
  parseProviderReference,
  parseUrn,
  PulumiDocumentError,
  readPulumiDocument,
  SIG_KEY,
  SIGNATURES,
} from "../../src/check";
import { newValueStats } from "../../src/check/values";
import { UNKNOWN } from "../../src/policy/types";
import type { ResourceInput } from "../../src/policy/types";
import { examplePreview, fixture, PROJECT } from "./fixtures";

const byName = (resources: readonly ResourceInput[], name: string) => {
  const found = resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
};

describe("pulumi preview --json", () => {
  const result = readPulumiDocument(examplePreview(), "preview.json");

  it("is recognised as a preview", () => {
    expect(result.format).toBe("preview");
  });

  it("lists cloud resources only: no stack, provider or component", () => {
    expect(result.resources.map((r) => r.name)).toEqual([
      "wiki-embed-config",
      "wiki-embeddings",
      "support-triage-haiku",
      "memo-drafts",
      "wiki-index",
      "triage-invoker",
      "triage-invoke-bedrock",
      "contract-assistant",
      "wiki-vectors",
      "scratch-analysis",
      "nightly-ticket-batch",
      "invoice-nova",
      "ticket-router",
      "invocation-logs",
      "legacy-summarizer",
    ]);
  });

  it("reads newState.inputs for changes and oldState for a deletion", () => {
    const vectors = byName(result.resources, "wiki-vectors");
    expect(vectors.op).toBe("update");
    expect(vectors.props.tags).toEqual({ owner: "alex@example.com", workflow: "knowledge-serch" });
    const deleted = byName(result.resources, "legacy-summarizer");
    expect(deleted.op).toBe("delete");
    expect(deleted.props.name).toBe("legacy-summarizer");
  });

  it("reads the resource's own type for a child of a component ($ in the URN)", () => {
    const index = byName(result.resources, "wiki-index");
    expect(index.type).toBe("aws:kendra/index:Index");
    expect(index.urn).toBe(
      `${PROJECT}ai-platform:search:WikiSearch$aws:kendra/index:Index::wiki-index`,
    );
  });

  it("resolves a provider created in the same preview, defaultTags still JSON text", () => {
    const config = byName(result.resources, "wiki-embed-config");
    expect(config.provider).toEqual({
      type: "pulumi:providers:aws",
      props: expect.objectContaining({
        defaultTags: '{"tags":{"owner":"alex@example.com","workflow":"knowledge-search"}}',
      }),
    });
  });

  it("configures an unlisted default provider from the stack config", () => {
    expect(byName(result.resources, "wiki-embeddings").provider).toEqual({
      type: "pulumi:providers:aws",
      props: { region: "us-east-1" },
    });
    expect(byName(result.resources, "invoice-nova").provider).toEqual({
      type: "pulumi:providers:aws-native",
      props: {},
    });
  });

  it("keeps unknowns as UNKNOWN and turns [secret] into UNKNOWN", () => {
    expect(byName(result.resources, "contract-assistant").props.tags).toEqual({
      owner: UNKNOWN,
      workflow: "contract-drafting",
    });
    expect(byName(result.resources, "ticket-router").props.tags).toEqual({
      owner: UNKNOWN,
      workflow: "support-triage",
    });
  });

  it("carries dependencies so a policy can find its role before the role has a name", () => {
    const policy = byName(result.resources, "triage-invoke-bedrock");
    expect(policy.props.role).toBe(UNKNOWN);
    expect(policy.dependencies).toEqual([`${PROJECT}aws:iam/role:Role::triage-invoker`]);
  });

  it("keeps aws-native [{key, value}] tags as they are", () => {
    expect(byName(result.resources, "invoice-nova").props.tags).toEqual([
      { key: "workflow", value: "invoice-matching" },
      { key: "owner", value: "priya@example.com" },
    ]);
  });

  it("says what it could not see", () => {
    expect(result.notes).toEqual([
      "4 unchanged resource(s), component(s) or provider(s) are not listed in this preview and were not checked; run `pulumi preview --json --show-sames` to check them too",
    ]);
  });

  it("records where each secret was, for the report to explain", () => {
    expect(result.secrets).toEqual([
      {
        urn: `${PROJECT}aws:comprehend/documentClassifier:DocumentClassifier::ticket-router`,
        path: "tags.owner",
        kind: "hidden",
        values: [],
      },
    ]);
  });
});

describe("real previews recorded from the CLI", () => {
  it("reads an update with tags and tagsAll in the inputs", () => {
    const result = readPulumiDocument(
      fixture("real/drift-adopter_aws-tags-and-sets_preview.json"),
      "p.json",
    );
    expect(result.resources).toHaveLength(1);
    const [bucket] = result.resources;
    expect(bucket).toMatchObject({
      type: "aws:s3/bucket:Bucket",
      name: "test-bucket",
      op: "update",
    });
    expect(bucket!.props).not.toHaveProperty("__defaults");
    expect(bucket!.props.tagsAll).toMatchObject({ Owner: "team-a" });
  });

  it("reads create, replace (new state) and delete (old state)", () => {
    const result = readPulumiDocument(
      fixture("real/drift-adopter_small-scale-10_preview.json"),
      "p.json",
    );
    expect(result.resources.map((r) => [r.name, r.op])).toEqual([
      ["cmd-3", "create"],
      ["random-str-0", "replace"],
      ["random-str-extra-0", "delete"],
    ]);
    expect(result.resources[2]!.props).toEqual({ length: 16, special: false });
  });

  it("turns a [secret] input into UNKNOWN", () => {
    const result = readPulumiDocument(
      fixture("real/drift-adopter_aws-secret-input_preview.json"),
      "p.json",
    );
    expect(result.resources[0]!.props.value).toBe(UNKNOWN);
  });
});

describe("pulumi stack export", () => {
  const result = readPulumiDocument(fixture("stack-export-ai.json"), "stack-export-ai.json");

  it("is recognised, with deployed resources as `same`", () => {
    expect(result.format).toBe("stack-export");
    expect(result.resources).toHaveLength(8);
    expect(new Set(result.resources.map((r) => r.op))).toEqual(new Set(["same"]));
  });

  it("reads outputs over inputs: tagsAll from AWS, a null output does not hide an input", () => {
    const config = byName(result.resources, "wiki-embed-config");
    expect(config.props.tagsAll).toEqual({
      owner: "alex@example.com",
      workflow: "knowledge-search",
    });
    expect(config.props).not.toHaveProperty("__meta");
    expect(config.props).not.toHaveProperty("__defaults");
    const endpoint = byName(result.resources, "wiki-embeddings");
    expect(endpoint.props.tagsAll).toEqual({});
    expect(endpoint.props.tags).toBeUndefined();
  });

  it("resolves every provider from the state, including its defaultTags", () => {
    expect(byName(result.resources, "wiki-embed-config").provider?.props.defaultTags).toBe(
      '{"tags":{"owner":"alex@example.com","workflow":"knowledge-search"}}',
    );
    expect(byName(result.resources, "wiki-embeddings").provider).toEqual({
      type: "pulumi:providers:aws",
      props: {
        region: "us-east-1",
        skipCredentialsValidation: "false",
        skipRegionValidation: "true",
        version: "7.48.0",
      },
    });
  });

  it("treats an encrypted secret as UNKNOWN and records where it was", () => {
    expect(byName(result.resources, "ticket-router").props.tags).toEqual({
      owner: UNKNOWN,
      workflow: "support-triage",
    });
    expect(result.notes).toEqual([]);
    expect(result.secrets.map((s) => [s.path, s.kind])).toEqual([
      ["tags.owner", "hidden"],
      ["tagsAll.owner", "hidden"],
    ]);
  });

  it("decodes --show-secrets plaintext (JSON text) into the value", () => {
    const real = readPulumiDocument(
      fixture("real/drift-adopter_aws-secret-input_stack-export-show-secrets.json"),
      "e.json",
    );
    const token = byName(real.resources, "api-token");
    expect(token.props.value).toBe("new-api-token-uvw321");
    // `valueWo` is a secret null in the outputs: a null output never hides an input.
    expect(token.props).not.toHaveProperty("valueWo");
    expect(real.notes).toEqual([]);
  });

  it("reads a real export with the unversioned `default` provider", () => {
    const real = readPulumiDocument(fixture("real/pulumi-aws_ec2-instance_stack.json"), "e.json");
    expect(real.resources).toHaveLength(1);
    expect(real.resources[0]).toMatchObject({
      type: "aws:ec2/instance:Instance",
      op: "same",
      provider: { type: "pulumi:providers:aws", props: { region: "us-west-2" } },
    });
  });

  it("marks a copy pending deletion as a delete and an external resource as a read", () => {
    const doc = {
      version: 3,
      deployment: {
        resources: [
          {
            urn: `${PROJECT}aws:sagemaker/model:Model::old`,
            custom: true,
            type: "aws:sagemaker/model:Model",
            delete: true,
            outputs: {},
          },
          {
            urn: `${PROJECT}aws:iam/role:Role::shared`,
            custom: true,
            type: "aws:iam/role:Role",
            external: true,
            outputs: {},
          },
        ],
        pending_operations: [{ resource: {}, type: "creating" }],
      },
    };
    const read = readPulumiDocument(JSON.stringify(doc), "e.json");
    expect(read.resources.map((r) => r.op)).toEqual(["delete", "read"]);
    expect(read.notes[0]).toMatch(/^1 operation\(s\) were still pending/);
  });
});

describe("DIY checkpoint", () => {
  it("reads the same resources as the export of the same deployment", () => {
    const checkpoint = readPulumiDocument(fixture("checkpoint-ai.json"), "c.json");
    const exported = readPulumiDocument(fixture("stack-export-ai.json"), "e.json");
    expect(checkpoint.format).toBe("checkpoint");
    expect(checkpoint.resources).toEqual(exported.resources);
  });

  it("reads a real legacy checkpoint: components skipped, no provider references", () => {
    const real = readPulumiDocument(
      fixture("real/pulumi_checkpoint-secrets_checkpoint-v3.json"),
      "c.json",
    );
    expect(real.resources.map((r) => r.type)).toEqual([
      "aws:sns/topic:Topic",
      "aws:sns/topic:Topic",
      "aws:iam/role:Role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:lambda/permission:Permission",
    ]);
    expect(real.resources.every((r) => r.provider === undefined)).toBe(true);
  });

  it("reads a new stack's checkpoint (latest: null) as no resources", () => {
    const read = readPulumiDocument(
      JSON.stringify({ version: 3, checkpoint: { stack: "dev", latest: null } }),
      "c.json",
    );
    expect(read.resources).toEqual([]);
  });
});

describe("providers", () => {
  const step = (op: string, urn: string, type: string, provider?: string, inputs = {}) => ({
    op,
    urn,
    ...(provider === undefined ? {} : { provider }),
    newState: { urn, custom: true, type, inputs },
  });

  it("treats the defaultTags of an explicit provider missing from a preview as unknown", () => {
    const ref = `${PROJECT}pulumi:providers:aws::tagged::2b7c9d1e-0f3a-4b5c-8d6e-7f8091a2b3c4`;
    const doc = {
      steps: [step("create", `${PROJECT}aws:kendra/index:Index::i`, "aws:kendra/index:Index", ref)],
    };
    const read = readPulumiDocument(JSON.stringify(doc), "p.json");
    expect(read.resources[0]!.provider).toEqual({
      type: "pulumi:providers:aws",
      props: { defaultTags: UNKNOWN },
    });
    expect(read.notes).toEqual([
      "provider(s) tagged are not in the document (a preview lists only changed providers), so their defaultTags were treated as unknown; run `pulumi preview --json --show-sames` to include them",
    ]);
  });

  it("takes a default provider's defaultTags from the stack config", () => {
    const ref = `${PROJECT}pulumi:providers:aws::default_7_48_0::${UNKNOWN}`;
    const doc = {
      config: {
        "aws:defaultTags": '{"tags":{"workflow":"support-triage"}}',
        "db:password": "[secret]",
      },
      steps: [step("create", `${PROJECT}aws:kendra/index:Index::i`, "aws:kendra/index:Index", ref)],
    };
    const read = readPulumiDocument(JSON.stringify(doc), "p.json");
    expect(read.resources[0]!.provider?.props).toEqual({
      defaultTags: '{"tags":{"workflow":"support-triage"}}',
    });
    // A secret in unrelated config is not a resource value the rules missed.
    expect(read.notes).toEqual([]);
  });

  it.each([
    [
      `${PROJECT}pulumi:providers:aws::default_6_83_2::23fd4d4d-b18f-4389-9d10-db245f357c5e`,
      {
        urn: `${PROJECT}pulumi:providers:aws::default_6_83_2`,
        id: "23fd4d4d-b18f-4389-9d10-db245f357c5e",
        pkg: "aws",
        name: "default_6_83_2",
      },
    ],
    [
      `${PROJECT}pulumi:providers:aws-native::eu::${UNKNOWN}`,
      {
        urn: `${PROJECT}pulumi:providers:aws-native::eu`,
        id: UNKNOWN,
        pkg: "aws-native",
        name: "eu",
      },
    ],
    // A provider named with "::" still splits at the last one.
    [
      `${PROJECT}pulumi:providers:aws::a::b::id-1`,
      { urn: `${PROJECT}pulumi:providers:aws::a::b`, id: "id-1", pkg: "aws", name: "a::b" },
    ],
  ])("parses the provider reference %s", (reference, expected) => {
    expect(parseProviderReference(reference)).toEqual(expected);
  });

  it.each([
    "",
    "not-a-reference",
    `${PROJECT}aws:iam/role:Role::r::id`,
    `${PROJECT}pulumi:providers:aws::default`,
  ])("rejects %j as a provider reference", (reference) => {
    expect(parseProviderReference(reference)).toBeUndefined();
  });

  it("notes an unreadable provider reference instead of guessing", () => {
    const doc = {
      steps: [
        step("create", `${PROJECT}aws:kendra/index:Index::i`, "aws:kendra/index:Index", "garbage"),
      ],
    };
    const read = readPulumiDocument(JSON.stringify(doc), "p.json");
    expect(read.resources[0]!.provider).toBeUndefined();
    expect(read.notes).toEqual([
      'unreadable provider reference(s), expected "<provider URN>::<id>": garbage',
    ]);
  });
});

describe("steps", () => {
  const urn = `${PROJECT}aws:sagemaker/endpoint:Endpoint::e`;
  const state = (tags: Record<string, string>) => ({
    urn,
    custom: true,
    type: "aws:sagemaker/endpoint:Endpoint",
    inputs: { tags },
  });

  it("checks a replaced resource once, as its new state (--show-replacement-steps)", () => {
    const doc = {
      steps: [
        { op: "create-replacement", urn, newState: state({ workflow: "new" }) },
        {
          op: "replace",
          urn,
          oldState: { ...state({ workflow: "old" }), delete: true },
          newState: state({ workflow: "new" }),
        },
        { op: "delete-replaced", urn, oldState: state({ workflow: "old" }) },
      ],
    };
    const read = readPulumiDocument(JSON.stringify(doc), "p.json");
    expect(read.resources).toHaveLength(1);
    expect(read.resources[0]).toMatchObject({
      op: "replace",
      props: { tags: { workflow: "new" } },
    });
  });

  it("lets the update after a refresh step win (--refresh)", () => {
    const doc = {
      steps: [
        { op: "refresh", urn, newState: state({ workflow: "cloud" }) },
        { op: "update", urn, newState: state({ workflow: "program" }) },
      ],
    };
    const read = readPulumiDocument(JSON.stringify(doc), "p.json");
    expect(read.resources).toEqual([
      expect.objectContaining({ op: "update", props: { tags: { workflow: "program" } } }),
    ]);
  });

  it("refuses an op it does not know rather than skip the resource", () => {
    const doc = { steps: [{ op: "teleport", urn, newState: state({}) }] };
    expect(() => readPulumiDocument(JSON.stringify(doc), "p.json")).toThrow(
      /^p\.json: steps\[0\]\.op is "teleport", which this version of ai-spend-guard does not know/,
    );
  });

  it("notes a preview that failed, since its steps may be incomplete", () => {
    const doc = {
      steps: [],
      diagnostics: [{ message: "TypeError: x is undefined\n  at index.ts:3", severity: "error" }],
    };
    expect(readPulumiDocument(JSON.stringify(doc), "p.json").notes).toEqual([
      "the preview reported 1 error(s), so its steps may be incomplete: TypeError: x is undefined",
    ]);
  });
});

describe("bad input: one line that names the file and what to do", () => {
  const preview = examplePreview();
  it.each([
    [
      "an empty file",
      "  \n",
      "is empty; expected the output of `pulumi preview --json` or of `pulumi stack export`",
    ],
    [
      "the human-readable preview",
      "Previewing update (prod)\n\n     Type  Name\n",
      "is not JSON: it looks like the progress output of `pulumi preview` or `pulumi up` (did you forget `--json`, or capture the terminal?); expected the output of `pulumi preview --json` or of `pulumi stack export`",
    ],
    [
      "streaming engine events",
      '{"sequence":0,"timestamp":1}\n{"sequence":1,"timestamp":2}\n',
      "holds engine events, one JSON object per line (`pulumi up --json`, `--event-log` or a streaming preview); run `pulumi preview --json > preview.json` (one JSON document) to check a change, or `pulumi stack export > state.json` to audit what is deployed",
    ],
    [
      "a JSON array",
      "[1, 2]",
      "holds a JSON array, not an object; expected the output of `pulumi preview --json` or of `pulumi stack export`",
    ],
    [
      "some other JSON",
      '{"name": "ai-platform", "runtime": "nodejs"}',
      'is neither a preview (no "steps") nor a state export (no "deployment" or "checkpoint"); its top-level keys are name, runtime; expected the output of `pulumi preview --json` or of `pulumi stack export`',
    ],
    [
      "a future export version",
      '{"version": 9, "deployment": {"resources": []}}',
      "is a version 9 state export; this tool reads versions 1, 2, 3, 4 (upgrade ai-spend-guard)",
    ],
    [
      "an export without a version",
      '{"deployment": {"resources": []}}',
      'has no numeric "version"; a state export starts with {"version": 3, "deployment": ...}',
    ],
    [
      "steps that are not a list",
      '{"steps": {}}',
      "steps: expected an array, got a object (is the file a complete `pulumi preview --json` output?)",
    ],
    [
      "a step without a URN",
      '{"steps": [{"op": "create"}]}',
      "steps[0].urn: expected a non-empty string, got a undefined (is the file a complete `pulumi preview --json` output?)",
    ],
    [
      "an export resource without a type",
      '{"version": 3, "deployment": {"resources": [{"urn": "u"}]}}',
      "deployment.resources[0].type: expected a non-empty string, got a undefined (is the file a complete state export?)",
    ],
  ])("%s", (_, text, problem) => {
    const read = () => readPulumiDocument(text, "out.json");
    expect(read).toThrow(PulumiDocumentError);
    expect(read).toThrow(`out.json: ${problem}`);
  });

  it("a truncated preview says it is truncated", () => {
    const read = () => readPulumiDocument(preview.slice(0, 5000), "out.json");
    expect(read).toThrow(
      /^out.json: is truncated \(the JSON ends early: .+\); write the whole output to the file again$/,
    );
  });

  it.each([10, 1000, 20_000, preview.length - 3])(
    "any truncation at %i is an error, never a partial read",
    (at) => {
      expect(() => readPulumiDocument(preview.slice(0, at), "out.json")).toThrow(
        PulumiDocumentError,
      );
    },
  );

  it("every error message is one line", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          readPulumiDocument(text, "f.json");
        } catch (error) {
          expect(error).toBeInstanceOf(PulumiDocumentError);
          expect((error as Error).message).not.toContain("\n");
        }
      }),
    );
  });
});

describe("values", () => {
  const secret = (plaintext: string) => ({ [SIG_KEY]: SIGNATURES.secret, plaintext });

  it.each([
    ["[secret]", UNKNOWN],
    [{ [SIG_KEY]: SIGNATURES.secret, ciphertext: "v1:abc:def" }, UNKNOWN],
    [secret('"dana@example.com"'), "dana@example.com"],
    [secret('{"owner":"[secret]"}'), { owner: UNKNOWN }],
    [secret("not json"), UNKNOWN],
    [
      { [SIG_KEY]: SIGNATURES.resourceReference, urn: "urn:x", id: "role-1", packageVersion: "" },
      "role-1",
    ],
    [
      { [SIG_KEY]: SIGNATURES.resourceReference, urn: "urn:x", id: "", packageVersion: "" },
      UNKNOWN,
    ],
    [{ tags: { owner: UNKNOWN }, __defaults: ["x"] }, { tags: { owner: UNKNOWN } }],
  ])("normalises %j", (value, expected) => {
    expect(normalizeValue(value, newValueStats())).toEqual(expected);
  });

  it("never leaves a secret where a rule could read it as a value", () => {
    const withSecrets = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constant("[secret]"),
        fc.constant({ [SIG_KEY]: SIGNATURES.secret, ciphertext: "v1:a:b" }),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(withSecrets, (value) => {
        const text = JSON.stringify(normalizeValue(value, newValueStats())) ?? "";
        expect(text).not.toContain("[secret]");
        expect(text).not.toContain(SIGNATURES.secret);
      }),
    );
  });

  it.each([
    [
      `${PROJECT}aws:iam/role:Role::r`,
      { stack: "prod", project: "ai-platform", type: "aws:iam/role:Role", name: "r" },
    ],
    [
      `${PROJECT}a:b:C$aws:iam/role:Role::r::x`,
      { stack: "prod", project: "ai-platform", type: "aws:iam/role:Role", name: "r::x" },
    ],
  ])("parses the URN %s", (urn, expected) => {
    expect(parseUrn(urn)).toEqual(expected);
  });
});
