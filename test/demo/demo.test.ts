/**
 * `ai-spend-guard demo` run in-process, as `npm start` runs it, into a temporary directory. The
 * expected figures are computed here from the committed bill's rows, independently of the
 * reconciler (its own CSV split, exact decimal sums), never copied from the demo's output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckReport } from "../../src/check";
import { run } from "../../src/cli/main";
import { exampleFiles } from "../../src/demo/examples";
import { scenarioCurLines, UNTAGGED_GATEWAY_CALLER } from "../../src/demo/cur-lines";
import {
  AS_OF,
  DEMO_GROUPS_PER_PAGE,
  DRAFT_OUTCOMES,
  REVIEW_QUEUE,
  scenarioOutcomes,
  scenarioReviewQueue,
  scenarioVolume,
} from "../../src/demo/scenario";
import { KENDRA_PRICE } from "../../src/demo/usage-lines";
import type { StackListing } from "../../src/demo/stack-listing";
import { isAiService } from "../../src/reconciler";
import type { Report } from "../../src/reconciler";
import { loadRegistry } from "../../src/registry";
import { chartModel } from "../../src/report/charts";
import { REPORT_CSV_COLUMNS } from "../../src/report/csv";
import { add, parseAmount, toNumber, ZERO } from "../../src/util/decimal";
import type { Amount } from "../../src/util/decimal";
import { formatMoney } from "../../src/util/money";
import { memoryIo } from "../helpers/io";
import { parseCsv } from "../report/csv-parse";

const EXAMPLES = exampleFiles();
const REGISTRY = loadRegistry(EXAMPLES.registry);
const IDS = REGISTRY.workflows.map((w) => w.id);
const MONTH_START = "2026-11-01";
const LAST_MONTH_START = "2026-10-01";

interface DemoDocument {
  readonly asOf: string;
  readonly registry: { readonly source: string; readonly workflows: { id: string }[] };
  readonly policy: CheckReport;
  readonly stack: StackListing;
  readonly reconciliation: Report;
  readonly curReconciliation: Extract<Report, { source: "cur" }>;
  readonly disagreements: readonly string[];
  readonly doctor: {
    readonly items: readonly { readonly check: string; readonly message: string }[];
  };
  readonly files: ReportFiles & { readonly cur: ReportFiles };
}

interface ReportFiles {
  readonly json: string;
  readonly csv: string;
  readonly html: string;
}

interface BillLine {
  readonly date: string;
  /** The resource tag ("" for none). */
  readonly tag: string;
  /** The caller's principal tag ("" for none). */
  readonly principal: string;
  readonly service: string;
  readonly usageType: string;
  /** UsageQuantity, in the usage type's unit. */
  readonly quantity: string;
  readonly amount: string;
  /** The value that decides (resource tag first, then the caller's), "" for none. */
  readonly owner: string;
  readonly route: "resourceTag" | "principalTag" | "none";
}

/** The bill's rows, split here without the demo's reader. */
function billRows(): BillLine[] {
  const [header, ...lines] = readFileSync(EXAMPLES.bill, "utf8").trimEnd().split("\n");
  expect(header).toBe("date,workflow,iamPrincipal/workflow,service,usageType,usageQuantity,amount");
  return lines.map((line) => {
    const [date, tag, principal, service, usageType, quantity, amount] = line.split(",") as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const route = tag !== "" ? "resourceTag" : principal !== "" ? "principalTag" : "none";
    return {
      date,
      tag,
      principal,
      service,
      usageType,
      quantity,
      amount,
      owner: tag || principal,
      route,
    };
  });
}

/** What the report must say, summed exactly from the rows. */
function expectedFigures() {
  const sums = new Map<string, Amount>();
  const plus = (key: string, amount: string) =>
    sums.set(key, add(sums.get(key) ?? ZERO, parseAmount(amount)));
  const total = (key: string) => toNumber(sums.get(key) ?? ZERO);
  for (const row of billRows()) {
    const thisMonth = row.date >= MONTH_START && row.date < AS_OF;
    const lastMonth = row.date >= LAST_MONTH_START && row.date < MONTH_START;
    if (lastMonth && IDS.includes(row.owner)) plus(`last:${row.owner}`, row.amount);
    if (!thisMonth) continue;
    plus("spend", row.amount);
    if (row.tag !== "" && row.principal !== "" && row.tag !== row.principal) {
      plus(`conflict:${row.tag}|${row.principal}`, row.amount);
    }
    if (IDS.includes(row.owner)) {
      plus(`workflow:${row.owner}`, row.amount);
      plus(`workflow:${row.owner}:${row.route}`, row.amount);
      plus(`route:${row.route}`, row.amount);
      plus("ai", row.amount);
      plus("attributed", row.amount);
    } else if (isAiService(row.service)) {
      plus("ai", row.amount);
      plus(`route:${row.route}`, row.amount);
      plus(row.owner === "" ? "unowned" : `unregistered:${row.owner}`, row.amount);
    }
  }
  return { total, keys: [...sums.keys()] };
}

