/**
 * What real Pulumi files exposed (issue: right on real inputs): each case edits a document in
 * the shape the CLI writes it, checks it, and asserts what a user would read.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocument, PulumiDocumentError, readPulumiDocument } from "../../src/check";
import type { CheckReport } from "../../src/check";
import { parseRegistry } from "../../src/registry";
import { examplePreview, fixture, ROOT } from "./fixtures";
import {
  cliJson,
  defaultProvider,
  preview,
  stackExport,
  stackSame,
  state,
  step,
  TAGGED,
  urnOf,
} from "./shapes";

const REGISTRY_TEXT = readFileSync(join(ROOT, "workflows.yaml"), "utf8");
const REGISTRY = parseRegistry(REGISTRY_TEXT, "workflows.yaml");
const TODAY = "2026-11-28";

function check(doc: unknown, registry = REGISTRY, extraAiTypes?: string[]): CheckReport {
  const text = typeof doc === "string" ? doc : cliJson(doc);
  return checkDocument("doc.json", readPulumiDocument(text, "doc.json"), {
    registry,
    today: TODAY,
    ...(extraAiTypes === undefined ? {} : { extraAiTypes }),
  });
}

const findingsOf = (report: CheckReport, name: string) =>
  report.findings.filter((f) => f.name === name);

const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";

/** The example preview with more steps, its change summary counting them. */
function exampleWith(steps: unknown[], summary: Record<string, number> = {}) {
  const doc = JSON.parse(examplePreview()) as {
    steps: unknown[];
    changeSummary: Record<string, number>;
  };
  doc.steps.push(...steps);
  for (const [op, n] of Object.entries(summary)) {
    doc.changeSummary[op] = (doc.changeSummary[op] ?? 0) + n;
  }
  return doc;
}

describe("1. reads and external resources are not the program's to tag", () => {
  // `aws.sagemaker.Endpoint.get("shared", "shared-endpoint")`: a read step with empty inputs.
  const read = state(ENDPOINT, "shared-endpoint", {
    id: "shared-endpoint",
    external: true,
    inputs: {},
    outputs: { name: "shared-endpoint", tags: TAGGED, tagsAll: TAGGED },
  });

  it("a read step in a preview is never blocked, and the note says it was not checked", () => {
    const report = check(exampleWith([step("read", read)], { read: 1 }));
    expect(findingsOf(report, "shared-endpoint")).toEqual([]);
    expect(report.clean.map((c) => c.name)).not.toContain("shared-endpoint");
    expect(report.notes).toContainEqual(
      expect.stringContaining(
        `1 resource(s) are only read by the program (\`.get()\`, or \`external\` in a state): ${ENDPOINT} shared-endpoint`,
      ),
    );
    expect(report.summary.readOnly).toBe(1);
  });

  it("an untagged read is not blocked either: nobody could fix it in this program", () => {
    const untagged = { ...read, outputs: { name: "shared-endpoint", tags: {} } };
    const report = check(exampleWith([step("read", untagged)], { read: 1 }));
    expect(findingsOf(report, "shared-endpoint")).toEqual([]);
  });

  it("an `external: true` resource in a stack export is only read, never blocked", () => {
    const doc = JSON.parse(fixture("stack-export-ai.json")) as {
      deployment: { resources: unknown[] };
    };
    doc.deployment.resources.push({
      ...read,
      outputs: { name: "shared-endpoint", tags: {}, tagsAll: {} },
    });
    const report = check(doc);
    expect(findingsOf(report, "shared-endpoint")).toEqual([]);
    expect(report.notes.join("\n")).toContain("only read by the program");
    // The deployed resources the program manages are still checked.
    expect(report.findings.some((f) => f.enforcement === "mandatory")).toBe(true);
  });
});

