import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findingRows, shortType } from "../../src/cli/check-table";
import { wrap } from "../../src/util/wrap";
import type { CheckReport } from "../../src/check";
import { run } from "../../src/cli/main";
import { memoryIo } from "../helpers/io";
import { MAX_DOCUMENT_BYTES } from "../../src/check";
import { FIXTURES, ROOT } from "./fixtures";
import { cliJson, preview, stackSame, state, step, TAGGED } from "./shapes";

const REGISTRY = join(ROOT, "workflows.yaml");
/** The example preview the README and the demo show, as a user types its path in the project. */
const PREVIEW = "examples/preview.json";
/** A test fixture's path from the project root. */
const pulumiFixture = (name: string) => relative(ROOT, join(FIXTURES, name));
/** The files are checked against the repository's registry on a fixed day, from the root. */
const io = (overrides: Parameters<typeof memoryIo>[0] = {}) =>
  memoryIo({ cwd: ROOT, env: { AI_SPEND_GUARD_REGISTRY: REGISTRY }, ...overrides });

async function jsonReport(file: string, ...args: string[]): Promise<[number, CheckReport]> {
  const out = io();
  const code = await run(["check", file, "--json", ...args], out);
  return [code, JSON.parse(out.stdout()) as CheckReport];
}

const brief = (report: CheckReport) =>
  report.findings.map((f) => `${f.enforcement} ${f.policy} ${f.name}`);

describe("ai-spend-guard check on pulumi preview --json", () => {
  it("exits 1 and lists every finding, mandatory first", async () => {
    const [code, report] = await jsonReport(PREVIEW);
    expect(code).toBe(1);
    expect(report.passed).toBe(false);
    expect(brief(report)).toEqual([
      "mandatory ai-resource-tags wiki-embeddings",
      "mandatory ai-model-allowed memo-drafts",
      "mandatory ai-resource-tags wiki-index",
      "mandatory ai-invoker-attributable triage-invoker",
      "mandatory ai-workflow-registered wiki-vectors",
      "advisory ai-workflow-review-date memo-drafts",
      "advisory ai-invoker-attributable triage-invoker",
      "advisory ai-workflow-registered contract-assistant",
      "advisory ai-resource-tags scratch-analysis",
      "advisory ai-resource-tags nightly-ticket-batch",
      "advisory ai-workflow-registered ticket-router",
    ]);
    // The deletion is not checked, so neither counted among the resources nor the AI ones.
    expect(report.summary).toEqual({
      resources: 14,
      aiResources: 11,
      mandatory: 5,
      advisory: 6,
      deleted: 1,
      readOnly: 0,
    });
  });

  it("passes what is right: defaultTags only, aws-native array tags, allowed models", async () => {
    const [, report] = await jsonReport(PREVIEW);
    expect(report.clean.map((c) => `${c.type} ${c.name}`)).toEqual([
      "aws:sagemaker/endpointConfiguration:EndpointConfiguration wiki-embed-config",
      "aws:bedrock/inferenceProfile:InferenceProfile support-triage-haiku",
      "aws-native:bedrock:ApplicationInferenceProfile invoice-nova",
    ]);
  });

  it("never blocks the deletion or the non-AI log group", async () => {
    const [, report] = await jsonReport(PREVIEW);
    const named = new Set(report.findings.map((f) => f.name));
    expect(named.has("legacy-summarizer")).toBe(false);
    expect(named.has("invocation-logs")).toBe(false);
  });

  it("reports case drift, typos and unknowns in words a person can act on", async () => {
    const [, report] = await jsonReport(PREVIEW);
    const message = (name: string, policy: string) =>
      report.findings.find((f) => f.name === name && f.policy === policy)?.message ?? "";
    expect(message("wiki-index", "ai-resource-tags")).toContain(
      'It has a "Owner" tag, which differs only in letter case',
    );
    expect(message("wiki-vectors", "ai-workflow-registered")).toContain(
      'did you mean "knowledge-search"?',
    );
    expect(message("contract-assistant", "ai-workflow-registered")).toContain(
      "not known until the update",
    );
  });

  it("prints a table for people with the verdict and the notes", async () => {
    const out = io();
    expect(await run(["check", PREVIEW], out)).toBe(1);
    const text = out.stdout();
    expect(text).toContain(
      "ai-spend-guard check: examples/preview.json (pulumi preview --json), 14 resource(s) checked, 11 AI (not checked: 1 deleted); registry",
    );
    expect(text).toMatch(/^RESOURCE +POLICY +ENFORCEMENT +MESSAGE$/m);
    expect(text).toMatch(/^wiki-embeddings +ai-resource-tags +mandatory +aws:sagemaker/m);
    expect(text).toMatch(/^aws:sagemaker\/endpoint +"workflow" and "owner" tags/m);
    expect(text).toContain(
      "ok: aws:sagemaker/endpointConfiguration wiki-embed-config,\n    aws:bedrock/inferenceProfile support-triage-haiku,",
    );
    expect(text).toContain(
      "note: 4 unchanged resource(s), component(s) or provider(s) are not listed in this preview",
    );
    expect(text.trimEnd().split("\n").pop()).toBe(
      "FAILED: 5 mandatory, 6 advisory; the deployment must not go ahead until the mandatory findings are fixed",
    );
    // No colour codes when the output is not a terminal.
    expect(text).not.toContain("\u001b[");
  });

  it("exits 0 when only advisories remain", async () => {
    const doc = JSON.parse(readFileSync(join(ROOT, PREVIEW), "utf8"));
    const keep = new Set(["same", "create-provider"]);
    doc.steps = doc.steps.filter(
      (s: { op: string; urn: string }) =>
        keep.has(s.op) ||
        /::(search-tagged|wiki-embed-config|support-triage-haiku|contract-assistant|nightly-ticket-batch)$/.test(
          s.urn,
        ),
    );
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    writeFileSync(join(dir, "preview.json"), JSON.stringify(doc));
    const out = io({ cwd: dir });
    expect(await run(["check", "preview.json"], out)).toBe(0);
    expect(out.stdout()).toMatch(/passed: 0 mandatory, 2 advisory$/);
  });

  it("applies the review date of the day it runs", async () => {
    const out = io({ today: "2026-12-09" });
    await run(["check", PREVIEW, "--json"], out);
    const report = JSON.parse(out.stdout()) as CheckReport;
    expect(brief(report)).toContain("mandatory ai-workflow-review-date memo-drafts");
  });

  it("--ai-type treats another type as an AI resource, like the pack's extraAiTypes", async () => {
    const [, report] = await jsonReport(PREVIEW, "--ai-type", "aws:cloudwatch/logGroup:LogGroup");
    expect(brief(report)).toContain("mandatory ai-resource-tags invocation-logs");
    expect(report.summary.aiResources).toBe(12);
  });
});