let dir: string;
let out: string;
let code: number;
let stdout: string;
let stderr: string;
let doc: DemoDocument;
let jsonCode: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "asg-demo-"));
  out = join(dir, "out");
  const io = memoryIo({ cwd: dir });
  code = await run(["demo", "--out", out], io);
  stdout = io.stdout();
  stderr = io.stderr();
  const jsonIo = memoryIo({ cwd: dir });
  jsonCode = await run(["demo", "--out", join(dir, "json-out"), "--json"], jsonIo);
  doc = JSON.parse(jsonIo.stdout()) as DemoDocument;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ai-spend-guard demo", () => {
  it("exits 0 although it shows violations: it is a demonstration", () => {
    expect(code).toBe(0);
    expect(jsonCode).toBe(0);
    // Not a terminal: no progress lines, no colour.
    expect(stderr).toBe("");
    expect(stdout).not.toContain("\u001b[");
  });

  it("prints the four stages in order", () => {
    const at = (text: string) => stdout.indexOf(text);
    const stages = [
      "1. The workflow registry: 6 workflows in ",
      "2. The policy gate: ai-spend-guard check ",
      "3. What the stack would create",
      "4. The bill reconciled by workflow and owner",
      "5. The same month from the CUR 2.0 export",
    ].map(at);
    expect(stages.every((i) => i >= 0)).toBe(true);
    expect([...stages].sort((a, b) => a - b)).toEqual(stages);
    expect(stdout).toContain(`as of ${AS_OF}`);
  });

  it("1. shows the workflow map of the example registry, with its upcoming review date", () => {
    for (const w of REGISTRY.workflows)
      expect(stdout).toMatch(new RegExp(`^${w.id} +${w.owner}`, "m"));
    expect(stdout).toContain(
      "warning workflows.board-memo-pilot.reviewBy: review date 2026-12-08 is in 10 day(s)",
    );
  });
});

describe("2. the policy gate on examples/preview.json", () => {
  it("finds what check finds: five mandatory violations, six advisories", () => {
    const policy = doc.policy;
    expect(policy.source).toBe(EXAMPLES.preview);
    expect(policy.passed).toBe(false);
    expect(policy.today).toBe(AS_OF);
    expect(
      policy.findings
        .filter((f) => f.enforcement === "mandatory")
        .map((f) => `${f.policy} ${f.name}`),
    ).toEqual([
      "ai-resource-tags wiki-embeddings",
      "ai-model-allowed memo-drafts",
      "ai-resource-tags wiki-index",
      "ai-invoker-attributable triage-invoker",
      "ai-workflow-registered wiki-vectors",
    ]);
    // The deletion (legacy-summarizer) is not checked, so not counted.
    expect(policy.summary).toEqual({
      resources: 14,
      aiResources: 11,
      mandatory: 5,
      advisory: 6,
      deleted: 1,
      readOnly: 0,
    });
  });

  it("prints each finding on one line, with the verdict and where to read the full messages", () => {
    expect(stdout).toMatch(
      /^mandatory +ai-resource-tags +wiki-embeddings +is missing the "workflow" and "owner" tags$/m,
    );
    expect(stdout).toMatch(
      /^mandatory +ai-workflow-registered +wiki-vectors +.*\(did you mean "knowledge-search"\?\)$/m,
    );
    expect(stdout).toContain("FAILED: 5 mandatory, 6 advisory");
    expect(stdout).toMatch(/every message in full: npx ai-spend-guard check .*preview\.json/);
  });
});

