/**
 * Hostile and careless inputs to `check` (issue: nothing lost, nothing doubled, nothing
 * silent): decrypted secrets, unknown ops, prototype keys, terminal escapes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocument, PulumiDocumentError, readPulumiDocument } from "../../src/check";
import type { CheckReport } from "../../src/check";
import { findingRows } from "../../src/cli/check-table";
import { aiResourceType, evaluateResource } from "../../src/policy";
import { parseRegistry } from "../../src/registry";
import { printable } from "../../src/util/printable";
import { ROOT } from "./fixtures";
import { cliJson, preview, stackExport, stackSame, state, step, TAGGED } from "./shapes";

const REGISTRY = parseRegistry(
  readFileSync(join(ROOT, "workflows.yaml"), "utf8"),
  "workflows.yaml",
);
const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
const SECRET_SIG = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
} as const;
/** A secret as `pulumi stack export --show-secrets` writes it: JSON text in `plaintext`. */
const plaintext = (value: unknown) => ({ ...SECRET_SIG, plaintext: JSON.stringify(value) });

function check(doc: unknown): CheckReport {
  return checkDocument("doc.json", readPulumiDocument(cliJson(doc), "doc.json"), {
    registry: REGISTRY,
    today: "2026-11-28",
  });
}

describe("8. values that were secret are never printed", () => {
  const owner = "mallory.secret-owner@example.com";
  const doc = stackExport([
    state(ENDPOINT, "triage", {
      id: "triage",
      outputs: { tags: plaintext({ workflow: "support-triage", owner }) },
    }),
    state("aws:bedrock/inferenceProfile:InferenceProfile", "drafts", {
      id: "drafts",
      outputs: {
        modelSource: plaintext({ copyFrom: "arn:aws:bedrock:us-east-1::foundation-model/x.y" }),
        tags: { workflow: "support-triage", owner: "dana@example.com" },
      },
    }),
  ]);

  it("a decrypted tag value is still checked, and shown as [secret] with its property", () => {
    const report = check(doc);
    const finding = report.findings.find((f) => f.name === "triage");
    expect(finding).toMatchObject({ policy: "ai-workflow-registered", enforcement: "mandatory" });
    expect(finding!.message).toContain("[secret]");
    expect(finding!.message).toContain("tags.owner");
    expect(JSON.stringify(report)).not.toContain(owner);
  });

  it("a decrypted model id too", () => {
    const report = check(doc);
    const finding = report.findings.find((f) => f.name === "drafts");
    expect(finding!.message).toContain("[secret]");
    expect(JSON.stringify(report)).not.toContain("foundation-model/x.y");
  });
});

describe("10. fail closed", () => {
  it("an unknown step op is an error, not a skipped resource", () => {
    const doc = preview({
      steps: [stackSame(), step("teleport", state(ENDPOINT, "e", { inputs: {} }))],
      changeSummary: { same: 1 },
    });
    const read = () => readPulumiDocument(cliJson(doc), "p.json");
    expect(read).toThrow(PulumiDocumentError);
    expect(read).toThrow(
      'p.json: steps[1].op is "teleport", which this version of ai-spend-guard does not know',
    );
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])(
    "an op named %s is unknown too",
    (op) => {
      const doc = { steps: [step(op, state(ENDPOINT, "e", { inputs: {} }))] };
      expect(() => readPulumiDocument(JSON.stringify(doc), "p.json")).toThrow(
        `steps[0].op is "${op}"`,
      );
    },
  );

  it("a __proto__ key in the inputs cannot lend an untagged resource its tags", () => {
    // As a file holds it: JSON.parse makes "__proto__" an own key.
    const text = `{"steps": [{"op": "create", "urn": "urn:pulumi:prod::p::${ENDPOINT}::e",
      "newState": {"type": "${ENDPOINT}", "custom": true,
        "inputs": {"__proto__": {"tags": ${JSON.stringify(TAGGED)}}}}}]}`;
    const report = checkDocument("p.json", readPulumiDocument(text, "p.json"), {
      registry: REGISTRY,
      today: "2026-11-28",
    });
    expect(report.passed).toBe(false);
    expect(report.findings[0]).toMatchObject({ policy: "ai-resource-tags", name: "e" });
  });

  it("a __proto__ key in the stack config cannot set a default provider's defaultTags", () => {
    const text = `{"config": {"aws:__proto__": {"defaultTags": "{\\"tags\\":${JSON.stringify(TAGGED).replace(/"/g, '\\"')}}"}},
      "steps": [{"op": "create", "urn": "urn:pulumi:prod::p::${ENDPOINT}::e",
        "provider": "urn:pulumi:prod::p::pulumi:providers:aws::default::id",
        "newState": {"type": "${ENDPOINT}", "custom": true, "inputs": {}}}]}`;
    const report = checkDocument("p.json", readPulumiDocument(text, "p.json"), {
      registry: REGISTRY,
      today: "2026-11-28",
    });
    expect(report.passed).toBe(false);
  });

  it.each(["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"])(
    "a type named %s is not an AI resource",
    (type) => {
      expect(aiResourceType(type)).toBeUndefined();
      const findings = evaluateResource(
        { urn: `urn:pulumi:s::p::${type}::x`, type, name: "x", props: {} },
        { registry: REGISTRY, today: "2026-11-28" },
      );
      expect(findings).toEqual([]);
    },
  );

  it("a resource typed constructor in a document is not counted as AI", () => {
    const doc = preview({
      steps: [stackSame(), step("create", state("constructor", "x", { inputs: {} }))],
      changeSummary: { same: 1, create: 1 },
    });
    const report = check(doc);
    expect(report.summary.aiResources).toBe(0);
    expect(JSON.stringify(report)).not.toContain("native code");
  });
});

describe("9. the terminal table never carries control or bidi characters", () => {
  it("printable escapes C0, C1, ESC and bidi controls, and leaves the rest", () => {
    expect(printable("a\u001b[2Jb")).toBe("a\\x1b[2Jb");
    expect(printable("x\ny\tz\r")).toBe("x\\x0ay\\x09z\\x0d");
    expect(printable("\u0085\u009b")).toBe("\\x85\\x9b");
    expect(printable("evil\u202Egnp.exe\u2066\u2069\u200E\u200F\u061C")).toBe(
      "evil\\u{202E}gnp.exe\\u{2066}\\u{2069}\\u{200E}\\u{200F}\\u{061C}",
    );
    expect(printable("dana@example.com — naïve 日本")).toBe("dana@example.com — naïve 日本");
  });

  it("a crafted resource name or tag value stays on its row; JSON keeps it exact", () => {
    const name = "x\u001b[2K\rpassed: 0 mandatory\n";
    const doc = preview({
      steps: [
        stackSame(),
        step("create", state(ENDPOINT, name, { inputs: { tags: { workflow: "ev\u202Eil" } } })),
      ],
      changeSummary: { same: 1, create: 1 },
    });
    const report = check(doc);
    expect(report.findings.map((f) => f.name)).toContain(name);
    const cells = findingRows(report.findings).flat();
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    for (const cell of cells) expect(cell).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(cells.join(" ")).toContain("\\x1b[2K\\x0dpassed");
  });
});
