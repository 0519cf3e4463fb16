/**
 * Caller attribution end to end: line-level bills (each line a resource tag or none, a caller's
 * principal tag or none) served by the local Cost Explorer, read by the real SDK client through
 * the query plan, reconciled by the core. Every expected figure is computed from the lines here,
 * independently of the plan.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";

import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import type { CostExplorerHandlerOptions } from "../../src/local-aws/cost-explorer";
import { datasetFromRows } from "../../src/local-aws/datasets";
import type { DatasetRow } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import type { ServiceHandler } from "../../src/local-aws/types";
import { runReconciliation } from "../../src/reconciler";
import type { Report } from "../../src/reconciler";
import {
  CostExplorerError,
  costExplorerSource,
  createCostExplorerClient,
  minimumRequests,
} from "../../src/reconciler/aws";
import { add, parseAmount, toNumber, ZERO } from "../../src/util/decimal";
import type { Amount } from "../../src/util/decimal";
import { REGISTRY_TEXT, testRegistry } from "./fixtures";
import { CREDENTIALS } from "./aws-fixture";

const RUN = "2026-11-28";
const BEDROCK = "Amazon Bedrock";
const HAIKU = "Claude 3 Haiku (Amazon Bedrock Edition)";
const LAMBDA = "AWS Lambda";
const PRINCIPAL_OFF = REGISTRY_TEXT.replace(
  "  unownedShareAlert: 0.05\n",
  "  unownedShareAlert: 0.05\n  principalTags: false\n",
);

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

/** A line on every day of November 1-27 (and October when `lastMonth`). */
function daily(
  line: Omit<DatasetRow, "date" | "account">,
  options: { lastMonth?: boolean } = {},
): DatasetRow[] {
  const rows: DatasetRow[] = [];
  const first = options.lastMonth === true ? 1 : 32;
  for (let d = first; d <= 58; d++) {
    const date =
      d <= 31
        ? `2026-10-${String(d).padStart(2, "0")}`
        : `2026-11-${String(d - 31).padStart(2, "0")}`;
    rows.push({ date, account: "111122223333", ...line });
  }
  return rows;
}

interface Setup {
  readonly rows: readonly DatasetRow[];
  readonly registry?: string;
  readonly handler?: CostExplorerHandlerOptions;
  readonly before?: readonly ServiceHandler[];
}

async function reconcile(setup: Setup): Promise<{ report: Report; bodies: unknown[] }> {
  const dataset = datasetFromRows({
    name: "lines",
    tagKey: "workflow",
    estimatedFrom: "2026-11-01",
    rows: setup.rows,
  });
  aws = await startLocalAws([...(setup.before ?? []), costExplorerHandler(dataset, setup.handler)]);
  const source = costExplorerSource(
    createCostExplorerClient({ endpoint: aws.endpoint, credentials: CREDENTIALS }),
    { sleep: async () => undefined, random: () => 0.5 },
  );
  const report = await runReconciliation({
    registry: testRegistry(setup.registry),
    source,
    runDate: RUN,
    now: () => new Date(`${RUN}T06:00:00Z`),
  });
  const bodies = aws.requests
    .filter((r) => r.headers["x-amz-target"] === "AWSInsightsIndexService.GetCostAndUsage")
    .map((r) => JSON.parse(r.body.toString()) as unknown);
  return { report, bodies };
}

const workflow = (report: Report, id: string) => report.workflows.find((w) => w.id === id)!;

/** The contract's invariants, for any report. */
function expectContract(report: Report): void {
  const { attribution, totals } = report;
  expect(report.source).toBe("cost-explorer");
  expect(attribution.resourceTag + attribution.principalTag + attribution.none).toBeCloseTo(
    totals.aiSpend,
    6,
  );
  expect(attribution.none).toBe(report.unowned.spend);
  for (const w of report.workflows) {
    expect(w.attribution.resourceTag + w.attribution.principalTag).toBeCloseTo(w.spend, 6);
  }
  const spends = attribution.conflicts.map((c) => c.spend);
  expect(spends).toEqual([...spends].sort((a, b) => b - a));
}