describe("3. the stack under Pulumi's mocks", () => {
  it("lists one budget per workflow with its limit, thresholds and subscribers", () => {
    const budgets = doc.stack.budgets;
    expect(budgets).toHaveLength(REGISTRY.workflows.length);
    for (const w of REGISTRY.workflows) {
      const budget = budgets.find((b) => b.workflow === w.id);
      expect(budget, w.id).toBeDefined();
      expect(Number(budget!.limit)).toBe(w.budget!.monthly);
      expect(budget!.subscribers).toContain(w.owner);
    }
    expect(budgets.find((b) => b.workflow === "support-triage")).toMatchObject({
      name: "ai-spend-guard-support-triage",
      currency: "USD",
      thresholds: ["50% actual", "80% actual", "100% actual", "100% forecast"],
      subscribers: ["dana@example.com", "lee@example.com", "reconciler-alerts"],
    });
    expect(stdout).toMatch(/^ai-spend-guard-support-triage +1200 USD +50% actual, 80% actual/m);
  });

  it("lists the anomaly monitors, their subscriptions, the alarms and the email subscriptions", () => {
    const { stack } = doc;
    expect(stack.anomalyMonitors.map((m) => m.watches).sort()).toEqual(
      IDS.map((id) => `workflow=${id}`).sort(),
    );
    expect(stack.anomalySubscriptions).toHaveLength(2 * IDS.length);
    expect(stack.alarms.map((a) => a.name)).toEqual([
      "reconciler-dlq-depth",
      "reconciler-errors",
      "reconciler-missed-runs",
    ]);
    expect(stack.alarms.find((a) => a.name === "reconciler-missed-runs")?.condition).toBe(
      "AWS/Lambda Invocations Sum < 1 over 26 x 3600 s",
    );
    const digests = stack.subscriptions.filter((s) => s.topic === "reconciler-owner-digests");
    const owners = [
      ...new Set([
        ...REGISTRY.workflows.map((w) => w.owner),
        REGISTRY.settings.unownedSpendContact,
      ]),
    ];
    expect(digests.map((s) => s.endpoint).sort()).toEqual(owners.sort());
    for (const s of digests) expect(JSON.parse(s.filter!)).toEqual({ owner: [s.endpoint] });
  });
});

