import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseRegions } from "../../src/audit";
import type { AuditReport } from "../../src/audit";
import { Caller, createAuditClients, runAudit } from "../../src/audit/aws";
import { run } from "../../src/cli/main";
import { loadRegistry } from "../../src/registry";
import type { AccountInventory } from "../../src/local-aws/account";
import {
  awsIo,
  CREDENTIALS,
  localAccount,
  REGISTRY,
  shippedAccount,
  STACK_EXPORT,
} from "./local-account";

type Local = Awaited<ReturnType<typeof localAccount>>;
let local: Local | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-"));
});
afterEach(async () => {
  await local?.aws.close();
  local = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function audit(args: string[], account?: AccountInventory, options = {}) {
  local = await localAccount(account, options);
  const io = awsIo(local.aws.endpoint, dir);
  const code = await run(["audit", "--registry", REGISTRY, ...args], io);
  return {
    code,
    io,
    json: () => JSON.parse(io.stdout()) as AuditReport & { apiCalls: Record<string, number> },
  };
}

const byName = (report: AuditReport) =>
  Object.fromEntries(report.resources.map((r) => [r.name, r]));

describe("ai-spend-guard audit (Resource Explorer)", () => {
  it("judges every AI resource, console-made ones included, and marks those outside IaC", async () => {
    const { code, json } = await audit(["--json", "--stack-export", STACK_EXPORT], undefined, {
      pageSize: 2,
    });
    expect(code).toBe(1);
    const report = json();
    expect(report.source).toBe("resource-explorer");
    const r = byName(report);
    expect(r["console-demo"]!.iac).toEqual({ kind: "outside" });
    expect(r["console-demo"]!.findings[0]).toMatchObject({
      policy: "ai-resource-tags",
      enforcement: "mandatory",
    });
    expect(r["support-triage"]!.iac).toMatchObject({ kind: "managed" });
    expect(r["support-triage"]!.findings).toEqual([]);
    expect(r["invoice-matching"]!.iac).toMatchObject({ kind: "managed" });
    expect(r["contract-lab"]!).toMatchObject({
      iac: { kind: "outside" },
      owner: "omar@example.com",
    });
    expect(r["MEMOAGENT1"]!.findings.map((f) => f.message).join(" ")).toContain(
      'the "workflow" tag is "board-memo", which names no registered workflow',
    );
    expect(report.unrecognised.map((u) => u.arn)).toEqual([
      "arn:aws:sagemaker:us-west-2:111122223333:cluster/hyperpod-trial",
    ]);
    expect(report.summary).toMatchObject({
      resources: 5,
      outsideIac: 3,
      stackExports: 1,
      unrecognised: 1,
    });
    // Six resources, two a page: three Search pages, one ListIndexes, nothing else.
    expect(report.apiCalls).toEqual({
      "resource-explorer-2:ListIndexes": 1,
      "resource-explorer-2:Search": 3,
    });
    expect(report.complete).toBe(true);
  });

  it("prints a table, the fixes and the verdict", async () => {
    const { code, io } = await audit(["--stack-export", STACK_EXPORT]);
    expect(code).toBe(1);
    const out = io.stdout();
    expect(out).toContain("OUTSIDE IaC");
    expect(out).toContain("arn:aws:sagemaker:us-east-1:111122223333:endpoint/console-demo");
    expect(out).toContain("Unrecognised (1)");
    expect(out).toContain("FAILED");
  });

  it("filters by region", async () => {
    const { json } = await audit(["--json", "--regions", "eu-west-1"]);
    expect(json().resources.map((r) => r.name)).toEqual(["contract-lab"]);
  });

  it("reads the tags with the Tagging API when the view does not include them", async () => {
    const { json } = await audit(["--json"], { ...shippedAccount(), viewIncludesTags: false });
    const report = json();
    expect(byName(report)["support-triage"]!.tags).toEqual({
      workflow: "support-triage",
      owner: "dana@example.com",
    });
    expect(byName(report)["console-demo"]!.tags).toEqual({});
    expect(report.notes.join(" ")).toContain("does not include tags");
    // One lookup per region with resources (us-east-1, eu-west-1, us-west-2).
    expect(report.apiCalls["tag:GetResources"]).toBe(3);
  });

  it("a region typo is a usage error naming the valid regions", async () => {
    const { code, io } = await audit(["--regions", "us-east-1,eu-wset-1"]);
    expect(code).toBe(2);
    expect(io.stderr()).toContain('"eu-wset-1" (did you mean "eu-west-1"?) is not a region');
    expect(io.stderr()).toContain("Valid regions: us-east-1,");
    expect(local!.aws.requests).toHaveLength(0);
  });
});

describe("ai-spend-guard audit (Tagging API fallback)", () => {
  const noExplorer = () => ({ ...shippedAccount(), aggregatorRegion: undefined });

  it("says it only sees resources that carry or carried tags, and how to turn Resource Explorer on", async () => {
    const { code, json } = await audit(
      ["--json", "--regions", "us-east-1,eu-west-1,us-west-2"],
      noExplorer(),
    );
    const report = json();
    expect(report.source).toBe("tagging-api");
    expect(report.notes.join("\n")).toContain("returns only resources that carry tags or once did");
    expect(report.notes.join("\n")).toContain("Quick setup");
    // The console-made endpoint was never tagged: the Tagging API cannot see it.
    expect(byName(report)["console-demo"]).toBeUndefined();
    expect(report.unrecognised).toHaveLength(1); // once tagged, tags removed: still listed
    expect(report.apiCalls["tag:GetResources"]).toBe(3);
    expect(code).toBe(1); // the unregistered board-memo tag
  });

  it("skips regions not enabled under all, and is incomplete when one was asked for", async () => {
    const faults = { disabledRegions: ["me-south-1"] };
    const all = await audit(["--json"], noExplorer(), { faults });
    expect(all.json().notes.join(" ")).toContain(
      "Regions not enabled in this account, skipped: me-south-1",
    );
    expect(all.json().complete).toBe(true);
    await local!.aws.close();
    local = undefined;
    const named = await audit(["--json", "--regions", "us-east-1,me-south-1"], noExplorer(), {
      faults,
    });
    expect(named.code).toBe(2);
    expect(named.json().notChecked).toEqual([
      { what: "me-south-1", reason: "region me-south-1 is not enabled in this account" },
    ]);
  });

  it("Resource Explorer denied: falls back; the Tagging API denied too: incomplete, exit 2", async () => {
    const denied = await audit(["--json", "--regions", "us-east-1"], undefined, {
      faults: { denied: ["resource-explorer-2:Search"] },
    });
    expect(denied.json().source).toBe("tagging-api");
    expect(denied.json().notes[0]).toBe(
      "Resource Explorer: could not check: resource-explorer-2:Search denied",
    );
    await local!.aws.close();
    local = undefined;
    const both = await audit(["--json", "--regions", "us-east-1"], undefined, {
      faults: { denied: ["resource-explorer-2:ListIndexes", "tag:GetResources"] },
    });
    expect(both.code).toBe(2);
    expect(both.json().notChecked).toEqual([
      { what: "us-east-1", reason: "could not check: tag:GetResources denied" },
    ]);
  });

  it("no default view in the aggregator's region: falls back and says why", async () => {
    const { json } = await audit(["--json", "--regions", "us-east-1"], {
      ...shippedAccount(),
      defaultView: false,
    });
    expect(json().notes[0]).toBe(
      "Resource Explorer has an aggregator index in us-east-1 but no default view there",
    );
  });
});

describe("audit adapter faults", () => {
  it("retries throttling with backoff and gets the same inventory", async () => {
    local = await localAccount(undefined, {
      faults: {
        throttled: { "resource-explorer-2:Search": 2, "resource-explorer-2:ListIndexes": 1 },
      },
      pageSize: 4,
    });
    const waits: number[] = [];
    const caller = new Caller({ sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
    const clients = createAuditClients({
      region: "us-east-1",
      endpoint: local.aws.endpoint,
      credentials: CREDENTIALS,
    });
    const regions = parseRegions("all", "us-east-1");
    if (regions.kind === "invalid") throw new Error(regions.message);
    const report = await runAudit(clients, caller, {
      registry: loadRegistry(REGISTRY),
      today: "2026-11-28",
      regions,
    });
    expect(report.summary.resources).toBe(5);
    expect(caller.counts).toEqual({
      "resource-explorer-2:ListIndexes": 2,
      "resource-explorer-2:Search": 4,
    });
    expect(waits).toEqual([500, 500, 1000]);
  });

  it("throttling that never ends is an AWS error naming the action", async () => {
    local = await localAccount(undefined, {
      faults: { throttled: { "resource-explorer-2:Search": 99 } },
    });
    const io = awsIo(local.aws.endpoint, dir);
    const caller = new Caller({ sleep: async () => undefined, retry: { maxAttempts: 3 } });
    const clients = createAuditClients({
      region: "us-east-1",
      endpoint: local.aws.endpoint,
      credentials: CREDENTIALS,
    });
    await expect(
      runAudit(clients, caller, {
        registry: loadRegistry(REGISTRY),
        today: io.today,
        regions: { kind: "all" },
      }),
    ).rejects.toThrow(
      "resource-explorer-2:Search failed: ThrottlingException: Rate exceeded (after 3 attempts)",
    );
  });
});
