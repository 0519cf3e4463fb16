import { describe, expect, it } from "vitest";
import {
  ARN_TYPES,
  AUDITED_SERVICES,
  arnTypeOf,
  auditInventory,
  managedIndex,
  parseArn,
  parseRegions,
  regionsOf,
  AWS_REGIONS,
} from "../../src/audit";
import type { DiscoveredResource } from "../../src/audit";
import { checkDocument, readPulumiDocument } from "../../src/check";
import { aiResourceType } from "../../src/policy";
import { testRegistry } from "../reconciler/fixtures";
import { ACCOUNT, arnOf, stackExportText, stackState } from "./fixtures";

const registry = testRegistry();
const TODAY = "2026-11-28";
const options = { registry, today: TODAY };

function found(arn: string, tags: Record<string, string> = {}): DiscoveredResource {
  return { arn, region: parseArn(arn)?.region ?? "global", tags };
}

describe("ARNs", () => {
  it("reads the parts of slash, colon and nested resource parts", () => {
    expect(parseArn(arnOf("us-east-1", "endpoint/triage"))).toMatchObject({
      service: "sagemaker",
      region: "us-east-1",
      account: ACCOUNT,
      segments: ["endpoint", "triage"],
    });
    expect(parseArn("arn:aws:lambda:eu-west-1:111122223333:function:f")?.segments).toEqual([
      "function",
      "f",
    ]);
    expect(
      arnTypeOf(parseArn(arnOf("us-east-1", "index/abc/data-source/def", "kendra"))!)?.type,
    ).toBe("aws:kendra/dataSource:DataSource");
    expect(parseArn("not-an-arn")).toBeUndefined();
    expect(parseArn("arn:aws:s3:::bucket")?.region).toBe("");
  });

  it("maps every ARN shape to a type of the pack's catalog", () => {
    for (const [key, type] of Object.entries(ARN_TYPES)) {
      expect(aiResourceType(type), `${key} -> ${type}`).toBeDefined();
    }
    expect(AUDITED_SERVICES).toContain("bedrock");
    expect(AUDITED_SERVICES).toContain("sagemaker");
    expect(new Set(AUDITED_SERVICES).size).toBe(AUDITED_SERVICES.length);
  });
});

describe("regions", () => {
  it("takes a list, all, or the default region", () => {
    expect(parseRegions("us-east-1, eu-west-1,us-east-1", "us-west-2")).toEqual({
      kind: "list",
      regions: ["us-east-1", "eu-west-1"],
    });
    expect(parseRegions(undefined, "us-west-2")).toEqual({ kind: "list", regions: ["us-west-2"] });
    expect(regionsOf({ kind: "all" })).toBe(AWS_REGIONS);
  });

  it("refuses a typo, suggesting the region and naming the valid ones", () => {
    const parsed = parseRegions("us-east-1,eu-wset-1", "us-east-1");
    expect(parsed.kind).toBe("invalid");
    const message = (parsed as { message: string }).message;
    expect(message).toContain('"eu-wset-1" (did you mean "eu-west-1"?) is not a region');
    expect(message).toContain("Valid regions: us-east-1, us-east-2");
    expect(parseRegions(" , ", "us-east-1").kind).toBe("invalid");
  });
});

