import { afterEach, describe, expect, it } from "vitest";
import { createAuditClients } from "../../src/audit/aws";
import { readAccountChecksConfig } from "../../src/audit/aws/scheduled";
import type { Report } from "../../src/reconciler";
import { createHandler } from "../../src/reconciler/aws";
import { BUCKET, ENV, localAws } from "../reconciler/aws-fixture";
import { testRegistry } from "../reconciler/fixtures";
import { CREDENTIALS, localAccount, shippedAccount, stackExportOf } from "./local-account";

type Reconciler = Awaited<ReturnType<typeof localAws>>;
type Account = Awaited<ReturnType<typeof localAccount>>;
let reconciler: Reconciler | undefined;
let account: Account | undefined;

afterEach(async () => {
  await reconciler?.aws.close();
  await account?.aws.close();
  reconciler = undefined;
  account = undefined;
});

const DANA_LAB = "arn:aws:sagemaker:us-east-1:111122223333:endpoint/dana-lab";

async function scheduledRun(env: Record<string, string>, faults = {}) {
  reconciler = await localAws();
  account = await localAccount(
    {
      ...shippedAccount(),
      resources: [
        ...shippedAccount().resources,
        // Dana's, by its tags, and in no stack: her digest must name it.
        {
          arn: DANA_LAB,
          region: "us-east-1",
          tags: { workflow: "support-triage", owner: "dana@example.com" },
        },
      ],
    },
    { faults },
  );
  reconciler.s3.put(BUCKET, "reports/stack-exports/prod.json", stackExportOf());
  await createHandler({
    env: { ...ENV, AI_SPEND_GUARD_ACCOUNT_CHECKS: "true", ...env },
    registry: testRegistry(),
    clients: {
      ...reconciler.clients,
      audit: createAuditClients({
        region: "us-east-1",
        endpoint: account.aws.endpoint,
        credentials: CREDENTIALS,
      }),
    },
    costExplorerOptions: { sleep: async () => undefined },
    metrics: { emit: () => undefined },
  })({ runDate: "2026-11-28" });
  const stored = JSON.parse(
    reconciler.s3.objects.get(`${BUCKET}/reports/2026-11-28/report.json`)!.body.toString(),
  ) as Report;
  return { stored, published: reconciler.sns.published };
}

describe("the scheduled run's account checks", () => {
  it("put the audit and the doctor in the report, the digests and the unowned summary", async () => {
    const { stored, published } = await scheduledRun({
      AI_SPEND_GUARD_STACK_EXPORT_KEYS: "reports/stack-exports/prod.json",
    });
    expect(stored.audit).toMatchObject({
      source: "resource-explorer",
      complete: true,
      iacChecked: true,
    });
    const needs = Object.fromEntries(stored.audit!.needsAction.map((r) => [r.arn, r]));
    expect(needs[DANA_LAB]).toMatchObject({ owner: "dana@example.com", outsideIac: true });
    expect(
      needs["arn:aws:sagemaker:us-east-1:111122223333:endpoint/support-triage"],
    ).toBeUndefined();
    expect(stored.health!.items.find((i) => i.subject === "iamPrincipal/workflow")).toMatchObject({
      status: "error",
      fix: expect.stringContaining("TagKey=iamPrincipal/workflow,Status=Active"),
    });
    expect(stored.health!.items.some((i) => i.check === "spend-routes")).toBe(true);
    // Never the backfill in the scheduled run.
    expect(account!.billingTags.backfills).toEqual([]);

    const dana = published.find((m) => m.attributes.owner === "dana@example.com")!;
    expect(dana.message).toContain("YOUR AI RESOURCES THAT NEED ACTION");
    expect(dana.message).toContain(DANA_LAB);
    const priya = published.find((m) => m.attributes.owner === "priya@example.com")!;
    expect(priya.message).not.toContain(DANA_LAB);
    const unowned = published.find((m) => m.attributes.owner === "finops@example.com")!;
    expect(unowned.message).toContain("ACCOUNT AUDIT");
    expect(unowned.message).toContain(
      "arn:aws:sagemaker:us-east-1:111122223333:endpoint/console-demo",
    );
    expect(unowned.message).toContain("ATTRIBUTION PLUMBING");
    expect(unowned.message).toContain("llm-gateway");
  });

  it("a denied API or a failed audit never fails the run: the section says so", async () => {
    const { stored } = await scheduledRun(
      { AI_SPEND_GUARD_STACK_EXPORT_KEYS: "reports/stack-exports/missing.json" },
      { denied: ["iam:GetAccountAuthorizationDetails"] },
    );
    expect(stored.audit).toMatchObject({ source: "none", complete: false });
    expect(stored.audit!.notes[0]).toContain("reports/stack-exports/missing.json does not exist");
    expect(stored.health!.complete).toBe(false);
    expect(stored.health!.items.find((i) => i.check === "invokers")).toMatchObject({
      status: "unchecked",
      message: "could not check: iam:GetAccountAuthorizationDetails denied",
    });
  });

  it("off: the report has neither section", async () => {
    const { stored } = await scheduledRun({ AI_SPEND_GUARD_ACCOUNT_CHECKS: "false" });
    expect(stored.audit).toBeUndefined();
    expect(stored.health).toBeUndefined();
  });

  it("reads its switch: on by default, a bad value refused", () => {
    expect(readAccountChecksConfig({}).enabled).toBe(true);
    expect(
      readAccountChecksConfig({ AI_SPEND_GUARD_STACK_EXPORT_KEYS: " a.json, ,b.json" })
        .stackExportKeys,
    ).toEqual(["a.json", "b.json"]);
    expect(() => readAccountChecksConfig({ AI_SPEND_GUARD_ACCOUNT_CHECKS: "yes" })).toThrow(
      'AI_SPEND_GUARD_ACCOUNT_CHECKS: must be "true" or "false"',
    );
  });
});
