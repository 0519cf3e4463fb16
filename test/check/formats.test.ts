/**
 * `check --format`: SARIF 2.1.0 (validated against the official schema shipped as test data,
 * test/fixtures/sarif/SOURCE.md), Markdown for job summaries and PR comments, and the option's
 * bad input. Through the CLI's `run()`, in process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import {
  checkDocument,
  parseSourcePosition,
  readPulumiDocument,
  toMarkdown,
  toSarif,
} from "../../src/check";
import type { CheckReport, SarifLog } from "../../src/check";
import { chooseFormat, CHECK_FORMATS } from "../../src/cli/check-format";
import { run } from "../../src/cli/main";
import { POLICY_LIST, POLICY_TABLE, policyUrl } from "../../src/policy";
import { parseRegistry } from "../../src/registry";
import { escapeMarkdown, markdownCode } from "../../src/util/markdown";
import { memoryIo } from "../helpers/io";
import { PROJECT, ROOT } from "./fixtures";

const REGISTRY_PATH = join(ROOT, "workflows.yaml");
const REGISTRY = parseRegistry(readFileSync(REGISTRY_PATH, "utf8"), "workflows.yaml");
const SCHEMA = JSON.parse(
  readFileSync(join(ROOT, "test", "fixtures", "sarif", "sarif-2.1.0-rtm.5.json"), "utf8"),
) as object;

const io = () =>
  memoryIo({ cwd: ROOT, env: { AI_SPEND_GUARD_REGISTRY: REGISTRY_PATH }, today: "2026-11-28" });

async function check(...args: string[]) {
  const out = io();
  const code = await run(["check", "examples/preview.json", ...args], out);
  return { code, stdout: out.stdout(), stderr: out.stderr() };
}

function validate(log: unknown): string[] {
  const ajv = new Ajv({ schemaId: "id", allErrors: true, format: "full" });
  // The schema is draft-04; ajv 6 knows its meta-schema by this id.
  ajv.addMetaSchema(
    JSON.parse(
      readFileSync(require.resolve("ajv/lib/refs/json-schema-draft-04.json"), "utf8"),
    ) as object,
  );
  const ok = ajv.validate(SCHEMA, log);
  return ok ? [] : (ajv.errors ?? []).map((e) => `${e.dataPath} ${e.message ?? ""}`);
}

/** A report with hostile values: every Markdown and HTML construct in a resource name. */
function hostileReport(): CheckReport {
  const name = "x](https://evil.example)<img src=x onerror=alert(1)>|`*_#@team $x$ :rocket:";
  const urn = `${PROJECT}aws:sagemaker/endpoint:Endpoint::${name}`;
  const doc = JSON.stringify({
    steps: [
      {
        op: "create",
        urn,
        newState: {
          type: "aws:sagemaker/endpoint:Endpoint",
          custom: true,
          inputs: { endpointConfigName: "c" },
          sourcePosition: "project:///src/index.ts#7,3",
        },
      },
    ],
  });
  return checkDocument("evil|preview.json", readPulumiDocument(doc, "evil|preview.json"), {
    registry: REGISTRY,
    today: "2026-11-28",
  });
}

describe("check --format sarif", () => {
  it("is valid SARIF 2.1.0 against the official schema", async () => {
    const { code, stdout } = await check("--format", "sarif");
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as SarifLog;
    expect(validate(log)).toEqual([]);
    expect(log.version).toBe("2.1.0");
  });

  it("has one rule per policy of the table, with its help and README link", async () => {
    const log = JSON.parse((await check("--format", "sarif")).stdout) as SarifLog;
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(POLICY_LIST.map((p) => p.name));
    for (const policy of POLICY_LIST) {
      const rule = rules.find((r) => r.id === policy.name)!;
      expect(rule.help.text).toBe(policy.remediation);
      expect(rule.helpUri).toBe(policyUrl(policy.name));
      expect(rule.properties.tags).toEqual([...policy.tags]);
    }
  });

  it("has one result per finding: mandatory as error, advisory as warning, at the resource", async () => {
    const json = JSON.parse((await check("--format", "json")).stdout) as CheckReport;
    const log = JSON.parse((await check("--format", "sarif")).stdout) as SarifLog;
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(json.findings.length);
    results.forEach((result, i) => {
      const finding = json.findings[i]!;
      expect(result.ruleId).toBe(finding.policy);
      expect(log.runs[0]!.tool.driver.rules[result.ruleIndex!]!.id).toBe(finding.policy);
      expect(result.level).toBe(finding.enforcement === "mandatory" ? "error" : "warning");
      expect(result.message.text).toBe(finding.message);
      expect(result.locations[0]!.logicalLocations).toEqual([
        expect.objectContaining({ fullyQualifiedName: finding.urn, kind: "resource" }),
      ]);
    });
    // The example preview records where each resource was declared: the results point there.
    const first = results[0]!.locations[0]!.physicalLocation;
    expect(first).toEqual({
      artifactLocation: { uri: json.findings[0]!.source!.path, uriBaseId: "PROJECTROOT" },
      region: { startLine: json.findings[0]!.source!.line, startColumn: expect.any(Number) },
    });
    // Fingerprints are stable and distinct, so code scanning tracks each alert across runs.
    const prints = results.map((r) => r.partialFingerprints["resourceFinding/v1"]);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it("points at the checked document when the preview has no source position", () => {
    const report = hostileReport();
    const stripped: CheckReport = {
      ...report,
      findings: report.findings.map(({ source: _source, ...rest }) => rest),
    };
    const log = toSarif(stripped, { toolVersion: "0.0.0" });
    expect(validate(log)).toEqual([]);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "evil%7Cpreview.json" },
    });
  });

  it("passes a clean document with no results, still valid", () => {
    const doc = JSON.stringify({ steps: [] });
    const report = checkDocument("empty.json", readPulumiDocument(doc, "empty.json"), {
      registry: REGISTRY,
      today: "2026-11-28",
    });
    const log = toSarif(report, { toolVersion: "0.0.0" });
    expect(log.runs[0]!.results).toEqual([]);
    expect(validate(log)).toEqual([]);
  });
});