describe("4. the recorded bill, reconciled through the local Cost Explorer", () => {
  const expected = expectedFigures();
  const report = () => doc.reconciliation;

  it("reports November to the day before the run, with the same report as report.json", () => {
    expect(report().period).toEqual({ start: MONTH_START, end: AS_OF });
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toEqual(report());
  });

  it("gets every workflow's spend, by route, and last month's spend exactly from the rows", () => {
    for (const id of IDS) {
      const w = report().workflows.find((x) => x.id === id)!;
      expect(w.spend, id).toBe(expected.total(`workflow:${id}`));
      expect(w.attribution, id).toEqual({
        resourceTag: expected.total(`workflow:${id}:resourceTag`),
        principalTag: expected.total(`workflow:${id}:principalTag`),
      });
      expect(w.lastMonthSpend, id).toBe(expected.total(`last:${id}`));
    }
  });

  it("tells the real story: model calls by the caller's tag, profiles by resource tag, one conflict", () => {
    const r = report();
    const w = (id: string) => r.workflows.find((x) => x.id === id)!;
    // On-demand calls carry only the caller's tag: contract-drafting's budget sees none of it.
    expect(w("contract-drafting").attribution.resourceTag).toBe(0);
    expect(w("contract-drafting").attribution.principalTag).toBeGreaterThan(600);
    expect(w("invoice-matching").attribution.principalTag).toBeGreaterThan(0);
    expect(w("support-triage").attribution.principalTag).toBe(0);
    expect(r.source).toBe("cost-explorer");
    expect(r.attribution).toEqual({
      resourceTag: expected.total("route:resourceTag"),
      principalTag: expected.total("route:principalTag"),
      none: expected.total("route:none"),
      conflicts: [
        {
          resourceTag: "support-triage",
          principalTag: "invoice-matching",
          spend: expected.total("conflict:support-triage|invoice-matching"),
        },
      ],
    });
    expect(expected.keys.filter((k) => k.startsWith("conflict:"))).toHaveLength(1);
    expect(r.attribution.none).toBe(r.unowned.spend);
    expect(stdout).toContain(
      `conflict: resource tag "support-triage", caller's role tag "invoice-matching"`,
    );
    expect(stdout).toMatch(/AI spend by route: resource tag [\d,.]+ USD; caller's role tag/);
  });

  it("gets the totals, the unowned and the unregistered spend exactly from the rows", () => {
    const r = report();
    expect(r.totals.spend).toBe(expected.total("spend"));
    expect(r.totals.aiSpend).toBe(expected.total("ai"));
    expect(r.unowned.spend).toBe(expected.total("unowned"));
    expect(r.totals.attributedShare).toBeCloseTo(
      expected.total("attributed") / expected.total("ai"),
      6,
    );
    const unregistered = expected.keys.filter((k) => k.startsWith("unregistered:")).sort();
    expect(r.unregistered.map((u) => `unregistered:${u.value}`).sort()).toEqual(unregistered);
    for (const u of r.unregistered)
      expect(u.spend, u.value).toBe(expected.total(`unregistered:${u.value}`));
    // The non-AI services are in all spend but in no AI figure.
    expect(r.totals.spend).toBeGreaterThan(r.totals.aiSpend);
  });

  it("raises the flags the scenario was built for, and no others", () => {
    const flags = (id: string) =>
      report()
        .workflows.find((w) => w.id === id)!
        .flags.map((f) => `${f.kind} ${f.severity}`);
    expect(flags("contract-drafting")).toEqual([
      "over-budget critical",
      "cheap-model-dearer warning",
      "review-queue warning",
    ]);
    expect(flags("support-triage")).toEqual(["growth warning", "attribution-conflict warning"]);
    expect(flags("invoice-matching")).toEqual(["attribution-conflict warning"]);
    // The pilot's review date is a week away: its owner is asked for the renewal.
    expect(flags("board-memo-pilot")).toEqual(["renewal-due warning"]);
    expect(flags("knowledge-search")).toEqual(["unit-price-change warning"]);
    expect(flags("ai-spend-guard")).toEqual([]);
    expect(
      report()
        .flags.map((f) => f.kind)
        .sort(),
    ).toEqual([
      "attribution-conflict",
      "estimated-data",
      "unowned-share",
      "unregistered-tag",
      "unregistered-tag",
      "unregistered-tag",
    ]);
  });

  it("explains the unregistered tag values: a typo, a case variant, and a stranger", () => {
    const byValue = Object.fromEntries(report().unregistered.map((u) => [u.value, u]));
    expect(byValue["knowledge-serch"]).toMatchObject({
      suggestion: "knowledge-search",
      caseOnly: false,
    });
    expect(byValue["Support-Triage"]).toMatchObject({
      suggestion: "support-triage",
      caseOnly: true,
      route: "principalTag",
    });
    expect(byValue["shadow-experiment"]).toMatchObject({ suggestion: null });
    expect(stdout).toContain('unregistered "knowledge-serch"');
    expect(stdout).toContain('(did you mean "knowledge-search"?)');
    expect(stdout).toContain('(letter case of "support-triage")');
  });

  it("computes growth from the last two weeks of rows", () => {
    const week = (from: string, to: string) =>
      billRows()
        .filter((r) => r.owner === "support-triage" && r.date >= from && r.date < to)
        .reduce((s, r) => add(s, parseAmount(r.amount)), ZERO);
    const growth = toNumber(week("2026-11-21", AS_OF)) / toNumber(week("2026-11-14", "2026-11-21"));
    const triage = report().workflows.find((w) => w.id === "support-triage")!;
    expect(growth).toBeGreaterThanOrEqual(2);
    expect(triage.growth).toBeCloseTo(growth, 6);
  });

  it("keeps the credit: a negative day for invoice-matching", () => {
    const invoice = report().workflows.find((w) => w.id === "invoice-matching")!;
    expect(invoice.daily.find((d) => d.date === MONTH_START)!.amount).toBeLessThan(0);
  });

  it("measures support-triage's volume from CloudWatch and estimates the others'", () => {
    const items = scenarioVolume()
      .filter((p) => p.at >= MONTH_START && p.at < AS_OF)
      .reduce((s, p) => s + p.value, 0);
    const triage = report().workflows.find((w) => w.id === "support-triage")!;
    expect(triage).toMatchObject({ reviewCostBasis: "measured", items });
    const review = REGISTRY.workflows.find((w) => w.id === "support-triage")!.review!;
    expect(triage.reviewCost).toBeCloseTo(
      ((items * review.share * review.minutesPerItem) / 60) * review.hourlyRate,
      2,
    );
    expect(report().workflows.find((w) => w.id === "contract-drafting")!.reviewCostBasis).toBe(
      "estimated",
    );
  });

  it("marks estimated review cost with * and shows - for a workflow nobody reviews", () => {
    // The last row of each workflow is the spend summary (the first is the workflow map).
    // The spend table's row (it names the owner), not the model table's.
    const row = (id: string) =>
      stdout.split("\n").findLast((line) => line.startsWith(`${id} `) && line.includes("@"))!;
    expect(row("contract-drafting")).toMatch(/\d\*\s/);
    expect(row("support-triage")).not.toMatch(/\d\*\s/);
    // knowledge-search has no review section: no "0.00*" that reads like an estimate.
    expect(REGISTRY.workflows.find((w) => w.id === "knowledge-search")!.review).toBeUndefined();
    expect(row("knowledge-search")).not.toContain("0.00*");
    expect(row("knowledge-search")).toMatch(/\s-\s/);
  });

  it("pages through Cost Explorer and counts the billable requests: the plan's four queries", () => {
    const rows = billRows().filter((r) => r.date >= LAST_MONTH_START && r.date < AS_OF);
    const groups = (key: (r: BillLine) => string | null) =>
      new Set(rows.map(key).filter((k) => k !== null)).size;
    const pages = (n: number) => Math.max(1, Math.ceil(n / DEMO_GROUPS_PER_PAGE));
    // Q1 [workflow, SERVICE]; Q2 [iamPrincipal/workflow, SERVICE] without a resource tag;
    // Q3 the pairs of both tags in the reported month.
    const q1 = groups((r) => `${r.date}|${r.tag}|${r.service}`);
    const q2 = groups((r) => (r.tag === "" ? `${r.date}|${r.principal}|${r.service}` : null));
    const q3 = groups((r) =>
      r.tag !== "" && r.principal !== "" && r.date >= MONTH_START
        ? `${r.tag}|${r.principal}`
        : null,
    );
    // Q4 [workflow, USAGE_TYPE] monthly, resource-tagged spend: asked because a workflow sets
    // triggers.unitPrice.
    const q4 = groups((r) =>
      r.tag !== "" ? `${r.date.slice(0, 7)}|${r.tag}|${r.usageType}` : null,
    );
    expect(REGISTRY.workflows.some((w) => w.triggers.unitPrice !== undefined)).toBe(true);
    expect(report().ceRequests).toBe(pages(q1) + pages(q2) + pages(q3) + pages(q4));
    expect(pages(q1)).toBeGreaterThan(1);
    expect(stdout).toContain(`Cost Explorer requests: ${report().ceRequests}`);
  });
});

describe("the report files", () => {
  it("writes CSV with the contract's header and one record per workflow, unowned and unregistered value", () => {
    const records = parseCsv(readFileSync(join(out, "report.csv"), "utf8"));
    expect(records[0]).toEqual([...REPORT_CSV_COLUMNS]);
    const r = doc.reconciliation;
    expect(records).toHaveLength(
      1 + r.workflows.length + 1 + r.unregistered.length + r.attribution.conflicts.length,
    );
    expect(records.filter((x) => x[0] === "workflow").map((x) => x[5])).toEqual(IDS);
  });

  it("writes HTML that carries the charts' data", () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    const match = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(
      html,
    );
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1]!)).toEqual(
      JSON.parse(JSON.stringify(chartModel(doc.reconciliation))),
    );
    expect(html).toContain("knowledge-serch");
  });

  it("names the files it wrote", () => {
    expect(stdout).toContain(`wrote ${join("out", "report.json")}, ${join("out", "report.csv")}`);
    expect(doc.files.html).toBe(join("json-out", "report.html"));
    expect(stdout).toContain(
      `wrote ${join("out", "cur", "report.json")}, ${join("out", "cur", "report.csv")}, ${join("out", "cur", "report.html")}`,
    );
  });

  it("writes stage 5's report, from the CUR export, into the cur folder", () => {
    expect(doc.files.cur).toEqual({
      json: join("json-out", "cur", "report.json"),
      csv: join("json-out", "cur", "report.csv"),
      html: join("json-out", "cur", "report.html"),
    });
    expect(JSON.parse(readFileSync(join(out, "cur", "report.json"), "utf8"))).toEqual(
      doc.curReconciliation,
    );
    const records = parseCsv(readFileSync(join(out, "cur", "report.csv"), "utf8"));
    expect(records[0]).toEqual([...REPORT_CSV_COLUMNS]);
    expect(readFileSync(join(out, "cur", "report.html"), "utf8")).toContain("Claude Haiku 4.5");
  });
});

