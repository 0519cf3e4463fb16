import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findingRows, shortType } from "../../src/cli/check-table";
import { wrap } from "../../src/util/wrap";
import type { CheckReport } from "../../src/check";
import { run } from "../../src/cli/main";
import { memoryIo } from "../helpers/io";
import { FIXTURES, ROOT } from "./fixtures";

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
    expect(report.summary).toEqual({ resources: 15, aiResources: 12, mandatory: 5, advisory: 6 });
  });

  it("passes what is right: defaultTags only, aws-native array tags, allowed models", async () => {
    const [, report] = await jsonReport(PREVIEW);
    expect(report.clean).toEqual(["wiki-embed-config", "support-triage-haiku", "invoice-nova"]);
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
      "ai-spend-guard check: examples/preview.json (pulumi preview --json), 15 resource(s), 12 AI; registry",
    );
    expect(text).toMatch(/^RESOURCE +POLICY +ENFORCEMENT +MESSAGE$/m);
    expect(text).toMatch(/^wiki-embeddings +ai-resource-tags +mandatory +aws:sagemaker/m);
    expect(text).toMatch(/^aws:sagemaker\/endpoint +"workflow" and "owner" tags/m);
    expect(text).toContain("ok: wiki-embed-config, support-triage-haiku, invoice-nova");
    expect(text).toContain(
      "note: 4 unchanged resource(s) or provider(s) are not listed in this preview",
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
    expect(report.summary.aiResources).toBe(13);
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
    expect(report.notes).toEqual([
      "encrypted secret values were treated as unknown on ticket-router; export with `pulumi stack export --show-secrets` to check them",
    ]);
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
