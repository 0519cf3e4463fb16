import { describe, expect, it } from "vitest";
import {
  auditInventory,
  doctorReport,
  failedAudit,
  failedHealth,
  reportAuditOf,
  reportHealthOf,
} from "../../src/audit";
import { composeMessages } from "../../src/reconciler";
import type { Report } from "../../src/reconciler";
import { FIXTURE_REPORT } from "../report/fixture";
import { testRegistry } from "../reconciler/fixtures";
import { arnOf, stackState } from "./fixtures";
import { managedIndex } from "../../src/audit";

const registry = testRegistry();
const MINE = arnOf("us-east-1", "endpoint/dana-lab");
const NOBODYS = arnOf("us-east-1", "endpoint/console-demo");

const audit = reportAuditOf(
  auditInventory(
    {
      source: "resource-explorer",
      regions: { kind: "all" },
      discovered: [
        {
          arn: MINE,
          region: "us-east-1",
          tags: { workflow: "support-triage", owner: "dana@example.com" },
        },
        { arn: NOBODYS, region: "us-east-1", tags: {} },
        {
          arn: arnOf("us-east-1", "endpoint/managed"),
          region: "us-east-1",
          tags: { workflow: "support-triage", owner: "dana@example.com" },
        },
      ],
      managed: managedIndex([
        stackState("prod.json", [
          {
            type: "aws:sagemaker/endpoint:Endpoint",
            name: "managed",
            outputs: { name: "managed" },
          },
        ]),
      ]),
      notChecked: [{ what: "eu-west-1", reason: "could not check: tag:GetResources denied" }],
    },
    { registry, today: "2026-11-28" },
  ),
);
const health = reportHealthOf(
  doctorReport(
    [
      {
        check: "tag-activation",
        status: "error",
        subject: "iamPrincipal/workflow",
        message: "inactive",
        fix: "activate it",
      },
      { check: "invokers", status: "ok", subject: "3 roles", message: "fine" },
    ],
    "workflows.yaml",
    "2026-11-28",
  ),
);

describe("the report's audit and health sections", () => {
  it("carry what needs action, with its owner, and what could not be checked", () => {
    expect(audit.needsAction.map((r) => [r.arn, r.owner, r.outsideIac])).toEqual([
      [NOBODYS, null, true],
      [MINE, "dana@example.com", true],
    ]);
    expect(audit).toMatchObject({ iacChecked: true, complete: false, resources: 3 });
    expect(audit.notes).toContain("eu-west-1: could not check: tag:GetResources denied");
    expect(health.items.map((i) => i.fix)).toEqual(["activate it", null]);
    expect(failedAudit("boom")).toMatchObject({
      source: "none",
      complete: false,
      notes: ["the audit could not run: boom"],
    });
    expect(failedHealth("boom").items[0]).toMatchObject({
      status: "unchecked",
      message: "the doctor could not run: boom",
    });
  });

  it("reach the owner's digest and the unowned-spend contact's summary", () => {
    const report: Report = { ...FIXTURE_REPORT, audit, health };
    const messages = composeMessages(report, registry);
    const dana = messages.find((m) => m.recipient === "dana@example.com")!;
    expect(dana.body).toContain("YOUR AI RESOURCES THAT NEED ACTION");
    expect(dana.body).toContain(MINE);
    expect(dana.body).not.toContain(NOBODYS);
    const unowned = messages.find((m) => m.kind === "unowned-summary")!;
    expect(unowned.body).toContain("ACCOUNT AUDIT: 3 AI resource(s), 2 need action (incomplete)");
    expect(unowned.body).toContain(NOBODYS);
    expect(unowned.body).not.toContain(MINE);
    expect(unowned.body).toContain("[error] iamPrincipal/workflow: inactive");
    expect(unowned.body).toContain("fix: activate it");
    // Without the sections, the messages are what they were.
    const plain = composeMessages(FIXTURE_REPORT, registry);
    expect(plain.map((m) => m.body).join("\n")).not.toContain("ACCOUNT AUDIT");
  });
});