describe("the attribution rule through Cost Explorer", () => {
  it("principal-only: on-demand model calls reach the workflow by its caller's tag", async () => {
    const { report, bodies } = await reconcile({
      rows: daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "2" }),
    });
    expectContract(report);
    expect(workflow(report, "invoice-matching")).toMatchObject({
      spend: 54,
      attribution: { resourceTag: 0, principalTag: 54 },
      spendByService: { [BEDROCK]: 54 },
    });
    expect(report.unowned.spend).toBe(0);
    expect(report.attribution).toEqual({
      resourceTag: 0,
      principalTag: 54,
      none: 0,
      conflicts: [],
    });
    // One page per query: Q1, Q2, Q3.
    expect(report.ceRequests).toBe(minimumRequests(true, 1));
    expect(bodies).toHaveLength(3);
  });

  it("resource-only: tagged resources are counted as before, by the resource tag", async () => {
    const { report } = await reconcile({
      rows: [
        ...daily({ tag: "support-triage", service: LAMBDA, amount: "0.5" }),
        ...daily({ tag: "support-triage", service: BEDROCK, amount: "3" }),
      ],
    });
    expectContract(report);
    expect(workflow(report, "support-triage")).toMatchObject({
      spend: 94.5,
      attribution: { resourceTag: 94.5, principalTag: 0 },
    });
    expect(report.attribution.principalTag).toBe(0);
  });

  it("both agreeing: an inference profile called by its own workflow's role is counted once", async () => {
    const { report } = await reconcile({
      rows: daily({
        tag: "support-triage",
        principalTag: "support-triage",
        service: HAIKU,
        amount: "4",
      }),
    });
    expectContract(report);
    expect(workflow(report, "support-triage")).toMatchObject({
      spend: 108,
      attribution: { resourceTag: 108, principalTag: 0 },
    });
    expect(report.attribution.conflicts).toEqual([]);
    expect(report.flags.map((f) => f.kind)).not.toContain("attribution-conflict");
  });

  it("both conflicting: counted under the resource tag, reported to both owners and the contact", async () => {
    const { report } = await reconcile({
      rows: [
        ...daily({
          tag: "support-triage",
          principalTag: "invoice-matching",
          service: HAIKU,
          amount: "1.25",
        }),
        ...daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "1" }),
      ],
    });
    expectContract(report);
    expect(workflow(report, "support-triage").attribution).toEqual({
      resourceTag: 33.75,
      principalTag: 0,
    });
    expect(workflow(report, "invoice-matching")).toMatchObject({
      spend: 27,
      attribution: { resourceTag: 0, principalTag: 27 },
    });
    expect(report.attribution.conflicts).toEqual([
      { resourceTag: "support-triage", principalTag: "invoice-matching", spend: 33.75 },
    ]);
    const message =
      '33.75 USD of spend carries the resource tag workflow="support-triage" but was called by an IAM role or user tagged iamPrincipal/workflow="invoice-matching": the guard counted it under "support-triage" (the resource tag decides); re-tag the role or the resource so that both name the workflow that owns this spend.';
    for (const flags of [
      report.flags,
      workflow(report, "support-triage").flags,
      workflow(report, "invoice-matching").flags,
    ]) {
      expect(flags.filter((f) => f.kind === "attribution-conflict")).toEqual([
        { kind: "attribution-conflict", severity: "warning", message },
      ]);
    }
    expect(workflow(report, "memo-pilot").flags.map((f) => f.kind)).not.toContain(
      "attribution-conflict",
    );
  });

  it("a misspelt resource tag stays unregistered: the caller's tag never overrides it", async () => {
    const { report } = await reconcile({
      rows: daily({
        tag: "suport-triage",
        principalTag: "support-triage",
        service: BEDROCK,
        amount: "1",
      }),
    });
    expectContract(report);
    expect(workflow(report, "support-triage").spend).toBe(0);
    expect(report.unregistered).toEqual([
      {
        value: "suport-triage",
        spend: 27,
        suggestion: "support-triage",
        caseOnly: false,
        route: "resourceTag",
      },
    ]);
    expect(report.attribution.conflicts).toEqual([
      { resourceTag: "suport-triage", principalTag: "support-triage", spend: 27 },
    ]);
  });

  it("unregistered principal values get a did-you-mean and case-only detection, by route", async () => {
    const { report } = await reconcile({
      rows: [
        ...daily({ tag: null, principalTag: "invoce-matching", service: BEDROCK, amount: "1" }),
        ...daily({ tag: null, principalTag: "Support-Triage", service: HAIKU, amount: "0.5" }),
        ...daily({ tag: "Support-Triage", service: BEDROCK, amount: "0.25" }),
        // A caller tag value seen only on non-AI spend is not an AI workflow.
        ...daily({ tag: null, principalTag: "etl-role", service: LAMBDA, amount: "9" }),
      ],
    });
    expectContract(report);
    expect(report.unregistered).toEqual([
      {
        value: "invoce-matching",
        spend: 27,
        suggestion: "invoice-matching",
        caseOnly: false,
        route: "principalTag",
      },
      {
        value: "Support-Triage",
        spend: 13.5,
        suggestion: "support-triage",
        caseOnly: true,
        route: "principalTag",
      },
      {
        value: "Support-Triage",
        spend: 6.75,
        suggestion: "support-triage",
        caseOnly: true,
        route: "resourceTag",
      },
    ]);
    expect(report.attribution.principalTag).toBe(40.5);
    expect(report.attribution.resourceTag).toBe(6.75);
    const messages = report.flags
      .filter((f) => f.kind === "unregistered-tag")
      .map((f) => f.message);
    expect(messages[0]).toBe(
      'Caller tag value "invoce-matching" (iamPrincipal/workflow on an IAM role or user) is not a registered workflow (did you mean "invoice-matching"?) and spent 27.00 USD this month: correct the role\'s tag or register the workflow.',
    );
  });

  it("route turned off (settings.principalTags: false): one query, principal-only spend is unowned", async () => {
    const { report, bodies } = await reconcile({
      registry: PRINCIPAL_OFF,
      rows: [
        ...daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "2" }),
        ...daily({
          tag: "support-triage",
          principalTag: "invoice-matching",
          service: HAIKU,
          amount: "1",
        }),
      ],
    });
    expectContract(report);
    expect(report.ceRequests).toBe(1);
    expect(bodies).toEqual([
      {
        TimePeriod: { Start: "2026-10-01", End: RUN },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [
          { Type: "TAG", Key: "workflow" },
          { Type: "DIMENSION", Key: "SERVICE" },
        ],
      },
    ]);
    expect(workflow(report, "invoice-matching").spend).toBe(0);
    expect(report.unowned.spend).toBe(54);
    expect(report.attribution).toEqual({
      resourceTag: 27,
      principalTag: 0,
      none: 54,
      conflicts: [],
    });
  });

  it("sends the plan's request shapes: Tags ABSENT, And/Not, principal group keys", async () => {
    const { bodies } = await reconcile({
      rows: daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "2" }),
    });
    expect(bodies).toEqual([
      {
        TimePeriod: { Start: "2026-10-01", End: RUN },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [
          { Type: "TAG", Key: "workflow" },
          { Type: "DIMENSION", Key: "SERVICE" },
        ],
      },
      {
        TimePeriod: { Start: "2026-10-01", End: RUN },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [
          { Type: "TAG", Key: "iamPrincipal/workflow" },
          { Type: "DIMENSION", Key: "SERVICE" },
        ],
        Filter: { Tags: { Key: "workflow", MatchOptions: ["ABSENT"] } },
      },
      {
        TimePeriod: { Start: "2026-11-01", End: RUN },
        Granularity: "MONTHLY",
        Metrics: ["UnblendedCost"],
        GroupBy: [
          { Type: "TAG", Key: "workflow" },
          { Type: "TAG", Key: "iamPrincipal/workflow" },
        ],
        Filter: {
          And: [
            { Not: { Tags: { Key: "workflow", MatchOptions: ["ABSENT"] } } },
            { Not: { Tags: { Key: "iamPrincipal/workflow", MatchOptions: ["ABSENT"] } } },
          ],
        },
      },
    ]);
  });
});