describe("--json", () => {
  it("is one document with all five stages", () => {
    expect(Object.keys(doc)).toEqual([
      "asOf",
      "registry",
      "policy",
      "stack",
      "reconciliation",
      "curReconciliation",
      "disagreements",
      "audit",
      "doctor",
      "files",
    ]);
    expect(doc.asOf).toBe(AS_OF);
    expect(doc.registry.workflows.map((w) => w.id)).toEqual(IDS);
    expect(doc.reconciliation).toEqual(
      JSON.parse(readFileSync(join(dir, "json-out", "report.json"), "utf8")),
    );
  });
});

describe("6. the account audit and the doctor", () => {
  it("ranks the unowned Bedrock spend by its caller: the untagged gateway role, from the CUR lines", () => {
    const { start, end } = doc.curReconciliation.period;
    const expected = scenarioCurLines()
      .filter((l) => l.iamPrincipal === UNTAGGED_GATEWAY_CALLER)
      .filter((l) => l.usageStart >= start && l.usageStart < end)
      .reduce((sum, l) => sum + Number(l.unblendedCost), 0);
    expect(expected).toBeGreaterThan(0);
    const ranked = doc.curReconciliation.unownedBy.principals;
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.principal).toBe(UNTAGGED_GATEWAY_CALLER);
    expect(ranked[0]!.spend).toBeCloseTo(expected, 6);
    const routes = doc.doctor.items.find((i) => i.check === "spend-routes")!;
    expect(routes.message).toContain(`Unowned by caller: ${UNTAGGED_GATEWAY_CALLER}`);
    expect(routes.message).toContain(formatMoney(ranked[0]!.spend, "USD"));
  });
});

