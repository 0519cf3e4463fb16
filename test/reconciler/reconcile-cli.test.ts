import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runDateFor } from "../../src/cli/commands/reconcile";
import { run } from "../../src/cli/main";
import { createHandler } from "../../src/reconciler/aws";
import type { Report } from "../../src/reconciler";
import { memoryIo } from "../helpers/io";
import { BUCKET, CREDENTIALS, ENV, TOPIC, localAws } from "./aws-fixture";
import { REGISTRY_TEXT, testRegistry } from "./fixtures";

type Local = Awaited<ReturnType<typeof localAws>>;
let local: Local | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "reconcile-cli-"));
  writeFileSync(join(dir, "workflows.yaml"), REGISTRY_TEXT);
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(async () => {
  await local?.aws.close();
  local = undefined;
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function cliIo(l: Local, extra: Record<string, string> = {}) {
  return memoryIo({
    cwd: dir,
    today: "2026-11-28",
    env: {
      AWS_ENDPOINT_URL: l.aws.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      ...extra,
    },
  });
}

const withoutTime = ({ generatedAt: _, ...rest }: Report) => rest;

describe("ai-spend-guard reconcile", () => {
  it("produces the same report as the scheduled handler for the same data", async () => {
    local = await localAws();
    await createHandler({
      env: ENV,
      registry: testRegistry(),
      clients: local.clients,
      costExplorerOptions: { sleep: async () => undefined },
      metrics: { emit: () => undefined },
    })({ runDate: "2026-11-28" });
    const stored = JSON.parse(
      local.s3.objects.get(`${BUCKET}/reports/2026-11-28/report.json`)!.body.toString(),
    ) as Report;
    const published = local.sns.published.length;

    const io = cliIo(local);
    expect(await run(["reconcile", "--json", "--out", "out"], io)).toBe(0);
    const printed = JSON.parse(io.stdout()) as Report;
    expect(withoutTime(printed)).toEqual(withoutTime(stored));
    const written = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")) as Report;
    expect(written).toEqual(printed);
    expect(readFileSync(join(dir, "out", "report.csv"), "utf8")).toContain("invoice-matching");
    // Read-only: nothing published, nothing stored.
    expect(local.sns.published).toHaveLength(published);
    // No CloudWatch data for the named metric: said, by workflow id, and estimated instead.
    expect(io.stderr()).toBe(
      'warning: no measured volume: review cost estimated from the registry {"workflows":["support-triage"]}',
    );
  });

  it("prints a readable summary with the request count", async () => {
    local = await localAws();
    const io = cliIo(local);
    expect(await run(["reconcile"], io)).toBe(0);
    const out = io.stdout();
    expect(out).toContain("AI spend by workflow, 2026-11-01 to 2026-11-27");
    expect(out).toMatch(/support-triage\s+dana@example\.com\s+100\.00/);
    expect(out).toContain(
      'unregistered "Support-Triage": 12.50 USD (letter case of "support-triage")',
    );
    expect(out).toMatch(/Cost Explorer requests: \d+ \(USD 0\.01 each\)/);
  });

  it("publishes the digests with --notify", async () => {
    local = await localAws();
    const io = cliIo(local, { AI_SPEND_GUARD_OWNER_TOPIC_ARN: TOPIC });
    expect(await run(["reconcile", "--notify"], io)).toBe(0);
    expect(local.sns.published.map((p) => p.attributes.owner)).toEqual([
      "dana@example.com",
      "priya@example.com",
      "sam@example.com",
      "finops@example.com",
    ]);
  });

  it("exits 2 with a reason when Cost Explorer fails", async () => {
    local = await localAws({ ce: { faults: { 1: { kind: "invalid-next-token" } } } });
    const io = cliIo(local);
    // An invalid token on the first page is refused like any other bad request.
    const code = await run(["reconcile"], io);
    expect(code).toBe(2);
    expect(io.stderr()).toMatch(/^error: reconciliation failed: /);
  });

  it.each([
    [["--notify"], /--notify needs an SNS topic/],
    [["--from", "2026-11-05"], /--from must be the first day of a month/],
    [
      ["--metric", "BlendedCost"],
      /--metric must be one of UnblendedCost, AmortizedCost, NetAmortizedCost/,
    ],
    [["--to", "2026-02-30"], /--to "2026-02-30" is not a date/],
  ])("rejects %j as usage", async (args, message) => {
    const io = memoryIo({ cwd: dir });
    expect(await run(["reconcile", ...args], io)).toBe(2);
    expect(io.stderr()).toMatch(message);
  });

  it("exits 1 on an invalid registry", async () => {
    writeFileSync(join(dir, "workflows.yaml"), "version: 2\n");
    const io = memoryIo({ cwd: dir });
    expect(await run(["reconcile"], io)).toBe(1);
    expect(io.stderr()).toContain("workflows.yaml:1:10");
  });
});

describe("runDateFor", () => {
  it.each([
    [undefined, undefined, "2026-11-28"],
    ["2026-10-01", undefined, "2026-11-01"],
    ["2026-11-01", undefined, "2026-11-28"],
    ["2026-10-01", "2026-10-15", "2026-10-15"],
    [undefined, "2026-11-10", "2026-11-10"],
  ])("--from %s --to %s -> run date %s", (from, to, expected) => {
    expect(runDateFor(from, to, "2026-11-28")).toBe(expected);
  });
  it.each([
    ["2026-11-01", "2026-12-01"],
    [undefined, "2026-11-29"],
  ])("refuses --from %s --to %s past today (today's figures are partial)", (from, to) => {
    expect(runDateFor(from, to, "2026-11-28")).toEqual({
      error: "--to must be no later than today, 2026-11-28 (today's figures are partial)",
    });
  });
  it("refuses a --to beyond the month", () => {
    expect(runDateFor("2026-10-01", "2026-11-05", "2026-11-28")).toEqual({
      error:
        "--to must fall after --from and no later than 2026-11-01 (the day after the month's end)",
    });
  });
});