describe("2. the --show-sames note compares like with like", () => {
  const component = state("ai-platform:search:WikiSearch", "legacy-search", { custom: false });
  const sames = [
    step("same", defaultProvider(), defaultProvider()),
    step("same", component, component),
    step(
      "same",
      state(ENDPOINT, "kept", { inputs: { tags: TAGGED } }),
      state(ENDPOINT, "kept", { inputs: { tags: TAGGED } }),
    ),
  ];

  it("says nothing on a --show-sames preview with components and providers", () => {
    // changeSummary counts the stack, providers and components too: 1 + 3.
    const doc = preview({ steps: [stackSame(), ...sames], changeSummary: { same: 4 } });
    const report = check(doc);
    expect(report.notes.filter((n) => n.includes("--show-sames"))).toEqual([]);
  });

  it("counts what is missing, whatever its kind, without --show-sames", () => {
    const doc = preview({ steps: [stackSame()], changeSummary: { same: 4 } });
    expect(check(doc).notes).toContain(
      "3 unchanged resource(s), component(s) or provider(s) are not listed in this preview and were not checked; run `pulumi preview --json --show-sames` to check them too",
    );
  });

  it("a resource whose protect changed is listed without --show-sames, and not taken for it", () => {
    const before = state(ENDPOINT, "kept", { inputs: { tags: TAGGED } });
    const after = state(ENDPOINT, "kept", { inputs: { tags: TAGGED }, protect: true });
    const doc = preview({
      steps: [stackSame(), step("same", after, before)],
      changeSummary: { same: 4 },
    });
    expect(check(doc).notes).toContainEqual(expect.stringMatching(/^2 unchanged resource/));
  });
});

describe("3. secret advice only when a secret hides tags", () => {
  const ciphertext = (text: string) => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    ciphertext: `v1:${text}`,
  });

  it("an RDS password or SSM parameter that is secret gives no secret advice", () => {
    const doc = stackExport([
      state("aws:rds/instance:Instance", "db", {
        id: "db-1",
        inputs: { password: ciphertext("abc"), tags: TAGGED },
        outputs: { password: ciphertext("abc"), tags: TAGGED, tagsAll: TAGGED },
      }),
      state("aws:ssm/parameter:Parameter", "token", {
        id: "token",
        outputs: { value: ciphertext("def"), type: "SecureString" },
      }),
      state(ENDPOINT, "tagged", { id: "tagged", outputs: { tags: TAGGED, tagsAll: TAGGED } }),
    ]);
    const report = check(doc);
    expect(report.notes).toEqual([]);
    expect(report.clean.map((c) => c.name)).toEqual(["tagged"]);
  });

  it("a secret elsewhere on an AI resource is no reason either", () => {
    const doc = preview({
      steps: [
        stackSame(),
        step(
          "create",
          state("aws:sagemaker/model:Model", "m", {
            inputs: {
              primaryContainer: { environment: { API_KEY: "[secret]" } },
              tags: TAGGED,
            },
          }),
        ),
      ],
      changeSummary: { same: 1, create: 1 },
    });
    expect(check(doc).notes).toEqual([]);
  });

  it("a secret tag value is named, with the narrow fix first and no plaintext export", () => {
    const doc = stackExport([
      state(ENDPOINT, "hidden", {
        id: "hidden",
        outputs: { tags: { workflow: "support-triage", owner: ciphertext("x") } },
      }),
    ]);
    const report = check(doc);
    expect(report.notes).toHaveLength(1);
    const [note] = report.notes;
    expect(note).toContain(`${ENDPOINT} hidden: tags.owner`);
    expect(note).toContain("pulumi.unsecret");
    // The fix that writes every secret of the stack to disk is not the advice.
    expect(note).not.toMatch(/pulumi stack export --show-secrets >/);
    expect(note).toContain("pulumi stack export --show-secrets | ai-spend-guard check -");
  });

  it("a provider's secret defaultTags are named as the provider's", () => {
    const doc = preview({
      config: { "aws:region": "us-east-1", "aws:defaultTags": "[secret]" },
      steps: [stackSame(), step("create", state(ENDPOINT, "e", { inputs: {} }))],
      changeSummary: { same: 1, create: 1 },
    });
    const report = check(doc);
    expect(report.notes).toContainEqual(
      expect.stringContaining(`${ENDPOINT} e: defaultTags of provider default_7_48_0`),
    );
  });
});

