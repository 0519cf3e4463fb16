/**
 * The attribution rule, what the report and the messages make of it, and the pure parts of the
 * Cost Explorer plan (request shapes, the pair parser, the coverage check).
 */
import { describe, expect, it } from "vitest";
import {
  attribute,
  composeMessages,
  createAggregator,
  periodFor,
  principalRouteKey,
  principalTagKey,
  runReconciliation,
} from "../../src/reconciler";
import type { CostQuery, Report } from "../../src/reconciler";
import {
  MalformedResponseError,
  minimumRequests,
  parseTagPairPage,
  PlanMismatchError,
  PlanRun,
  queryPlan,
  reportedMonthStart,
  stepInput,
} from "../../src/reconciler/aws";
import { parseRegistry } from "../../src/registry";
import { toString } from "../../src/util/decimal";
import { memorySource, REGISTRY_TEXT, row, testRegistry } from "./fixtures";

const RUN = "2026-11-28";
const BEDROCK = "Amazon Bedrock";

describe("attribute: the first route with a value decides", () => {
  it.each([
    [
      "support-triage",
      null,
      { kind: "attributed", route: "resourceTag", value: "support-triage", conflictsWith: null },
    ],
    [
      null,
      "invoice-matching",
      { kind: "attributed", route: "principalTag", value: "invoice-matching", conflictsWith: null },
    ],
    [
      "",
      "invoice-matching",
      { kind: "attributed", route: "principalTag", value: "invoice-matching", conflictsWith: null },
    ],
    [
      "support-triage",
      "support-triage",
      { kind: "attributed", route: "resourceTag", value: "support-triage", conflictsWith: null },
    ],
    [
      "support-triage",
      "invoice-matching",
      {
        kind: "attributed",
        route: "resourceTag",
        value: "support-triage",
        conflictsWith: "invoice-matching",
      },
    ],
    // Tags are case-sensitive: a case variant is another value, so a conflict.
    [
      "support-triage",
      "Support-Triage",
      {
        kind: "attributed",
        route: "resourceTag",
        value: "support-triage",
        conflictsWith: "Support-Triage",
      },
    ],
    [
      "support-triage",
      "",
      { kind: "attributed", route: "resourceTag", value: "support-triage", conflictsWith: null },
    ],
    [null, null, { kind: "unattributed" }],
    ["", "", { kind: "unattributed" }],
    [undefined, undefined, { kind: "unattributed" }],
  ])("resource %j, caller %j", (resource, principal, expected) => {
    expect(attribute(resource, principal)).toEqual(expected);
  });

  it("names the caller's key with AWS's iamPrincipal/ prefix, or none when the route is off", () => {
    expect(principalTagKey("ai:workflow")).toBe("iamPrincipal/ai:workflow");
    const on = testRegistry();
    expect(on.settings.principalTags).toBe(true);
    expect(principalRouteKey(on.settings)).toBe("iamPrincipal/workflow");
    const off = parseRegistry(
      REGISTRY_TEXT.replace(
        "unownedShareAlert: 0.05",
        "unownedShareAlert: 0.05\n  principalTags: false",
      ),
      "workflows.yaml",
    );
    expect(principalRouteKey(off.settings)).toBeNull();
  });
});

describe("the aggregator with a grouped source's tag pairs", () => {
  it("counts pairs of the reported month as conflicts only, never as money", () => {
    const aggregator = createAggregator({
      workflowIds: ["support-triage", "invoice-matching"],
      currency: "USD",
      period: periodFor(RUN),
    });
    aggregator.add([row("2026-11-02", "support-triage", BEDROCK, "10")]);
    const pair = { resourceTag: "support-triage", principalTag: "invoice-matching", unit: "USD" };
    aggregator.addPairs([
      { ...pair, start: "2026-11-01", end: RUN, amount: "4.5" },
      // Agreeing, another currency, last month: none is a conflict of this report.
      { ...pair, principalTag: "support-triage", start: "2026-11-01", end: RUN, amount: "1" },
      { ...pair, unit: "EUR", start: "2026-11-01", end: RUN, amount: "7" },
      { ...pair, start: "2026-10-01", end: "2026-11-01", amount: "9" },
    ]);
    const result = aggregator.finish();
    expect(toString(result.workflows.get("support-triage")!.monthToDate)).toBe("10");
    expect(
      result.conflicts.map((c) => [c.resourceTag, c.principalTag, toString(c.amount)]),
    ).toEqual([["support-triage", "invoice-matching", "4.5"]]);
  });
});

async function conflictReport(): Promise<Report> {
  return runReconciliation({
    registry: testRegistry(),
    source: memorySource([
      row("2026-11-03", null, BEDROCK, "300", { principalTag: "invoice-matching" }),
      row("2026-11-03", "invoice-matching", "Amazon Textract", "100"),
      row("2026-11-04", "support-triage", BEDROCK, "12.5", { principalTag: "invoice-matching" }),
      row("2026-11-05", null, BEDROCK, "2", { principalTag: "Invoice-Matching" }),
    ]),
    runDate: RUN,
    now: () => new Date(`${RUN}T06:00:00Z`),
  });
}