describe("check --format markdown", () => {
  it("summarises the counts, tables the mandatory findings with the fix, folds the advisories", async () => {
    const { code, stdout } = await check("--format", "markdown");
    const json = JSON.parse((await check("--json")).stdout) as CheckReport;
    expect(code).toBe(1);
    expect(stdout).toContain("**Failed**: 5 mandatory finding(s)");
    expect(stdout).toContain(
      `| ${json.summary.resources} | ${json.summary.aiResources} | ${json.summary.mandatory} | ${json.summary.advisory} |`,
    );
    const mandatory = stdout.slice(stdout.indexOf("### Mandatory"), stdout.indexOf("<details>"));
    const rows = mandatory.split("\n").filter((l) => l.startsWith("| **"));
    expect(rows).toHaveLength(json.summary.mandatory);
    for (const finding of json.findings.filter((f) => f.enforcement === "mandatory")) {
      expect(mandatory).toContain(escapeMarkdown(POLICY_TABLE[finding.policy].remediation));
    }
    const details = stdout.slice(stdout.indexOf("<details>"), stdout.indexOf("</details>"));
    expect(details).toContain(`<summary>${json.summary.advisory} advisory finding(s)`);
    expect(details.split("\n").filter((l) => l.startsWith("| **"))).toHaveLength(
      json.summary.advisory,
    );
  });

  it("says passed, with no tables, when nothing is mandatory or advisory", () => {
    const report = checkDocument("empty.json", readPulumiDocument('{"steps": []}', "empty.json"), {
      registry: REGISTRY,
      today: "2026-11-28",
    });
    const markdown = toMarkdown(report);
    expect(markdown).toContain("**Passed**");
    expect(markdown).not.toContain("### Mandatory");
    expect(markdown).not.toContain("<details>");
  });

  it("escapes every value: a resource name cannot open a link, HTML, a cell, a mention or math", () => {
    const markdown = toMarkdown(hostileReport());
    expect(markdown).not.toContain("<img");
    expect(markdown).not.toContain("](https://evil.example)");
    expect(markdown).not.toMatch(/(^|[^\\])@team/m);
    // Each table row keeps its four cells: no `|` of a value splits one.
    const row = markdown.split("\n").find((l) => l.startsWith("| **x"))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
    // The checked document's name is escaped too.
    expect(markdown).toContain("evil\\|preview\\.json");
  });

  it("escapes Markdown punctuation and HTML, and fences code past its backticks", () => {
    expect(escapeMarkdown("a*b_[c](d) <e> & $f$ @g :h: #i\nj")).toBe(
      "a\\*b\\_\\[c\\]\\(d\\) &lt;e&gt; &amp; \\$f\\$ \\@g \\:h\\: \\#i j",
    );
    expect(markdownCode("a`b")).toBe("``a`b``");
    expect(markdownCode("`x`")).toBe("`` `x` ``");
    expect(markdownCode("a|b")).toBe("`a\\|b`");
  });
});

describe("check --format: bad input", () => {
  it("exits 2 on an unknown format, naming the allowed ones", async () => {
    const { code, stdout, stderr } = await check("--format", "xml");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`error: unknown format "xml": use one of ${CHECK_FORMATS.join(", ")}`);
  });

  it("keeps --json as the alias of --format json, and refuses a contradiction", async () => {
    expect((await check("--json")).stdout).toBe((await check("--format", "json")).stdout);
    expect(chooseFormat(undefined, false)).toEqual({ kind: "ok", format: "text" });
    expect(chooseFormat("json", true)).toEqual({ kind: "ok", format: "json" });
    const both = await check("--json", "--format", "sarif");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--json is --format json");
  });
});

describe("source positions", () => {
  it.each([
    [
      "project:///index.ts#12,5",
      { path: "index.ts", relativeToProject: true, line: 12, column: 5 },
    ],
    ["project:///src/a%20b.ts#3", { path: "src/a b.ts", relativeToProject: true, line: 3 }],
    [
      "file:///home/u/p/index.ts#1,1",
      { path: "file:///home/u/p/index.ts", relativeToProject: false, line: 1, column: 1 },
    ],
  ])("reads %s", (text, expected) => {
    expect(parseSourcePosition(text)).toEqual(expected);
  });

  it.each([
    undefined,
    12,
    "",
    "index.ts:12",
    "project:///index.ts",
    "project:///x.ts#0,1",
    "https://x/y#1,2",
    "project:///%E0%A4%A.ts#1",
  ])("refuses %s rather than guess", (text) => {
    expect(parseSourcePosition(text)).toBeUndefined();
  });
});
