import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, readConfig } from "../../src/reconciler/aws";
import {
  createHandler,
  DeliveryIncompleteError,
  FutureRunDateError,
  runDateOf,
} from "../../src/reconciler/aws";
import type { RunSummary } from "../../src/reconciler/aws";
import type { Report } from "../../src/reconciler";
import type { MetricsSink } from "../../src/reconciler";
import { ENV, BUCKET, TOPIC, localAws } from "./aws-fixture";
import { testRegistry } from "./fixtures";

const EVENT = { time: "2026-11-28T06:00:00Z", "detail-type": "Scheduled Event" };
const instant = async () => undefined;

type Local = Awaited<ReturnType<typeof localAws>>;
let local: Local | undefined;
afterEach(async () => {
  await local?.aws.close();
  local = undefined;
  vi.restoreAllMocks();
});

function handlerFor(l: Local, metrics: Report[] = []) {
  const sink: MetricsSink = { emit: (report) => metrics.push(report) };
  return createHandler({
    env: ENV,
    registry: testRegistry(),
    clients: l.clients,
    costExplorerOptions: { sleep: instant },
    metrics: sink,
    now: () => new Date("2026-11-28T06:00:05Z"),
  });
}

/** A Lambda context with `ms` left. */
function context(requestId: string, ms = 60_000) {
  return { awsRequestId: requestId, getRemainingTimeInMillis: () => ms };
}

/** The summary of a run that ran (not one that stood down). */
function ran(summary: RunSummary): Extract<RunSummary, { kind: "ran" }> {
  if (summary.kind !== "ran") throw new Error(`the run stood down: ${JSON.stringify(summary)}`);
  return summary;
}

function storedReport(l: Local): Report {
  const object = l.s3.objects.get(`${BUCKET}/reports/2026-11-28/report.json`);
  if (object === undefined) throw new Error("no report stored");
  return JSON.parse(object.body.toString("utf8")) as Report;
}