describe("the report contract", () => {
  it("splits spend by route, lists conflicts, and keeps the invariants", async () => {
    const report = await conflictReport();
    expect(report.source).toBe("cost-explorer");
    const invoice = report.workflows.find((w) => w.id === "invoice-matching")!;
    expect(invoice.attribution).toEqual({ resourceTag: 100, principalTag: 300 });
    expect(report.attribution).toEqual({
      resourceTag: 112.5,
      principalTag: 302,
      none: 0,
      conflicts: [{ resourceTag: "support-triage", principalTag: "invoice-matching", spend: 12.5 }],
    });
    expect(report.attribution.resourceTag + report.attribution.principalTag).toBe(
      report.totals.aiSpend,
    );
    expect(report.unregistered).toEqual([
      {
        value: "Invoice-Matching",
        spend: 2,
        suggestion: "invoice-matching",
        caseOnly: true,
        route: "principalTag",
      },
    ]);
  });
});

describe("the messages", () => {
  it("tells both owners and the contact of a conflict, and an owner what their budget cannot see", async () => {
    const messages = composeMessages(await conflictReport(), testRegistry());
    const [dana, priya, , summary] = messages;
    const conflict = "12.50 USD of spend carries the resource tag";
    expect(dana!.body).toContain(conflict);
    expect(priya!.body).toContain(conflict);
    expect(summary!.body).toContain(conflict);
    expect(summary!.body).toContain(
      'ATTRIBUTION CONFLICTS (counted under the resource tag)\n  resource "support-triage", caller "invoice-matching": 12.50 USD',
    );
    expect(summary!.body).toContain("  Caller's role tag       302.00 USD");
    expect(summary!.body).toContain('"Invoice-Matching"');
    expect(summary!.body).toContain("2.00 USD (caller's role tag)");
    // invoice-matching: 300 of its 400 came through its role's tag, which its budget cannot see.
    expect(priya!.body).toContain("  By resource tag           100.00 USD");
    expect(priya!.body).toContain("  By caller's role tag      300.00 USD");
    const flowing = priya!.body.replace(/\s+/g, " ");
    expect(flowing).toContain(
      "75% of this spend reached the workflow through the tag of the IAM role or user that called the model, not a resource tag: its AWS budget and anomaly monitor filter on resource tags and cannot see it.",
    );
    // support-triage was counted by its resource tag only: nothing hidden from its budget.
    expect(dana!.body).not.toContain("reached the workflow through the tag");
    for (const message of messages.filter((m) => m.kind === "owner-digest")) {
      expect(message.body.split("\n").every((line) => line.length <= 80)).toBe(true);
    }
    expect(priya!.subject).toContain("invoice-matching");
  });

  it("says when the principal route is off", async () => {
    const registry = parseRegistry(
      REGISTRY_TEXT.replace(
        "unownedShareAlert: 0.05",
        "unownedShareAlert: 0.05\n  principalTags: false",
      ),
      "workflows.yaml",
    );
    const report = await runReconciliation({
      registry,
      source: memorySource([row("2026-11-03", null, BEDROCK, "30")]),
      runDate: RUN,
    });
    const summary = composeMessages(report, registry).at(-1)!;
    expect(summary.body).toContain("not read (settings.principalTags: false)");
    expect(report.flags.find((f) => f.kind === "unowned-share")!.message).toContain(
      "tag those resources with workflow=",
    );
  });
});