describe("ai-spend-guard check on deployed state", () => {
  it.each(["stack-export-ai.json", "checkpoint-ai.json"])("audits %s", async (file) => {
    const [code, report] = await jsonReport(pulumiFixture(file));
    expect(code).toBe(1);
    expect(brief(report)).toEqual([
      "mandatory ai-resource-tags wiki-embeddings",
      "mandatory ai-resource-tags wiki-index",
      "advisory ai-invoker-attributable triage-invoker",
      "advisory ai-workflow-registered ticket-router",
    ]);
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(
      /^secret values hide tags the rules read \(aws:comprehend\/documentClassifier:DocumentClassifier ticket-router: tags\.owner, tagsAll\.owner\)/,
    );
  });

  it("passes an export with nothing to report", async () => {
    const [code, report] = await jsonReport(
      pulumiFixture("real/pulumi-aws_ec2-instance_stack.json"),
    );
    expect(code).toBe(0);
    expect(report).toMatchObject({ format: "stack-export", passed: true, findings: [] });
  });
});

describe("ai-spend-guard check: usage and input errors exit 2 with one clear line", () => {
  const scratch = (name: string, content: string) => {
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    writeFileSync(join(dir, name), content);
    return dir;
  };

  it.each([
    [["check"], "check takes exactly one file, got none"],
    [["check", "a.json", "b.json"], "check takes exactly one file, got 2"],
    [["check", "missing.json"], "error: missing.json: no such file"],
    [["check", "."], "error: .: is a directory, not a file"],
    [["check", PREVIEW, "--jsn"], "Unknown option '--jsn'"],
  ])("%j", async (argv, message) => {
    const out = io();
    expect(await run(argv, out)).toBe(2);
    expect(out.stderr()).toContain(message);
    expect(out.stdout()).toBe("");
  });

  it.each([
    ["not JSON", "Previewing update (prod):\n", "is not JSON"],
    ["truncated", '{"steps": [{"op": "create", "urn": "urn:pu', "is truncated"],
    ["neither format", '{"resources": []}', "is neither a preview"],
  ])("a file that is %s", async (_, content, problem) => {
    const out = io({ cwd: scratch("out.json", content) });
    expect(await run(["check", "out.json"], out)).toBe(2);
    const lines = out.stderr().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: out\\.json: ${problem}`));
  });

  it("a missing registry exits 2; an invalid one exits 1 with its problems", async () => {
    const missing = io();
    expect(await run(["check", PREVIEW, "--registry", "nope.yaml"], missing)).toBe(2);
    expect(missing.stderr()).toMatch(/^error: .*nope.yaml/);

    const bad = readFileSync(REGISTRY, "utf8").replace("owner: dana@example.com", "owners: x");
    const dir = scratch("workflows.yaml", bad);
    const invalid = io();
    const code = await run(["check", PREVIEW, "--registry", join(dir, "workflows.yaml")], invalid);
    expect(code).toBe(1);
    expect(invalid.stderr()).toContain("error: the registry is invalid");
    expect(invalid.stderr()).toMatch(/workflows.yaml:\d+:\d+ {2}workflows.support-triage.owners/);
  });

  it("--help documents the exit codes", async () => {
    const out = io();
    expect(await run(["check", "--help"], out)).toBe(0);
    expect(out.stdout()).toContain("Exit codes: 0 no mandatory violation, 1 a mandatory violation");
  });
});

describe("the installed bin", () => {
  it("returns 1 on the showcase preview and reads the file relative to the cwd", () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "ai-spend-guard.js"), "check", PREVIEW, "--json"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          AI_SPEND_GUARD_REGISTRY: REGISTRY,
          AI_SPEND_GUARD_TODAY: "2026-11-28",
        },
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).summary.mandatory).toBe(5);
  });
});

describe("table layout", () => {
  it.each([
    ["", 10, [""]],
    ["one two three", 7, ["one two", "three"]],
    ["abcdefghij", 4, ["abcd", "efgh", "ij"]],
  ])("wraps %j at %i", (text, width, lines) => {
    expect(wrap(text, width)).toEqual(lines);
  });

  it("never loses a word when wrapping", () => {
    const text = "a bb ccc dddd eeeee ffffff ggggggg";
    for (let width = 1; width < 40; width++) {
      const lines = wrap(text, width);
      expect(lines.every((l) => l.length <= width)).toBe(true);
      expect(lines.join(width < 7 ? "" : " ").replace(/ /g, "")).toBe(text.replace(/ /g, ""));
    }
  });

  it("puts the resource type under its name and a blank row between findings", () => {
    const finding = (name: string) => ({
      policy: "ai-resource-tags" as const,
      enforcement: "mandatory" as const,
      urn: `urn:${name}`,
      name,
      type: "aws:kendra/index:Index",
      message: "short",
    });
    expect(findingRows([finding("a"), finding("b")])).toEqual([
      ["a", "ai-resource-tags", "mandatory", "short"],
      ["aws:kendra/index", "", "", ""],
      ["", "", "", ""],
      ["b", "ai-resource-tags", "mandatory", "short"],
      ["aws:kendra/index", "", "", ""],
    ]);
  });

  it.each([
    ["aws:sagemaker/endpoint:Endpoint", "aws:sagemaker/endpoint"],
    ["aws:bedrockmodel/invocationJob:InvocationJob", "aws:bedrockmodel/invocationJob"],
    ["aws:s3/bucketV2:BucketV2", "aws:s3/bucketV2"],
    [
      "aws-native:bedrock:ApplicationInferenceProfile",
      "aws-native:bedrock:ApplicationInferenceProfile",
    ],
    ["aws:iam/rolePolicy:Other", "aws:iam/rolePolicy:Other"],
  ])("shortens %s to %s", (type, short) => {
    expect(shortType(type)).toBe(short);
  });
});

describe("check --json on an error still prints a JSON document (the CI artifact)", () => {
  const scratch = (name: string, content: string) => {
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    writeFileSync(join(dir, name), content);
    return dir;
  };

  it.each([
    [["check", "missing.json", "--json"], 2, "missing.json: no such file"],
    [["check", "--json"], 2, "check takes exactly one file, got none"],
    [["check", PREVIEW, "--json", "--registry", "nope.yaml"], 2, "nope.yaml"],
  ])("%j", async (argv, code, error) => {
    const out = io();
    expect(await run(argv, out)).toBe(code);
    const doc = JSON.parse(out.stdout()) as { passed: boolean; error: string };
    expect(doc.passed).toBe(false);
    expect(doc.error).toContain(error);
    expect(out.stderr()).toContain(error);
  });

  it("for a file that is not a Pulumi document", async () => {
    const out = io({ cwd: scratch("out.json", "Previewing update (prod):\n") });
    expect(await run(["check", "out.json", "--json"], out)).toBe(2);
    expect(JSON.parse(out.stdout())).toEqual({
      source: "out.json",
      passed: false,
      error: expect.stringMatching(/^out\.json: is not JSON: it looks like the progress output/),
    });
  });

  it("for an invalid registry, with its problems, exit 1", async () => {
    const bad = readFileSync(REGISTRY, "utf8").replace("owner: dana@example.com", "owners: x");
    const dir = scratch("workflows.yaml", bad);
    const out = io();
    const code = await run(
      ["check", PREVIEW, "--json", "--registry", join(dir, "workflows.yaml")],
      out,
    );
    expect(code).toBe(1);
    const doc = JSON.parse(out.stdout()) as { error: string; problems: string[] };
    expect(doc.error).toContain("the registry is invalid");
    expect(doc.problems.join("\n")).toMatch(/workflows.support-triage.owners/);
  });
});

describe("check reads what it is given, and nothing that would hang it", () => {
  const bytes = (text: string) => Buffer.from(text, "utf8");
  async function* chunks(...parts: Uint8Array[]) {
    for (const part of parts) yield part;
  }

  it.each(["-", "/dev/stdin"])("%s reads standard input", async (name) => {
    const text = readFileSync(join(ROOT, PREVIEW), "utf8");
    const out = io({ stdin: () => chunks(bytes(text.slice(0, 1000)), bytes(text.slice(1000))) });
    expect(await run(["check", name, "--json"], out)).toBe(1);
    const report = JSON.parse(out.stdout()) as CheckReport;
    expect(report.source).toBe("stdin");
    expect(report.summary.mandatory).toBe(5);
  });

  it("stops reading standard input past the size cap", async () => {
    const mib = Buffer.alloc(1024 * 1024, 0x20);
    const endless = async function* () {
      for (;;) yield mib;
    };
    const out = io({ stdin: endless });
    expect(await run(["check", "-"], out)).toBe(2);
    expect(out.stderr()).toMatch(/^error: stdin: is larger than 256 MiB/);
  });

  it("refuses a file larger than the cap before reading it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    const path = join(dir, "huge.json");
    writeFileSync(path, "{");
    truncateSync(path, MAX_DOCUMENT_BYTES + 1); // sparse: no disk used
    const out = io({ cwd: dir });
    expect(await run(["check", "huge.json"], out)).toBe(2);
    expect(out.stderr()).toMatch(/^error: huge\.json: is larger than 256 MiB/);
  });

  it("refuses a named pipe instead of blocking on it, and a device", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    expect(spawnSync("mkfifo", [join(dir, "pipe")]).status).toBe(0);
    const out = io({ cwd: dir });
    expect(await run(["check", "pipe"], out)).toBe(2);
    expect(out.stderr()).toContain("error: pipe: is a named pipe (FIFO)");
    expect(out.stderr()).toContain("ai-spend-guard check -");

    const zero = io();
    expect(await run(["check", "/dev/zero"], zero)).toBe(2);
    expect(zero.stderr()).toContain("error: /dev/zero: is a device, not a file");
  });

  it("reads a UTF-16 file as PowerShell writes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    const text = readFileSync(join(ROOT, PREVIEW), "utf8");
    writeFileSync(join(dir, "preview.json"), Buffer.from(`\uFEFF${text}`, "utf16le"));
    const out = io({ cwd: dir });
    expect(await run(["check", "preview.json", "--json"], out)).toBe(1);
    expect((JSON.parse(out.stdout()) as CheckReport).summary.mandatory).toBe(5);
  });
});

describe("--ai-type refuses typos and warns on types that take no tags", () => {
  it("a typo is refused with the catalog's did-you-mean", async () => {
    const out = io();
    expect(await run(["check", PREVIEW, "--ai-type", "aws:cloudwatch/logGroup:LogGrop"], out)).toBe(
      2,
    );
    expect(out.stderr()).toContain('did you mean "aws:cloudwatch/logGroup:LogGroup"?');
  });

  it("something that is not a type token is refused", async () => {
    const out = io();
    expect(await run(["check", PREVIEW, "--ai-type", "LogGroup"], out)).toBe(2);
    expect(out.stderr()).toContain("is not a Pulumi type token");
  });

  it("a type that takes no tags is ignored, with a warning", async () => {
    const out = io();
    const type = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    expect(await run(["check", PREVIEW, "--json", "--ai-type", type], out)).toBe(1);
    expect(out.stderr()).toContain(`warning: --ai-type ${type} is ignored`);
    expect((JSON.parse(out.stdout()) as CheckReport).summary.aiResources).toBe(11);
  });
});

describe("the report for people", () => {
  const many = (n: number) =>
    preview({
      steps: [
        stackSame(),
        ...Array.from({ length: n }, (_, i) =>
          step(
            "create",
            state("aws:sagemaker/endpoint:Endpoint", `endpoint-${i}`, { inputs: { tags: TAGGED } }),
          ),
        ),
      ],
      changeSummary: { same: 1, create: n },
    });

  it("lists what passed in lines of whole entries, then how many more", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    writeFileSync(join(dir, "p.json"), cliJson(many(300)));
    const out = io({ cwd: dir });
    expect(await run(["check", "p.json"], out)).toBe(0);
    const text = out.stdout();
    const ok = text.slice(text.indexOf("ok: "), text.indexOf("\n\npassed"));
    expect(ok.split("\n").every((line) => line.length <= 100)).toBe(true);
    expect(ok).toContain("aws:sagemaker/endpoint endpoint-0,");
    expect(ok).toContain("and 280 more (--json lists them all)");
    expect(ok).not.toContain("endpoint-20,");
  });

  it("neutralises escapes in names and tag values; --json keeps them exact", async () => {
    const name = "x\u001b[2K\rpassed: 0 mandatory";
    const doc = preview({
      steps: [
        stackSame(),
        step(
          "create",
          state("aws:sagemaker/endpoint:Endpoint", name, {
            inputs: { tags: { owner: "\u202Eli" } },
          }),
        ),
      ],
      changeSummary: { same: 1, create: 1 },
    });
    const dir = mkdtempSync(join(tmpdir(), "asg-check-"));
    writeFileSync(join(dir, "p.json"), cliJson(doc));
    const out = io({ cwd: dir });
    expect(await run(["check", "p.json"], out)).toBe(1);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(out.stdout()).not.toMatch(/[\u001b\r\u202e]/);
    expect(out.stdout()).toContain("x\\x1b[2K\\x0dpassed: 0 mandatory");
    const json = io({ cwd: dir });
    await run(["check", "p.json", "--json"], json);
    expect((JSON.parse(json.stdout()) as CheckReport).findings[0]!.name).toBe(name);
  });

  it("speaks of what is deployed when it audits a state", async () => {
    const out = io();
    expect(await run(["check", pulumiFixture("stack-export-ai.json")], out)).toBe(1);
    const last = out.stdout().trimEnd().split("\n").pop()!;
    expect(last).toBe(
      "FAILED: 2 mandatory, 2 advisory; what is deployed breaks the mandatory policies: fix them in the program and deploy again",
    );
    expect(out.stdout()).not.toMatch(/not known until the update|deployment must not go ahead/);
  });
});