describe("pages, faults and answers the plan cannot trust", () => {
  /** A month of several workflows on both routes, with a conflict and an untagged gateway. */
  const organisation = (): DatasetRow[] => [
    ...["support-triage", "invoice-matching", "memo-pilot"].flatMap((id, i) => [
      ...daily(
        { tag: null, principalTag: id, service: BEDROCK, amount: `${i + 1}.5` },
        { lastMonth: true },
      ),
      ...daily(
        { tag: id, principalTag: id, service: HAIKU, amount: `0.${i + 1}` },
        { lastMonth: true },
      ),
      ...daily({ tag: id, service: LAMBDA, amount: "0.05" }, { lastMonth: true }),
    ]),
    ...daily({
      tag: "support-triage",
      principalTag: "invoice-matching",
      service: HAIKU,
      amount: "0.2",
    }),
    ...daily({ tag: null, service: BEDROCK, amount: "0.7" }, { lastMonth: true }),
    ...daily({ tag: null, service: "Amazon Elastic Compute Cloud - Compute", amount: "10" }),
  ];

  it("multi-page: every query is followed to its last page, and the figures do not move", async () => {
    const onePage = await reconcile({ rows: organisation() });
    await aws!.close();
    aws = undefined;
    const paged = await reconcile({ rows: organisation(), handler: { groupsPerPage: 7 } });
    expectContract(paged.report);
    const { generatedAt: _a, ceRequests: one, ...a } = onePage.report;
    const { generatedAt: _b, ceRequests: many, ...b } = paged.report;
    expect(b).toEqual(a);
    expect(one).toBe(3);
    // Requests = pages of Q1 + pages of Q2 + pages of Q3, each counted from the lines.
    const groups = (rows: DatasetRow[], key: (r: DatasetRow) => string | null) =>
      new Set(rows.map(key).filter((k): k is string => k !== null)).size;
    const lines = organisation();
    const q1 = groups(lines, (r) => `${r.date}|${r.tag ?? ""}|${r.service}`);
    const q2 = groups(lines, (r) =>
      r.tag === null ? `${r.date}|${r.principalTag ?? ""}|${r.service}` : null,
    );
    const q3 = groups(lines, (r) =>
      r.tag !== null && r.principalTag && r.date >= "2026-11-01"
        ? `${r.tag}|${r.principalTag}`
        : null,
    );
    const pages = (n: number) => Math.max(1, Math.ceil(n / 7));
    expect(many).toBe(pages(q1) + pages(q2) + pages(q3));
    expect(paged.bodies).toHaveLength(many);
    expect(paged.report.attribution.conflicts).toEqual([
      { resourceTag: "support-triage", principalTag: "invoice-matching", spend: 5.4 },
    ]);
  });

  it("throttling on the principal query: retried, every attempt counted, same figures", async () => {
    const clean = await reconcile({ rows: organisation() });
    await aws!.close();
    aws = undefined;
    const throttled = await reconcile({
      rows: organisation(),
      handler: { faults: { 2: { kind: "limit-exceeded" }, 3: { kind: "throttling" } } },
    });
    expect(throttled.report.ceRequests).toBe(clean.report.ceRequests + 2);
    expect(throttled.report.workflows).toEqual(clean.report.workflows);
    expect(throttled.report.attribution).toEqual(clean.report.attribution);
  });

  it("a principal group key in an unexpected shape is an error naming the key", async () => {
    // Answers the principal query as if AWS dropped the prefix: `workflow$...`.
    const shortened: ServiceHandler = (request) => {
      const body = JSON.parse(request.body.toString() || "{}") as { GroupBy?: { Key: string }[] };
      if (body.GroupBy?.[0]?.Key !== "iamPrincipal/workflow") return undefined;
      return {
        status: 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: JSON.stringify({
          GroupDefinitions: [
            { Type: "TAG", Key: "iamPrincipal/workflow" },
            { Type: "DIMENSION", Key: "SERVICE" },
          ],
          ResultsByTime: [
            {
              TimePeriod: { Start: "2026-11-02", End: "2026-11-03" },
              Groups: [
                {
                  Keys: ["workflow$invoice-matching", BEDROCK],
                  Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } },
                },
              ],
              Estimated: true,
            },
          ],
        }),
      };
    };
    const error = await reconcile({
      rows: daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "1" }),
      before: [shortened],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostExplorerError);
    expect(error).toMatchObject({ failure: "malformed-response", page: 2 });
    expect((error as Error).message).toContain(
      'tag key "workflow$invoice-matching" does not start with "iamPrincipal/workflow$"',
    );
  });

  it("fails, rather than lose spend, when the principal split does not add up to the untagged spend", async () => {
    // Answers the principal query with one day's spend missing.
    const dataset = datasetFromRows({
      name: "short",
      tagKey: "workflow",
      rows: daily({
        tag: null,
        principalTag: "invoice-matching",
        service: BEDROCK,
        amount: "1",
      }).filter((r) => r.date !== "2026-11-10"),
    });
    const inner = costExplorerHandler(dataset);
    const missingDay: ServiceHandler = (request) => {
      const body = JSON.parse(request.body.toString() || "{}") as { GroupBy?: { Key: string }[] };
      return body.GroupBy?.[0]?.Key === "iamPrincipal/workflow" ? inner(request) : undefined;
    };
    const error = await reconcile({
      rows: daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "1" }),
      before: [missingDay],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostExplorerError);
    expect((error as Error).message).toContain(
      'the spend without the tag "workflow" does not add up: grouped by iamPrincipal/workflow',
    );
    expect((error as Error).message).toContain('2026-11-10 "Amazon Bedrock": 1 USD');
  });
});

