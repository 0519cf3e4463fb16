import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/audit";
import { Caller, createAuditClients, runDoctor } from "../../src/audit/aws";
import { run } from "../../src/cli/main";
import { loadRegistry } from "../../src/registry";
import type { AccountFaults, AccountInventory } from "../../src/local-aws/account";
import { CUR_FIXTURE_REPORT, FIXTURE_REPORT } from "../report/fixture";
import {
  awsIo,
  CREDENTIALS,
  localAccount,
  REGISTRY,
  shippedAccount,
  writeJson,
} from "./local-account";

type Local = Awaited<ReturnType<typeof localAccount>>;
let local: Local | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "doctor-"));
});
afterEach(async () => {
  await local?.aws.close();
  local = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const EXPORT_ARN =
  "arn:aws:bcm-data-exports:us-east-1:111122223333:export/ai-spend-guard-cur2-0a1b2c3d";

async function doctor(
  args: string[],
  options: { account?: AccountInventory; faults?: AccountFaults; pageSize?: number } = {},
) {
  local = await localAccount(options.account, {
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  const io = awsIo(local.aws.endpoint, dir);
  const code = await run(["doctor", "--registry", REGISTRY, ...args], io);
  return {
    code,
    io,
    json: () => JSON.parse(io.stdout()) as DoctorReport & { apiCalls: Record<string, number> },
  };
}

const item = (report: DoctorReport, subject: string) =>
  report.items.find((i) => i.subject === subject)!;

describe("ai-spend-guard doctor", () => {
  it("finds the inactive principal key, the late activation, the CUR gap and the untagged gateway role", async () => {
    const report = writeJson(dir, "report.json", FIXTURE_REPORT);
    const { code, json, io } = await doctor(
      ["--json", "--report", report, "--cur-export", EXPORT_ARN],
      { pageSize: 2 },
    );
    expect(io.stderr()).toBe("");
    const r = json();
    expect(r.items.filter((i) => i.status === "unchecked")).toEqual([]);
    expect(code).toBe(1);
    expect(item(r, "workflow").status).toBe("ok");
    expect(item(r, "iamPrincipal/workflow")).toMatchObject({ status: "error" });
    expect(item(r, "iamPrincipal/owner")).toMatchObject({
      status: "warning",
      backfillFrom: "2026-11-01T00:00:00Z",
    });
    const cur = r.items.filter((i) => i.check === "cur-export");
    expect(cur.map((i) => i.message).join(" ")).toContain("INCLUDE_IAM_PRINCIPAL_DATA is not set");
    expect(cur.every((i) => i.status === "error")).toBe(true);
    expect(cur).toHaveLength(1); // Parquet, every column and INCLUDE_RESOURCES are there
    expect(item(r, "arn:aws:iam::111122223333:role/llm-gateway")).toMatchObject({
      status: "error",
      fix: "aws iam tag-role --role-name llm-gateway --tags Key=workflow,Value=<workflow id> Key=owner,Value=<owner email>",
    });
    expect(r.items.some((i) => i.subject.endsWith("role/auditor"))).toBe(false);
    expect(
      r.items.some(
        (i) => i.subject.endsWith("role/support-triage-invoker") && i.status === "error",
      ),
    ).toBe(false);
    expect(r.items.find((i) => i.check === "spend-routes")!.message).toContain("by resource tag");
    // Never without --fix.
    expect(local!.billingTags.backfills).toEqual([]);
    expect(r.backfill).toBeUndefined();
    // IAM paged two entries at a time: 3 roles, 1 user, 1 group and 1 policy in 3 pages.
    expect(r.apiCalls["iam:GetAccountAuthorizationDetails"]).toBe(3);
    expect(r.apiCalls["ce:ListCostAllocationTags"]).toBe(2);
    expect(r.apiCalls["bcm-data-exports:GetExport"]).toBe(1);
  });

  it("--report with a CUR report ranks the unowned spend by caller and by resource", async () => {
    const report = writeJson(dir, "report.json", CUR_FIXTURE_REPORT);
    const { json, io } = await doctor(["--json", "--report", report]);
    expect(io.stderr()).toBe("");
    const routes = json().items.find((i) => i.check === "spend-routes")!;
    expect(routes.message).toContain(
      "Unowned by caller: arn:aws:sts::111122223333:assumed-role/ai-gateway/s1 150.40 USD",
    );
    expect(routes.message).toContain(
      "by resource: arn:aws:sagemaker:us-east-1:111122223333:endpoint/triage-eval (Amazon SageMaker) 48.20 USD",
    );
    // A CUR report without the rankings is refused, naming the field.
    const { unownedBy: _dropped, ...old } = CUR_FIXTURE_REPORT;
    const oldFile = writeJson(dir, "old.json", old);
    await local?.aws.close();
    const refused = await doctor(["--report", oldFile]);
    expect(refused.code).toBe(2);
    expect(refused.io.stderr()).toContain("unownedBy: expected an object in a CUR report");
  });

  it("--fix requests the backfill from the right month, once", async () => {
    const { json, io } = await doctor(["--json", "--fix"]);
    expect(local!.billingTags.backfills).toEqual(["2026-11-01T00:00:00Z"]);
    expect(json().backfill).toEqual({ from: "2026-11-01T00:00:00Z", status: "PROCESSING" });
    expect(io.stderr()).toBe("");
  });

  it("an API denied: that check says so, the others run, exit 2", async () => {
    const { code, json, io } = await doctor(["--json"], {
      faults: { denied: ["ce:ListCostAllocationTags"] },
    });
    expect(code).toBe(2);
    const r = json();
    expect(r.items[0]).toMatchObject({
      check: "tag-activation",
      status: "unchecked",
      reason: "could not check: ce:ListCostAllocationTags denied",
    });
    expect(item(r, "arn:aws:iam::111122223333:role/llm-gateway").status).toBe("error");
    expect(r.complete).toBe(false);
    expect(io.stderr()).toBe("");
  });

  it("prints each item with its fix, and the skipped checks", async () => {
    const { io } = await doctor([]);
    const out = io.stdout();
    expect(out).toContain("[error] iamPrincipal/workflow");
    expect(out).toContain(
      "fix: aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=iamPrincipal/workflow,Status=Active",
    );
    expect(out).toContain(
      "fix: request a backfill: aws ce start-cost-allocation-tag-backfill --backfill-from 2026-11-01T00:00:00Z",
    );
    expect(out).toContain("skipped: no reconciliation report given");
    expect(out).toContain("FAILED");
  });

  it("refuses a report that is not one, and a malformed export ARN", async () => {
    const bad = writeJson(dir, "bad.json", { hello: 1 });
    expect((await doctor(["--report", bad])).code).toBe(2);
    await local!.aws.close();
    local = undefined;
    const arn = await doctor(["--cur-export", "my-export"]);
    expect(arn.code).toBe(2);
    expect(arn.io.stderr()).toContain("--cur-export must be a Data Exports ARN");
  });

  it("an unknown export is an error item naming it", async () => {
    const { json } = await doctor(["--json", "--cur-export", `${EXPORT_ARN}x`]);
    expect(item(json(), `${EXPORT_ARN}x`)).toMatchObject({
      status: "error",
      message: expect.stringContaining("no such export"),
    });
  });
});

describe("doctor adapter faults", () => {
  it("retries IAM's and Cost Explorer's throttling and gets the same answer", async () => {
    const registry = loadRegistry(REGISTRY);
    const once = async (faults: AccountFaults) => {
      local = await localAccount(shippedAccount(), { faults, pageSize: 3 });
      const clients = createAuditClients({
        region: "us-east-1",
        endpoint: local.aws.endpoint,
        credentials: CREDENTIALS,
      });
      const caller = new Caller({ sleep: async () => undefined });
      const result = await runDoctor(clients, caller, { registry, today: "2026-11-28" });
      await local.aws.close();
      local = undefined;
      return { result, counts: caller.counts };
    };
    const clean = await once({});
    const throttled = await once({
      throttled: { "iam:GetAccountAuthorizationDetails": 2, "ce:ListCostAllocationTags": 1 },
    });
    expect(throttled.result).toEqual(clean.result);
    expect(throttled.counts["iam:GetAccountAuthorizationDetails"]).toBe(
      clean.counts["iam:GetAccountAuthorizationDetails"]! + 2,
    );
    expect(throttled.counts["ce:ListCostAllocationTags"]).toBe(
      clean.counts["ce:ListCostAllocationTags"]! + 1,
    );
  });
});
