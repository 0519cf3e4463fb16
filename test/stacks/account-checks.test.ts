import { describe, expect, it } from "vitest";
import { scheduledActions } from "../../src/audit";
import { runStackPreview } from "../../stacks/preview";
import { THREE_WORKFLOWS, json, one } from "./helpers";

const preview = async (settings: Record<string, unknown> = {}) =>
  (await runStackPreview(THREE_WORKFLOWS, { bundle: false, settings })).resources;

const policyOf = async (settings: Record<string, unknown>) =>
  json(
    one(await preview(settings), "aws:iam/rolePolicy:RolePolicy", "reconciler-role-policy").inputs
      .policy,
  ) as { Statement: { Sid: string; Action: string[] }[] };

describe("the scheduled account checks", () => {
  it("are granted exactly their read actions, GetExport only with CUR", async () => {
    const onByDefault = (await policyOf({})).Statement.find((s) => s.Sid === "AuditAccount");
    expect(onByDefault?.Action).toEqual(scheduledActions(false));
    expect(onByDefault?.Action).not.toContain("ce:StartCostAllocationTagBackfill");
    const cur = (await policyOf({ costSource: "cur" })).Statement.find(
      (s) => s.Sid === "AuditAccount",
    );
    expect(cur?.Action).toEqual([...scheduledActions(false), "bcm-data-exports:GetExport"]);
  });

  it("turned off: no grant, and the function is told", async () => {
    const resources = await preview({ accountChecks: false });
    const policy = json(
      one(resources, "aws:iam/rolePolicy:RolePolicy", "reconciler-role-policy").inputs.policy,
    ) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid)).not.toContain("AuditAccount");
    const env = (
      one(resources, "aws:lambda/function:Function", "reconciler-function").inputs.environment as {
        variables: Record<string, string>;
      }
    ).variables;
    expect(env.AI_SPEND_GUARD_ACCOUNT_CHECKS).toBe("false");
  });
});