describe("progress, help and failures", () => {
  it("shows progress on stderr when stderr is a terminal, page by page", async () => {
    const io = memoryIo({ cwd: dir, errIsTTY: true, env: { NO_COLOR: "1" } });
    expect(await run(["demo", "--out", join(dir, "tty"), "--json"], io)).toBe(0);
    const pages = io
      .stderr()
      .split("\n")
      .filter((l) => /^\.\.\. cost data: page \d+, \d+ rows$/.test(l));
    // Every request is a page of cost data, but the unit-price query's one (its own query).
    expect(pages).toHaveLength(doc.reconciliation.ceRequests - 1);
    expect(() => JSON.parse(io.stdout()) as unknown).not.toThrow();
  });

  it("documents its exit codes in --help", async () => {
    const io = memoryIo();
    expect(await run(["demo", "--help"], io)).toBe(0);
    expect(io.stdout()).toContain("Exit codes: 0 the demo ran");
    expect(io.stdout()).toContain("2 usage error, or a file that cannot be read or written");
  });

  it.each([
    ["a path through a file", (file: string) => join(file, "out")],
    ["an existing file", (file: string) => file],
  ])("exits 2 with one clear line when --out is %s", async (_, outPath) => {
    const file = join(dir, "not-a-dir");
    writeFileSync(file, "");
    const io = memoryIo({ cwd: dir });
    expect(await run(["demo", "--out", outPath(file)], io)).toBe(2);
    expect(io.stderr()).toMatch(
      new RegExp(
        `^error: cannot write the report to ${outPath(file).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `,
      ),
    );
    expect(io.stderr().split("\n")).toHaveLength(1);
    expect(io.stdout()).toBe("");
  });

  it("exits 1 on an invalid registry, naming the problem", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      readFileSync(EXAMPLES.registry, "utf8").replace("owner: dana@example.com", "owners: x"),
    );
    const io = memoryIo({ cwd: dir });
    expect(await run(["demo", "--registry", bad, "--out", join(dir, "bad-out")], io)).toBe(1);
    expect(io.stderr()).toMatch(/workflows.support-triage.owners/);
  });
});