describe("the Cost Explorer plan (pure parts)", () => {
  const query: CostQuery = {
    start: "2026-10-01",
    end: RUN,
    metric: "UnblendedCost",
    tagKey: "workflow",
    principalTagKey: "iamPrincipal/workflow",
    groupByAccount: true,
  };

  it("has Q1 and Q2 per account and Q3 once; the route off is today's single query", () => {
    expect(queryPlan(query, ["1", "2"])).toEqual([
      { kind: "resource-tag", account: "1" },
      { kind: "principal-tag", account: "1" },
      { kind: "resource-tag", account: "2" },
      { kind: "principal-tag", account: "2" },
      { kind: "tag-pairs" },
    ]);
    expect(queryPlan({ ...query, principalTagKey: null }, ["1", "2"])).toEqual([
      { kind: "resource-tag", account: "1" },
      { kind: "resource-tag", account: "2" },
    ]);
    expect(minimumRequests(true, 1)).toBe(3);
    expect(minimumRequests(true, 50)).toBe(101);
    expect(minimumRequests(false, 50)).toBe(50);
  });

  it("And-s the account filter with ABSENT, and asks Q3 for the reported month only", () => {
    expect(stepInput(query, { kind: "principal-tag", account: "111122223333" }, "tok")).toEqual({
      TimePeriod: { Start: "2026-10-01", End: RUN },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [
        { Type: "TAG", Key: "iamPrincipal/workflow" },
        { Type: "DIMENSION", Key: "SERVICE" },
      ],
      Filter: {
        And: [
          { Dimensions: { Key: "LINKED_ACCOUNT", Values: ["111122223333"] } },
          { Tags: { Key: "workflow", MatchOptions: ["ABSENT"] } },
        ],
      },
      NextPageToken: "tok",
    });
    expect(stepInput(query, { kind: "tag-pairs" }).TimePeriod).toEqual({
      Start: "2026-11-01",
      End: RUN,
    });
    expect(reportedMonthStart({ start: "2026-10-01", end: "2026-11-01" })).toBe("2026-10-01");
    expect(reportedMonthStart({ start: "2026-11-15", end: "2026-11-20" })).toBe("2026-11-15");
    expect(() => stepInput({ ...query, principalTagKey: null }, { kind: "tag-pairs" })).toThrow(
      "the principal route is off",
    );
  });

  const pairPage = (keys: string[], definitions = true) => ({
    ...(definitions
      ? {
          GroupDefinitions: [
            { Type: "TAG" as const, Key: "iamPrincipal/workflow" },
            { Type: "TAG" as const, Key: "workflow" },
          ],
        }
      : {}),
    ResultsByTime: [
      {
        TimePeriod: { Start: "2026-11-01", End: RUN },
        Groups: [{ Keys: keys, Metrics: { UnblendedCost: { Amount: "3.5", Unit: "USD" } } }],
      },
    ],
  });
  const keys = {
    resourceKey: "workflow",
    principalKey: "iamPrincipal/workflow",
    metric: "UnblendedCost",
  };

  it("reads tag pairs in GroupDefinitions order, values with $ and / kept whole", () => {
    expect(
      parseTagPairPage(pairPage(["iamPrincipal/workflow$a/b$c", "workflow$support-triage"]), keys),
    ).toEqual([
      {
        start: "2026-11-01",
        end: RUN,
        resourceTag: "support-triage",
        principalTag: "a/b$c",
        amount: "3.5",
        unit: "USD",
      },
    ]);
    // A pair with one side empty is not a pair.
    expect(parseTagPairPage(pairPage(["iamPrincipal/workflow$", "workflow$x"]), keys)).toEqual([]);
  });

  it.each([
    [
      ["workflow$x", "team$y"],
      false,
      'tag key "team$y" does not start with "iamPrincipal/workflow$"',
    ],
    [["workflow$x"], false, "expected 2 keys [resource tag, principal tag]"],
  ])("refuses group keys %j naming the key", (groupKeys, definitions, message) => {
    expect(() => parseTagPairPage(pairPage(groupKeys, definitions), keys)).toThrow(
      MalformedResponseError,
    );
    expect(() => parseTagPairPage(pairPage(groupKeys, definitions), keys)).toThrow(message);
  });

  it("checks that Q2 covers Q1's untagged spend, within rounding", () => {
    const day = (tag: string, service: string, amount: string) => ({
      GroupDefinitions: [
        { Type: "TAG" as const, Key: tag.split("$")[0] },
        { Type: "DIMENSION" as const, Key: "SERVICE" },
      ],
      ResultsByTime: [
        {
          TimePeriod: { Start: "2026-11-02", End: "2026-11-03" },
          Groups: [
            { Keys: [tag, service], Metrics: { UnblendedCost: { Amount: amount, Unit: "USD" } } },
          ],
        },
      ],
    });
    const single = { ...query, groupByAccount: false };
    const plan = new PlanRun(single);
    expect(
      plan.rowsOf({ kind: "resource-tag", account: undefined }, day("workflow$", BEDROCK, "5")),
    ).toEqual([]);
    plan.rowsOf(
      { kind: "principal-tag", account: undefined },
      day("iamPrincipal/workflow$a", BEDROCK, "3"),
    );
    plan.rowsOf(
      { kind: "principal-tag", account: undefined },
      day("iamPrincipal/workflow$", BEDROCK, "1.995"),
    );
    // 5 - 3 - 1.995 = 0.005: rounding, accepted.
    expect(() => plan.endStep({ kind: "principal-tag", account: undefined })).not.toThrow();

    const short = new PlanRun(single);
    short.rowsOf({ kind: "resource-tag", account: undefined }, day("workflow$", BEDROCK, "5"));
    short.rowsOf(
      { kind: "principal-tag", account: undefined },
      day("iamPrincipal/workflow$a", BEDROCK, "3"),
    );
    expect(() => short.endStep({ kind: "principal-tag", account: undefined })).toThrow(
      PlanMismatchError,
    );
    expect(() => {
      const again = new PlanRun(single);
      again.rowsOf(
        { kind: "principal-tag", account: undefined },
        day("iamPrincipal/workflow$a", BEDROCK, "3"),
      );
      again.endStep({ kind: "principal-tag", account: undefined });
    }).toThrow('2026-11-02 "Amazon Bedrock": -3 USD');
  });
});