describe("the rule through Cost Explorer (property)", () => {
  const TAGS = [
    null,
    "support-triage",
    "invoice-matching",
    "memo-pilot",
    "Support-Triage",
    "stray",
  ];
  const SERVICES = [BEDROCK, HAIKU, LAMBDA, "Amazon Simple Storage Service"];
  const AI = new Set([BEDROCK, HAIKU]);
  const line = fc.record({
    day: fc.integer({ min: 1, max: 27 }),
    tag: fc.constantFrom(...TAGS),
    principalTag: fc.constantFrom(...TAGS),
    service: fc.constantFrom(...SERVICES),
    cents: fc.integer({ min: -500, max: 100_000 }),
  });

  it("attributed + unregistered + unowned = AI spend, for any lines and page size, exactly as the rule says", async () => {
    const ids = new Set(testRegistry().workflows.map((w) => w.id));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        async (lines, groupsPerPage) => {
          const rows: DatasetRow[] = lines.map((l) => ({
            date: `2026-11-${String(l.day).padStart(2, "0")}`,
            tag: l.tag,
            principalTag: l.principalTag,
            service: l.service,
            account: "111122223333",
            amount: (l.cents / 100).toFixed(2),
          }));
          try {
            const { report } = await reconcile({ rows, handler: { groupsPerPage } });
            // The oracle: the first route with a value decides.
            const sums = new Map<string, Amount>();
            const plus = (key: string, amount: Amount) =>
              sums.set(key, add(sums.get(key) ?? ZERO, amount));
            const aiValues = new Set<string>();
            for (const r of rows) {
              const value = r.tag ?? r.principalTag ?? null;
              const route = r.tag !== null ? "resourceTag" : "principalTag";
              if (value !== null && AI.has(r.service)) aiValues.add(`${route}:${value}`);
            }
            for (const r of rows) {
              const amount = parseAmount(r.amount);
              const value = r.tag ?? r.principalTag ?? null;
              const route = r.tag !== null ? "resourceTag" : "principalTag";
              if (value === null) {
                if (AI.has(r.service)) plus("none", amount);
              } else if (ids.has(value)) {
                plus(`workflow:${value}`, amount);
                plus(route, amount);
              } else if (aiValues.has(`${route}:${value}`)) {
                plus(`unregistered:${route}:${value}`, amount);
                plus(route, amount);
              }
              if (r.tag !== null && r.principalTag !== null && r.tag !== r.principalTag) {
                plus(`conflict:${r.tag}|${r.principalTag}`, amount);
              }
            }
            const n = (key: string) => toNumber(sums.get(key) ?? ZERO);
            for (const w of report.workflows) expect(w.spend).toBe(n(`workflow:${w.id}`));
            for (const u of report.unregistered) {
              expect(u.spend).toBe(n(`unregistered:${u.route}:${u.value}`));
            }
            expect(report.unowned.spend).toBe(n("none"));
            expect(report.attribution.resourceTag).toBe(n("resourceTag"));
            expect(report.attribution.principalTag).toBe(n("principalTag"));
            for (const c of report.attribution.conflicts) {
              expect(c.spend).toBe(n(`conflict:${c.resourceTag}|${c.principalTag}`));
            }
            expectContract(report);
          } finally {
            await aws?.close();
            aws = undefined;
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("npx ai-spend-guard reconcile --json against a Cost Explorer endpoint", () => {
  it("reports the contract: source, attribution by route, conflicts, routes of unregistered values", async () => {
    const dataset = datasetFromRows({
      name: "cli",
      tagKey: "workflow",
      estimatedFrom: "2026-11-01",
      rows: [
        ...daily({ tag: null, principalTag: "invoice-matching", service: BEDROCK, amount: "2" }),
        ...daily({
          tag: "support-triage",
          principalTag: "invoice-matching",
          service: HAIKU,
          amount: "1",
        }),
        ...daily({ tag: null, principalTag: "invoce-matching", service: BEDROCK, amount: "0.1" }),
        ...daily({ tag: null, service: BEDROCK, amount: "0.5" }),
      ],
    });
    aws = await startLocalAws([costExplorerHandler(dataset)]);
    const dir = mkdtempSync(join(tmpdir(), "attribution-cli-"));
    try {
      writeFileSync(join(dir, "workflows.yaml"), REGISTRY_TEXT);
      const bin = join(__dirname, "..", "..", "bin", "ai-spend-guard.js");
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, "reconcile", "--json", "--registry", join(dir, "workflows.yaml")],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? "",
            AI_SPEND_GUARD_TODAY: RUN,
            AWS_ENDPOINT_URL: aws.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
          },
        },
      );
      const report = JSON.parse(stdout) as Report;
      expectContract(report);
      expect(report.ceRequests).toBe(3);
      expect(workflow(report, "invoice-matching").attribution).toEqual({
        resourceTag: 0,
        principalTag: 54,
      });
      expect(workflow(report, "support-triage").attribution).toEqual({
        resourceTag: 27,
        principalTag: 0,
      });
      expect(report.unregistered).toEqual([
        {
          value: "invoce-matching",
          spend: 2.7,
          suggestion: "invoice-matching",
          caseOnly: false,
          route: "principalTag",
        },
      ]);
      expect(report.attribution).toEqual({
        resourceTag: 27,
        principalTag: 56.7,
        none: 13.5,
        conflicts: [{ resourceTag: "support-triage", principalTag: "invoice-matching", spend: 27 }],
      });
      expect(report.flags.map((f) => f.kind)).toContain("attribution-conflict");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