describe("ai-spend-guard demo, stage 5: the CUR 2.0 export", () => {
  it("reconciles examples/cur with DuckDB, and the two sources agree", () => {
    const cur = doc.curReconciliation;
    expect(cur).toMatchObject({ source: "cur", engine: "duckdb", ceRequests: 0 });
    expect(doc.disagreements).toEqual([]);
    expect(cur.workflows.map((w) => [w.id, w.spend])).toEqual(
      doc.reconciliation.workflows.map((w) => [w.id, w.spend]),
    );
    expect(cur.unowned).toEqual(doc.reconciliation.unowned);
    expect(cur.unregistered).toEqual(doc.reconciliation.unregistered);
    expect(stdout).toContain(
      "agree: Cost Explorer and CUR give the same spend, attribution, unowned and unregistered spend and review cost for every workflow",
    );
  });

  it("prints each workflow's models: Marketplace names without the edition, tokens, cost per million", () => {
    const cur = doc.curReconciliation;
    const drafting = cur.workflows.find((w) => w.id === "contract-drafting")!;
    // contract-drafting's spend is all Marketplace Claude: its two models have all of it.
    expect(drafting.models!.map((m) => m.model)).toEqual(["Claude Sonnet 4.5", "Claude Haiku 4.5"]);
    expect(drafting.models!.reduce((s, m) => s + m.spend, 0)).toBeCloseTo(drafting.spend, 6);
    expect(drafting.models![0]!.cacheReadTokens).toBeGreaterThan(0);
    expect(stdout).toMatch(
      /^contract-drafting +Claude Sonnet 4\.5 +[\d,.]+ +[\d,]+ +[\d,]+ +[\d,]+ +- +3\.09 +[\d,.]+$/m,
    );
    expect(stdout).toMatch(
      /^support-triage +Nova2\.0Lite +[\d,.]+ +[\d,]+ +[\d,]+ +- +- +0\.\d+ +-$/m,
    );
    expect(stdout).toMatch(/CUR query on duckdb: [\d.]+ KiB scanned; Cost Explorer requests: 0/);
  });
});