describe("reconciler handler (real SDK clients, local AWS)", () => {
  let output: string[];
  beforeEach(() => {
    output = [];
    const capture = (chunk: unknown) => {
      output.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(capture);
    vi.spyOn(process.stderr, "write").mockImplementation(capture);
  });

  it("sends every owner exactly their digest, the contact the summary, and stores the report once", async () => {
    local = await localAws();
    const metrics: Report[] = [];
    const summary = await handlerFor(local, metrics)(EVENT);

    expect(summary).toMatchObject({
      runDate: "2026-11-28",
      reportKey: "reports/2026-11-28/report.json",
      reportWritten: true,
      deliveries: { sent: 4, "already-sent": 0, failed: 0, "sent-unrecorded": 0 },
    });
    const received = local.sns.published.map((p) => [
      p.attributes.owner,
      p.attributes.kind,
      p.topicArn,
    ]);
    expect(received).toEqual([
      ["dana@example.com", "owner-digest", TOPIC],
      ["priya@example.com", "owner-digest", TOPIC],
      ["sam@example.com", "owner-digest", TOPIC],
      ["finops@example.com", "unowned-summary", TOPIC],
    ]);
    const dana = local.sns.published[0]!;
    expect(dana.message).toContain("support-triage (run-rate)");
    expect(dana.message).toContain("memo-pilot (learning)");
    expect(dana.message).not.toContain("invoice-matching (");
    expect(dana.subject).toBe("[CRITICAL] memo-pilot past its review date - AI spend 2026-11");
    for (const p of local.sns.published) expect(p.subject!.length).toBeLessThanOrEqual(100);
    const finops = local.sns.published[3]!;
    expect(finops.message).toContain('"Support-Triage"');
    expect(finops.message).toContain('(letter case of "support-triage")');

    const report = storedReport(local);
    const triage = report.workflows.find((w) => w.id === "support-triage")!;
    expect(triage.spend).toBe(100.0000001);
    expect(report.workflows.find((w) => w.id === "invoice-matching")).toMatchObject({
      spend: 250, // 27 x 10 - 20 credit
      lastMonthSpend: 250,
    });
    expect(report.unowned).toEqual({ spend: 27, byService: { "Amazon Bedrock": 27 } });
    expect(report.unregistered).toEqual([
      {
        value: "Support-Triage",
        spend: 12.5,
        suggestion: "support-triage",
        caseOnly: true,
        route: "resourceTag",
      },
    ]);
    expect(report.totals.spend).toBe(100.0000001 + 250 + 27 + 135 + 12.5 + 3.25);
    expect(report.flags.map((f) => f.kind)).toEqual(
      expect.arrayContaining(["unowned-share", "unregistered-tag", "estimated-data"]),
    );
    expect(report.ceRequests).toBe(local.ceRequests());
    expect(report.ceRequests).toBeGreaterThan(1); // multi-page
    expect(
      local.s3.objects.get(`${BUCKET}/reports/2026-11-28/report.csv`)?.body.toString(),
    ).toContain("support-triage");
    expect(metrics).toHaveLength(1);
  });

  it("gives up on Cost Explorer before the invocation's time runs out, loudly, sending nothing", async () => {
    // 45.5 s left, 45 s kept for the outputs: the fetch gets the 1 s floor, and page 2 would
    // answer only after 5 s. Without the invocation's limit the fetch would simply wait.
    local = await localAws({ ce: { faults: { 2: { kind: "slow", delayMs: 5_000 } } } });
    const run = handlerFor(local)(EVENT, { getRemainingTimeInMillis: () => 45_500 });
    await expect(run).rejects.toThrow(/aborted/i);
    expect(local.sns.published).toEqual([]);
    expect(local.s3.objects.has(`${BUCKET}/reports/2026-11-28/report.json`)).toBe(false);
  });

  it("after a partial failure, the retry sends only what failed and recomputes nothing", async () => {
    let priyaDown = true;
    local = await localAws({
      sns: {
        fault: (p) =>
          p.attributes.owner === "priya@example.com" && priyaDown
            ? { status: 500, code: "InternalError" }
            : undefined,
      },
    });
    const metrics: Report[] = [];
    const handler = handlerFor(local, metrics);
    await expect(handler(EVENT)).rejects.toThrow(DeliveryIncompleteError);
    // The SDK retried the failed publish before giving up; the others went out once.
    expect(local.sns.refused.length).toBeGreaterThan(1);
    expect(local.sns.published.map((p) => p.attributes.owner)).toEqual([
      "dana@example.com",
      "sam@example.com",
      "finops@example.com",
    ]);
    const ceAfterFirst = local.ceRequests();

    priyaDown = false;
    const retry = await handler(EVENT);
    expect(retry).toMatchObject({
      reportWritten: false,
      deliveries: { sent: 1, "already-sent": 3, failed: 0, "sent-unrecorded": 0 },
    });
    expect(local.sns.published.map((p) => p.attributes.owner)).toEqual([
      "dana@example.com",
      "sam@example.com",
      "finops@example.com",
      "priya@example.com",
    ]);
    // A third run (the schedule retrying again) sends nothing and asks Cost Explorer nothing.
    const third = ran(await handlerFor(local, metrics)(EVENT));
    expect(third.deliveries).toEqual({
      sent: 0,
      "already-sent": 4,
      failed: 0,
      "sent-unrecorded": 0,
    });
    expect(local.sns.published).toHaveLength(4);
    expect(local.ceRequests()).toBe(ceAfterFirst);
    expect(metrics).toHaveLength(1);
    // Only the claim (released, then taken again) and the CSV copy are re-offered: never the
    // report, never a delivery record.
    expect(new Set(local.s3.preconditionFailures.map((c) => c.key))).toEqual(
      new Set(["reports/2026-11-28/claim.json", "reports/2026-11-28/report.csv"]),
    );
  });

  it("names the undelivered workflows when it fails, never an address", async () => {
    local = await localAws({
      sns: {
        fault: (p) =>
          p.attributes.owner === "sam@example.com"
            ? { status: 500, code: "InternalError" }
            : undefined,
      },
    });
    const error: unknown = await handlerFor(local)(EVENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryIncompleteError);
    expect((error as Error).message).toBe(
      "1 message(s) not delivered (workflows: quiet-one): the run must be retried; what was done will not be done again",
    );
  });

  it("logs structured lines with workflow ids and never an email address", async () => {
    local = await localAws({
      sns: {
        fault: (p) =>
          p.attributes.owner === "sam@example.com"
            ? { status: 400, code: "InvalidParameter" }
            : undefined,
      },
    });
    await handlerFor(local)(EVENT).catch(() => undefined);
    const logs = output
      .join("")
      .split("\n")
      .filter((line) => line.startsWith("{"));
    expect(logs.length).toBeGreaterThan(3);
    const parsed = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.some((l) => JSON.stringify(l.workflows ?? "").includes("support-triage"))).toBe(
      true,
    );
    expect(parsed.some((l) => l.message === "message not delivered")).toBe(true);
    expect(output.join("")).not.toMatch(/@example\.com/);
  });

  it("treats a 403 on the delivery records as a fault: sends nothing, logs nothing as sent", async () => {
    local = await localAws({
      s3: {
        fault: (c) =>
          c.method === "GET" && c.key.includes("/deliveries/")
            ? { status: 403, code: "AccessDenied", message: "Access Denied" }
            : undefined,
      },
    });
    const error = await handlerFor(local)(EVENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryIncompleteError);
    expect((error as DeliveryIncompleteError).failed).toHaveLength(4);
    expect(local.sns.published).toEqual([]);
    expect(output.join("")).not.toMatch(/"message":"message sent"/);
  });

  it("two invocations at once send each digest once and pay Cost Explorer once", async () => {
    // The first invocation's Cost Explorer answers slowly, so the second arrives mid-run.
    local = await localAws({ ce: { faults: { 1: { kind: "slow", delayMs: 1_500 } } } });
    const l = local;
    const first = handlerFor(local)(EVENT, context("invocation-1"));
    await vi.waitFor(() => {
      if (!l.s3.objects.has(`${BUCKET}/reports/2026-11-28/claim.json`)) throw new Error("no claim");
    });
    const second = await handlerFor(local)(EVENT, context("invocation-2"));
    expect(second).toMatchObject({ kind: "held", heldBy: "invocation-1" });
    const done = ran(await first);
    expect(done.deliveries.sent).toBe(4);
    expect(local.sns.published).toHaveLength(4);
    const afterBoth = local.ceRequests();
    expect(afterBoth).toBe(done.ceRequests);
    // The claim was released: a retry now runs at once, and finds everything done.
    const retry = ran(await handlerFor(local)(EVENT, context("invocation-3")));
    expect(retry.deliveries["already-sent"]).toBe(4);
    expect(local.ceRequests()).toBe(afterBoth);
  });

  it("takes over a claim whose lease ran out (its holder timed out)", async () => {
    local = await localAws();
    const key = `${BUCKET}/reports/2026-11-28/claim.json`;
    const stale = JSON.stringify({
      owner: "timed-out",
      runDate: "2026-11-28",
      expiresAt: "2026-11-28T06:00:00Z",
      state: "running",
    });
    local.s3.objects.set(key, {
      body: Buffer.from(stale),
      contentType: "application/json",
      etag: '"stale"',
      lastModified: new Date("2026-11-28T05:00:00Z"),
    });
    const summary = ran(await handlerFor(local)(EVENT, context("retry")));
    expect(summary.deliveries.sent).toBe(4);
    const claim = JSON.parse(local.s3.objects.get(key)!.body.toString()) as { owner: string };
    expect(claim).toMatchObject({ owner: "retry", state: "released" });
  });

  it("after a CSV write failure, the retry writes the CSV and emits the metrics exactly once", async () => {
    let csvDown = true;
    local = await localAws({
      s3: {
        fault: (c) =>
          c.method === "PUT" && c.key.endsWith("report.csv") && csvDown
            ? { status: 500, code: "InternalError" }
            : undefined,
      },
    });
    const metrics: Report[] = [];
    const error = await handlerFor(local, metrics)(EVENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryIncompleteError);
    expect((error as Error).message).toMatch(/not written: report\.csv/);
    expect(local.s3.objects.has(`${BUCKET}/reports/2026-11-28/report.json`)).toBe(true);
    expect(metrics).toHaveLength(1); // one output failing does not cost the day the others
    expect(local.sns.published).toHaveLength(4);

    csvDown = false;
    const retry = ran(await handlerFor(local, metrics)(EVENT));
    expect(retry.outputs).toEqual({ "report.csv": "done", metrics: "already-done" });
    expect(local.s3.objects.has(`${BUCKET}/reports/2026-11-28/report.csv`)).toBe(true);
    expect(metrics).toHaveLength(1);
    expect(local.sns.published).toHaveLength(4);
  });

  it("emits on retry the metrics a failed emission left out, once", async () => {
    local = await localAws();
    const emitted: Report[] = [];
    let fail = true;
    const sink: MetricsSink = {
      emit: (report) => {
        if (fail) throw new Error("stdout closed");
        emitted.push(report);
      },
    };
    const handler = () =>
      createHandler({
        env: ENV,
        registry: testRegistry(),
        clients: local!.clients,
        costExplorerOptions: { sleep: instant },
        metrics: sink,
        now: () => new Date("2026-11-28T06:00:05Z"),
      })(EVENT);
    await expect(handler()).rejects.toThrow(/not written: metrics/);
    fail = false;
    expect(ran(await handler()).outputs.metrics).toBe("done");
    expect(ran(await handler()).outputs.metrics).toBe("already-done");
    expect(emitted).toHaveLength(1);
  });

  it("fails loudly, sending nothing, when the report cannot be stored", async () => {
    local = await localAws({
      s3: {
        fault: (c) => (c.method === "PUT" ? { status: 403, code: "AccessDenied" } : undefined),
      },
    });
    await expect(handlerFor(local)(EVENT)).rejects.toThrow(/AccessDenied|Access Denied|injected/);
    expect(local.sns.published).toHaveLength(0);
  });

  it("measures volume from CloudWatch when the registry names a metric", async () => {
    local = await localAws({
      cloudWatch: {
        series: [
          {
            namespace: "Support/Triage",
            name: "TicketsTriaged",
            points: [
              { at: "2026-11-02T10:00:00Z", value: 600 },
              { at: "2026-11-03T10:00:00Z", value: 400 },
              { at: "2026-10-30T10:00:00Z", value: 9999 }, // before the period
            ],
          },
        ],
        options: { maxDatapointsPerPage: 1 },
      },
    });
    await handlerFor(local)(EVENT);
    const triage = storedReport(local).workflows.find((w) => w.id === "support-triage")!;
    expect(triage).toMatchObject({ items: 1000, reviewCostBasis: "measured", reviewCost: 400 });
    expect(local.cloudWatch.calls()).toBe(2); // followed NextToken
  });

  it("falls back to estimated volume when CloudWatch keeps failing", async () => {
    local = await localAws({
      cloudWatch: { options: { fault: () => ({ status: 500, code: "InternalServiceFault" }) } },
    });
    await handlerFor(local)(EVENT);
    const triage = storedReport(local).workflows.find((w) => w.id === "support-triage")!;
    expect(triage).toMatchObject({ reviewCostBasis: "estimated", items: 27000 });
  });
});