describe("audit", () => {
  it("judges each resource with the pack's rules", () => {
    const report = auditInventory(
      {
        source: "resource-explorer",
        regions: { kind: "all" },
        discovered: [
          found(arnOf("us-east-1", "endpoint/console-demo")),
          found(arnOf("us-east-1", "endpoint/triage"), {
            workflow: "support-triage",
            owner: "dana@example.com",
          }),
        ],
      },
      options,
    );
    expect(report.summary).toMatchObject({ resources: 2, mandatory: 1, stackExports: 0 });
    const [untagged, tagged] = report.resources;
    expect(untagged!.name).toBe("console-demo");
    expect(untagged!.findings[0]).toMatchObject({
      policy: "ai-resource-tags",
      enforcement: "mandatory",
    });
    expect(untagged!.owner).toBeNull();
    expect(untagged!.iac).toEqual({ kind: "not-checked" });
    expect(tagged!.findings).toEqual([]);
    expect(tagged!.owner).toBe("dana@example.com");
    expect(report.passed).toBe(false);
    expect(report.complete).toBe(true);
  });

  it("gives the same finding as check for the same resource", () => {
    const tags = { workflow: "suport-triage", owner: "dana@example.com" };
    const text = stackExportText([
      {
        type: "aws:sagemaker/endpoint:Endpoint",
        name: "triage",
        outputs: {
          name: "triage",
          arn: arnOf("us-east-1", "endpoint/triage"),
          tags,
          tagsAll: tags,
        },
      },
    ]);
    const checked = checkDocument("state.json", readPulumiDocument(text, "state.json"), options);
    const audited = auditInventory(
      {
        source: "resource-explorer",
        regions: { kind: "all" },
        discovered: [found(arnOf("us-east-1", "endpoint/triage"), tags)],
      },
      options,
    );
    const strip = (f: { policy: string; enforcement: string; message: string }) => ({
      policy: f.policy,
      enforcement: f.enforcement,
      message: f.message,
    });
    expect(checked.findings.length).toBeGreaterThan(0);
    expect(audited.resources[0]!.findings.map(strip)).toEqual(checked.findings.map(strip));
    expect(checked.findings[0]!.message).toContain('did you mean "support-triage"');
  });

  it("owner comes from the registry when only the workflow tag is set", () => {
    const report = auditInventory(
      {
        source: "tagging-api",
        regions: { kind: "list", regions: ["us-east-1"] },
        discovered: [found(arnOf("us-east-1", "endpoint/x"), { workflow: "invoice-matching" })],
      },
      options,
    );
    expect(report.resources[0]!.owner).toBe("priya@example.com");
  });

  it("marks resources managed by a stack export, and the rest outside IaC", () => {
    const managed = managedIndex([
      stackState("prod.json", [
        {
          type: "aws:sagemaker/endpoint:Endpoint",
          name: "triage",
          outputs: { name: "triage", arn: arnOf("us-east-1", "endpoint/triage") },
        },
        {
          type: "aws:sagemaker/notebookInstance:NotebookInstance",
          name: "nb",
          outputs: { name: "lab-notebook" },
        },
      ]),
    ]);
    const tags = { workflow: "support-triage", owner: "dana@example.com" };
    const report = auditInventory(
      {
        source: "resource-explorer",
        regions: { kind: "all" },
        discovered: [
          found(arnOf("us-east-1", "endpoint/triage"), tags),
          found(arnOf("us-east-1", "notebook-instance/lab-notebook"), tags),
          found(arnOf("us-east-1", "endpoint/console-demo"), tags),
          // The same name under another type is not the stack's.
          found(arnOf("us-east-1", "endpoint/lab-notebook"), tags),
        ],
        managed,
      },
      options,
    );
    const iac = Object.fromEntries(report.resources.map((r) => [r.name + ":" + r.type, r.iac]));
    expect(iac["triage:aws:sagemaker/endpoint:Endpoint"]).toEqual({
      kind: "managed",
      stack: "prod.json",
    });
    expect(iac["lab-notebook:aws:sagemaker/notebookInstance:NotebookInstance"]).toEqual({
      kind: "managed",
      stack: "prod.json",
    });
    expect(iac["console-demo:aws:sagemaker/endpoint:Endpoint"]).toEqual({ kind: "outside" });
    expect(iac["lab-notebook:aws:sagemaker/endpoint:Endpoint"]).toEqual({ kind: "outside" });
    expect(report.summary).toMatchObject({ outsideIac: 2, mandatory: 0, stackExports: 1 });
    expect(report.passed).toBe(false);
    // Outside IaC first.
    expect(report.resources[0]!.iac.kind).toBe("outside");
  });

  it("lists unknown ARN shapes and non-ARNs as unrecognised, never drops them", () => {
    const report = auditInventory(
      {
        source: "resource-explorer",
        regions: { kind: "all" },
        discovered: [
          found(arnOf("us-east-1", "some-new-thing/x")),
          found("garbage"),
          found(arnOf("us-east-1", "endpoint/a")),
          found(arnOf("us-east-1", "endpoint/a")),
        ],
        notChecked: [{ what: "eu-west-1", reason: "could not check: tag:GetResources denied" }],
      },
      options,
    );
    expect(report.unrecognised.map((u) => [u.arn, u.reason])).toEqual(
      [
        [
          arnOf("us-east-1", "some-new-thing/x"),
          "resource type sagemaker:some-new-thing is not one the audit maps to the pack's catalog",
        ],
        ["garbage", "not an ARN"],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    expect(report.summary.resources).toBe(1);
    expect(report.summary.unrecognised).toBe(2);
    expect(report.complete).toBe(false);
  });
});