describe("the demo exercises every outcome-economics flag once", () => {
  const drafting = () => REGISTRY.workflows.find((w) => w.id === "contract-drafting")!;
  const flagsOf = (r: Report, kind: string) =>
    r.workflows.flatMap((w) => w.flags.filter((f) => f.kind === kind).map((f) => ({ w, f })));
  const oneFlag = (r: Report, kind: string) => {
    const found = flagsOf(r, kind);
    expect(found, kind).toHaveLength(1);
    return found[0]!.f;
  };

  it.each([
    ["cheap-model-dearer", "contract-drafting"],
    ["review-queue", "contract-drafting"],
    ["unit-price-change", "knowledge-search"],
    ["renewal-due", "board-memo-pilot"],
  ])("%s: once, on %s, to its owner", (kind, id) => {
    const found = flagsOf(doc.reconciliation, kind);
    expect(found).toHaveLength(1);
    expect(found[0]!.w.id).toBe(id);
    expect(found[0]!.w.owner).toBe(REGISTRY.workflows.find((w) => w.id === id)!.owner);
    expect(stdout).toContain(`: ${id}: ${found[0]!.f.message}`);
  });

  it("a team absorbing another owner's review: legal carries contract-drafting's human cost", () => {
    const legal = doc.reconciliation.teams.find((t) => t.team === "legal")!;
    expect(legal.workflows).toMatchObject([{ id: "contract-drafting", owner: drafting().owner }]);
    expect(drafting().team).not.toBe("legal");
    const o = doc.reconciliation.workflows.find((w) => w.id === "contract-drafting")!.outcomes!;
    expect(legal.absorbs).toBeCloseTo(o.reviewCost + o.reworkCost + o.exceptionCost, 6);
  });

  it("review-queue: the lawyer's queue at its last day, above the registry's max, also to the reviewer", () => {
    const queue = drafting().triggers.reviewQueue!;
    const last = scenarioReviewQueue().points.at(-1)!;
    expect(last.value).toBeGreaterThan(queue.max!);
    const f = oneFlag(doc.reconciliation, "review-queue");
    expect(f.message).toContain(
      `${REVIEW_QUEUE.namespace}/${REVIEW_QUEUE.name} reached ${last.value} on ${last.at}`,
    );
    expect(f.alsoTo).toEqual([drafting().review!.reviewer]);
  });

  it("unit-price-change: Kendra's hourly price, before and after, from the bill's usage types", () => {
    const f = oneFlag(doc.reconciliation, "unit-price-change");
    const change = KENDRA_PRICE.after / KENDRA_PRICE.before - 1;
    expect(change).toBeGreaterThanOrEqual(
      REGISTRY.workflows.find((w) => w.id === "knowledge-search")!.triggers.unitPrice!,
    );
    expect(f.message).toContain(
      `"USE1-Kendra-Enterprise-Hours" went up ${Math.round(change * 100)}% since last month (${KENDRA_PRICE.before} USD to ${KENDRA_PRICE.after} USD per unit)`,
    );
  });

  /** The cheap-model case from the scenario's inputs: bill rows, outcome series, registry. */
  function cheapModelCase() {
    const w = drafting();
    const review = w.review!;
    const thisMonth = (date: string) => date >= MONTH_START && date < AS_OF;
    const counts = new Map<string, { accepted: number; reworked: number; escalated: number }>();
    for (const series of scenarioOutcomes()) {
      const model = series.dimensions![DRAFT_OUTCOMES.dimension]!;
      const kind = (
        Object.keys(DRAFT_OUTCOMES.metrics) as (keyof typeof DRAFT_OUTCOMES.metrics)[]
      ).find((k) => DRAFT_OUTCOMES.metrics[k] === series.name)!;
      const c = counts.get(model) ?? { accepted: 0, reworked: 0, escalated: 0 };
      c[kind] += series.points.filter((p) => thisMonth(p.at)).reduce((s, p) => s + p.value, 0);
      counts.set(model, c);
    }
    // The review cost is estimated from the registry's volume, pro rata for the days reported.
    const days = 27;
    const items = (w.volume!.itemsPerMonth * days) / 30;
    const reviewCost = ((items * review.share * review.minutesPerItem) / 60) * review.hourlyRate;
    let handled = 0;
    for (const c of counts.values()) handled += c.accepted + c.reworked + c.escalated;
    const models = DRAFT_OUTCOMES.models.map(({ model }) => {
      const c = counts.get(model)!;
      const spend = billRows()
        .filter((r) => r.owner === w.id && thisMonth(r.date) && r.service.startsWith(`${model} (`))
        .reduce((s, r) => s + Number(r.amount), 0);
      const tokens = scenarioCurLines()
        .filter(
          (l) =>
            l.tags?.["iamPrincipal/workflow"] === w.id &&
            thisMonth(l.usageStart) &&
            l.productName!.startsWith(`${model} (`),
        )
        .reduce((s, l) => s + Number(l.usageAmount) * 1000, 0);
      const human =
        (reviewCost * (c.accepted + c.reworked + c.escalated)) / handled +
        ((c.reworked * review.reworkMinutes!) / 60) * review.hourlyRate +
        ((c.escalated * w.exceptions!.minutesPerItem) / 60) * w.exceptions!.hourlyRate;
      return {
        model,
        ...c,
        spend,
        perMillion: (spend / tokens) * 1e6,
        perAccepted: (spend + human) / c.accepted,
      };
    });
    return models;
  }

  it("cheap-model-dearer: Haiku costs less per token and per output, more per accepted draft, in both sources", () => {
    const [sonnet, haiku] = cheapModelCase() as [
      ReturnType<typeof cheapModelCase>[number],
      ReturnType<typeof cheapModelCase>[number],
    ];
    expect(haiku.perMillion).toBeLessThan(sonnet.perMillion);
    expect(haiku.perAccepted).toBeGreaterThan(sonnet.perAccepted);
    for (const r of [doc.reconciliation, doc.curReconciliation]) {
      const models = r.workflows.find((x) => x.id === "contract-drafting")!.models!;
      for (const expected of [sonnet, haiku]) {
        const m = models.find((x) => x.model === expected.model)!;
        expect(m, `${r.source} ${expected.model}`).toMatchObject({
          accepted: expected.accepted,
          reworked: expected.reworked,
          escalated: expected.escalated,
        });
        expect(m.spend).toBeCloseTo(expected.spend, 6);
        expect("costPerAccepted" in m && m.costPerAccepted).toBeCloseTo(expected.perAccepted, 4);
        if (r.source === "cur") expect(m.costPerMillionTokens).toBeCloseTo(expected.perMillion, 4);
      }
      const f = oneFlag(r, "cheap-model-dearer");
      const perThousand = (x: number) =>
        new Intl.NumberFormat("en-US", {
          minimumFractionDigits: 2,
          maximumFractionDigits: 2,
        }).format(Math.round(x * 1000 * 100) / 100);
      expect(f.message).toContain(
        `1,000 accepted outcomes cost ${perThousand(haiku.perAccepted)} USD with Claude Haiku 4.5 and ${perThousand(sonnet.perAccepted)} USD with Claude Sonnet 4.5`,
      );
      expect(f.message).toContain(
        r.source === "cur"
          ? "has the lowest cost per million tokens"
          : "has the lowest model cost per output",
      );
    }
    // Stage 5 prints the per-model outcomes and cost per accepted outcome.
    expect(stdout).toMatch(
      new RegExp(
        `^contract-drafting +Claude Haiku 4\\.5 +${haiku.accepted} +${haiku.reworked} +${haiku.escalated} +`,
        "m",
      ),
    );
    expect(stdout).toContain("PER ACCEPTED");
  });
});