describe("7. fix suggestions that compile", () => {
  const registry = parseRegistry(
    REGISTRY_TEXT.replace(
      "tagKeys: { workflow: workflow, owner: owner }",
      'tagKeys: { workflow: "acme:workflow", owner: acme-owner }',
    ),
    "workflows.yaml",
  );

  it("quotes every tag key that is not an identifier", () => {
    const doc = preview({
      steps: [stackSame(), step("create", state(ENDPOINT, "e", { inputs: {} }))],
      changeSummary: { same: 1, create: 1 },
    });
    const [finding] = check(doc, registry).findings;
    expect(finding!.message).toContain(
      'tags: { "acme:workflow": "<workflow id>", "acme-owner": "<owner email>" }',
    );
  });

  it("in the invoker rule too", () => {
    const role = state("aws:iam/role:Role", "invoker", {
      inputs: { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"] },
    });
    const doc = preview({
      steps: [stackSame(), step("create", role)],
      changeSummary: { same: 1, create: 1 },
    });
    const finding = check(doc, registry).findings.find((f) => f.enforcement === "mandatory");
    expect(finding!.message).toContain(
      'tags: { "acme:workflow": "<workflow id>", "acme-owner": "<owner email>" }',
    );
  });
});

describe("8. encodings", () => {
  const text = examplePreview();
  const utf16be = (s: string) => {
    const le = Buffer.from(s, "utf16le");
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return le;
  };

  it.each([
    ["UTF-16 LE with BOM (PowerShell's `>`)", Buffer.from(`\uFEFF${text}`, "utf16le")],
    ["UTF-16 BE with BOM", utf16be(`\uFEFF${text}`)],
    ["UTF-8 with BOM", Buffer.from(`\uFEFF${text}`, "utf8")],
  ])("reads %s", (_, bytes) => {
    const read = readPulumiDocument(bytes, "p.json");
    expect(read.resources.length).toBe(readPulumiDocument(text, "p.json").resources.length);
  });

  it("refuses bytes that are not UTF-8, saying where", () => {
    const bytes = Buffer.concat([Buffer.from('{"steps": ["'), Buffer.from([0xff, 0xfe, 0x41])]);
    expect(() => readPulumiDocument(bytes, "p.json")).toThrow(
      /^p\.json: is not UTF-8 text \(byte 0xff at offset 12\)/,
    );
  });

  it.each([
    ["workflows.yaml", REGISTRY_TEXT, "looks like YAML"],
    ["an HTML page", "<!DOCTYPE html><html><body>Sign in</body></html>", "looks like HTML or XML"],
    [
      "the progress output of `pulumi preview`",
      "Previewing update (prod)\n\n     Type                 Name\n +   pulumi:pulumi:Stack  ai-platform-prod\n",
      "looks like the progress output of `pulumi preview` or `pulumi up`",
    ],
    ["binary data", "\u0000\u0001\u0002PK\u0003\u0004", "looks like binary data"],
  ])("says what %s looks like", (_, content, looks) => {
    expect(() => readPulumiDocument(content, "p.json")).toThrow(looks);
  });
});

describe("10. a customer managed policy from outside the file never passes silently", () => {
  const arn = "arn:aws:iam::123456789012:policy/platform/bedrock-invoke";
  const role = state("aws:iam/role:Role", "batch-runner", {
    inputs: { name: "batch-runner", assumeRolePolicy: "{}" },
  });
  const attachment = state(
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "batch-runner-invoke",
    { inputs: { role: "batch-runner", policyArn: arn } },
  );

  it("an untagged role attached to it gets an advisory naming the ARN", () => {
    const doc = preview({
      steps: [stackSame(), step("create", role), step("create", attachment)],
      changeSummary: { same: 1, create: 2 },
    });
    const report = check(doc);
    const [finding] = findingsOf(report, "batch-runner");
    expect(finding).toMatchObject({ policy: "ai-invoker-attributable", enforcement: "advisory" });
    expect(finding!.message).toContain(arn);
    expect(finding!.message).toContain("not in this file");
    expect(report.passed).toBe(true);
  });

  it("a tagged role needs no advisory", () => {
    const tagged = { ...role, inputs: { ...role.inputs, tags: TAGGED } };
    const doc = preview({
      steps: [stackSame(), step("create", tagged), step("create", attachment)],
      changeSummary: { same: 1, create: 2 },
    });
    expect(findingsOf(check(doc), "batch-runner")).toEqual([]);
  });

  it("an AWS managed policy that does not invoke is no reason for one", () => {
    const readOnly = {
      ...attachment,
      inputs: { role: "batch-runner", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    };
    const doc = preview({
      steps: [stackSame(), step("create", role), step("create", readOnly)],
      changeSummary: { same: 1, create: 2 },
    });
    expect(findingsOf(check(doc), "batch-runner")).toEqual([]);
  });
});

describe("11. JSON lines: say what the file is", () => {
  const lines = (...events: unknown[]) => events.map((e) => JSON.stringify(e)).join("\n") + "\n";
  const prelude = { sequence: 0, timestamp: 1764580000, preludeEvent: { config: {} } };
  const pre = (planning: boolean) => ({
    sequence: 1,
    timestamp: 1764580001,
    resourcePreEvent: {
      metadata: { op: "create", urn: urnOf(ENDPOINT, "e"), type: ENDPOINT, provider: "" },
      ...(planning ? { planning: true } : {}),
    },
  });
  const summary = (isPreview: boolean) => ({
    sequence: 2,
    timestamp: 1764580002,
    summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges: {}, isPreview },
  });

  it.each([
    [
      "`pulumi up --json` / `--event-log`",
      lines(prelude, pre(false), summary(false)),
      "holds the engine events of an update (`pulumi up --json`, or an `--event-log` file)",
    ],
    [
      "a streaming preview",
      lines(prelude, pre(true), summary(true)),
      "holds the streaming engine events of a preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW); unset it",
    ],
    [
      "a PULUMI_DEBUG_GRPC log",
      lines(
        { method: "/pulumirpc.ResourceMonitor/SupportsFeature", request: {}, response: {} },
        { method: "/pulumirpc.ResourceMonitor/RegisterResource", request: { type: ENDPOINT } },
      ),
      "is a gRPC log (PULUMI_DEBUG_GRPC)",
    ],
  ])("%s", (_, content, problem) => {
    expect(() => readPulumiDocument(content, "f.json")).toThrow(problem);
    expect(() => readPulumiDocument(content, "f.json")).toThrow(
      /run `pulumi preview --json > preview\.json`|pulumi stack export/,
    );
  });
});

describe("12. smaller ones", () => {
  it("a v0 checkpoint names its version", () => {
    const doc = { target: "prod", config: {}, latest: { resources: [] } };
    expect(() => readPulumiDocument(JSON.stringify(doc), "c.json")).toThrow(
      /^c\.json: is a version 0 checkpoint/,
    );
  });

  it("a v4 state with a feature this tool does not know is refused, as Pulumi does", () => {
    const doc = stackExport([], 4, { features: ["views", "teleportation"] });
    expect(() => readPulumiDocument(JSON.stringify(doc), "e.json")).toThrow(
      'e.json: uses state feature(s) this version of ai-spend-guard does not know: "teleportation"',
    );
    const known = stackExport([], 4, { features: ["refreshBeforeUpdate", "views", "hooks"] });
    expect(readPulumiDocument(JSON.stringify(known), "e.json").resources).toEqual([]);
  });

  it("counts and lists only what the rules found to be AI, and no deletions", () => {
    const report = check(examplePreview());
    // The example holds a deletion (legacy-summarizer) and a log group.
    expect(report.summary).toMatchObject({ resources: 14, aiResources: 11, deleted: 1 });
    const notVector = state("aws:opensearch/serverlessCollection:ServerlessCollection", "logs", {
      inputs: { type: "TIMESERIES", tags: TAGGED },
    });
    const withCollection = check(exampleWith([step("create", notVector)], { create: 1 }));
    expect(withCollection.summary.aiResources).toBe(11);
    expect(withCollection.clean.map((c) => c.name)).not.toContain("logs");
  });

  it("lists clean resources with their type", () => {
    expect(check(examplePreview()).clean).toContainEqual({
      urn: urnOf("aws:bedrock/inferenceProfile:InferenceProfile", "support-triage-haiku"),
      type: "aws:bedrock/inferenceProfile:InferenceProfile",
      name: "support-triage-haiku",
    });
  });

  it("talks about the deployed state, not an update, on an export", () => {
    const doc = stackExport([
      state(ENDPOINT, "hidden", {
        id: "hidden",
        outputs: {
          tags: {
            workflow: "support-triage",
            owner: {
              "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
              ciphertext: "v1:x",
            },
          },
        },
      }),
    ]);
    const [finding] = check(doc).findings;
    expect(finding!.message).toContain("cannot be read in this file");
    expect(finding!.message).not.toMatch(/update|preview/);
  });

  it("fails a PulumiDocumentError, not a crash, on every case above", () => {
    expect(() => readPulumiDocument("{}", "x.json")).toThrow(PulumiDocumentError);
  });
});