describe("readConfig", () => {
  it("applies the defaults", () => {
    expect(readConfig(ENV)).toEqual({
      bucket: BUCKET,
      prefix: "reports/",
      topicArn: TOPIC,
      metric: "UnblendedCost",
      groupByAccount: false,
      metricsNamespace: "AiSpendGuard",
      maxRequests: undefined,
      hashSalt: "",
      costSource: { kind: "cost-explorer" },
    });
  });

  it("reads the CUR source's table and workgroup when the cost source is cur", () => {
    const cur = {
      ...ENV,
      AI_SPEND_GUARD_COST_SOURCE: "cur",
      AI_SPEND_GUARD_CUR_DATABASE: "ai-spend-guard-cur",
      AI_SPEND_GUARD_CUR_TABLE: "ai_spend_guard_cur",
      AI_SPEND_GUARD_CUR_WORKGROUP: "ai-spend-guard-cur",
    };
    expect(readConfig(cur).costSource).toEqual({
      kind: "cur",
      database: "ai-spend-guard-cur",
      table: "ai_spend_guard_cur",
      workGroup: "ai-spend-guard-cur",
    });
    expect(() =>
      readConfig({
        ...ENV,
        AI_SPEND_GUARD_COST_SOURCE: "cur",
        AI_SPEND_GUARD_CUR_TABLE: "a table",
        AI_SPEND_GUARD_COST_METRIC: "AmortizedCost",
        AI_SPEND_GUARD_GROUP_BY_ACCOUNT: "true",
      }),
    ).toThrow(
      [
        "invalid reconciler configuration:",
        "  AI_SPEND_GUARD_CUR_DATABASE: is required: the CUR source (AI_SPEND_GUARD_COST_SOURCE=cur) queries it: the Glue database",
        "  AI_SPEND_GUARD_CUR_TABLE: must be a Glue table name",
        "  AI_SPEND_GUARD_CUR_WORKGROUP: is required: the CUR source (AI_SPEND_GUARD_COST_SOURCE=cur) queries it: the Athena workgroup",
        "  AI_SPEND_GUARD_COST_METRIC: AmortizedCost with the CUR source: AmortizedCost is not one CUR column (it combines reservation_effective_cost, savings_plan_savings_plan_effective_cost and fees by line item type); the CUR source supports UnblendedCost and NetUnblendedCost",
        "  AI_SPEND_GUARD_GROUP_BY_ACCOUNT: must be false with the CUR source (its query does not group by linked account)",
      ].join("\n"),
    );
    expect(() => readConfig({ ...ENV, AI_SPEND_GUARD_COST_SOURCE: "focus" })).toThrow(
      /AI_SPEND_GUARD_COST_SOURCE: must be one of cost-explorer, cur/,
    );
  });

  it("reads the request budget and the hash salt, refusing a budget that is not a count", () => {
    expect(
      readConfig({ ...ENV, AI_SPEND_GUARD_CE_MAX_REQUESTS: "250", AI_SPEND_GUARD_HASH_SALT: "s" }),
    ).toMatchObject({ maxRequests: 250, hashSalt: "s" });
    for (const bad of ["0", "-5", "1.5", "lots", "1000001"]) {
      expect(() => readConfig({ ...ENV, AI_SPEND_GUARD_CE_MAX_REQUESTS: bad })).toThrow(
        /AI_SPEND_GUARD_CE_MAX_REQUESTS: must be a whole number of requests from 1 to 1,000,000/,
      );
    }
  });

  it("names every bad variable", () => {
    const error = (() => {
      try {
        readConfig({
          AI_SPEND_GUARD_COST_METRIC: "BlendedCost",
          AI_SPEND_GUARD_GROUP_BY_ACCOUNT: "yes",
        });
      } catch (e) {
        return e as Error;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      [
        "invalid reconciler configuration:",
        "  AI_SPEND_GUARD_REPORT_BUCKET: is required: the S3 bucket that receives reports",
        "  AI_SPEND_GUARD_OWNER_TOPIC_ARN: is required: the SNS topic owners subscribe to",
        "  AI_SPEND_GUARD_COST_METRIC: must be one of UnblendedCost, AmortizedCost, NetAmortizedCost, NetUnblendedCost",
        '  AI_SPEND_GUARD_GROUP_BY_ACCOUNT: must be "true" or "false"',
      ].join("\n"),
    );
  });

  it("adds the trailing slash to a prefix and reads booleans", () => {
    expect(
      readConfig({
        ...ENV,
        AI_SPEND_GUARD_REPORT_PREFIX: "ai/reports",
        AI_SPEND_GUARD_GROUP_BY_ACCOUNT: "true",
      }),
    ).toMatchObject({ prefix: "ai/reports/", groupByAccount: true });
  });
});

describe("runDateOf", () => {
  const now = new Date("2026-12-02T00:30:00Z");
  it.each([
    [{ runDate: "2026-11-15" }, "2026-11-15"],
    [{ time: "2026-11-28T06:00:00Z" }, "2026-11-28"],
    [{}, "2026-12-02"],
  ])("%j -> %s", (event, expected) => {
    expect(runDateOf(event, now)).toBe(expected);
  });
  it("rejects a run date that is not a date", () => {
    expect(() => runDateOf({ runDate: "2026-13-01" }, now)).toThrow(
      /event.runDate "2026-13-01" is not a date/,
    );
  });
});

describe("a future run date", () => {
  const now = new Date("2026-12-02T00:30:00Z");
  it.each([
    [{ runDate: "2026-12-03" }, /event\.runDate 2026-12-03 is after today \(2026-12-02, UTC\)/],
    [{ runDate: "2099-01-01" }, /after today/],
    [{ time: "2026-12-05T06:00:00Z" }, /event\.time's date 2026-12-05 is after today/],
  ])("%j is refused, naming it", (event, message) => {
    expect(() => runDateOf(event, now)).toThrow(FutureRunDateError);
    expect(() => runDateOf(event, now)).toThrow(message);
  });

  it("today is not the future", () => {
    expect(runDateOf({ runDate: "2026-12-02" }, now)).toBe("2026-12-02");
  });

  it("the handler refuses it before any request, and emails nothing", async () => {
    const l = await localAws();
    try {
      const run = createHandler({
        env: ENV,
        registry: testRegistry(),
        clients: l.clients,
        now: () => new Date("2026-11-28T06:00:05Z"),
      });
      await expect(run({ runDate: "2026-12-01" })).rejects.toThrow(FutureRunDateError);
      expect(l.aws.requests).toEqual([]);
      expect(l.sns.published).toEqual([]);
    } finally {
      await l.aws.close();
    }
  });
});
