/**
 * Registry messages a newcomer met, and hostile inputs an adversarial run tried: each reads as
 * what is wrong and how to fix it, at the line to fix, and nothing unbounded gets through.
 */
import { describe, expect, it } from "vitest";
import {
  checkRegistry,
  formatProblem,
  MAX_AMOUNT,
  parseRegistry,
  registryWarnings,
} from "../../src/registry";
import { problemsOf, replaceLine } from "./registry-text";

const VALID = `version: 1
settings:
  currency: USD
  allowedEmailDomains: [example.com]
  unownedSpendContact: finops@example.com
workflows:
  support-triage:
    description: Classify tickets
    owner: dana@example.com
    stage: run-rate
    risk: medium
    models: ["anthropic.claude-haiku-*"]
    budget:
      monthly: 1200
    review:
      share: 0.2
      minutesPerItem: 2
      hourlyRate: 65
    volume:
      itemsPerMonth: 30000
    triggers:
      growth: 2.0
  memo-pilot:
    description: Board memo experiment
    owner: sam@example.com
    stage: learning
    reviewBy: 2027-01-15
    risk: low
exemptions:
  - resource: "urn:pulumi:*::*::aws:sagemaker/notebookInstance:NotebookInstance::scratch-*"
    policy: ai-resource-tags
    reason: Shared scratch notebook
    approvedBy: cto@example.com
    expires: 2027-01-31
`;

/** VALID (or `source`) with line `n` (1-based) replaced by `text`. */
const withLine = (n: number, text: string, source = VALID): string => replaceLine(source, n, text);

describe("YAML mistakes: the first cause, at its line", () => {
  it("accepts the base registry", () => {
    expect(checkRegistry(VALID, "workflows.yaml").ok).toBe(true);
  });

  it("one line indented a space too far is one problem, at that line", () => {
    const problems = problemsOf(withLine(9, "     owner: dana@example.com"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^workflows.yaml:9:6 {2}invalid YAML: this line is indented more/);
  });

  it("a line indented too little, then the rest, is still reported once, at the first cause", () => {
    const text = withLine(9, "  owner: dana@example.com");
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^workflows.yaml:10:5 {2}invalid YAML: this line is indented more/);
    expect(problems[0]).toContain("more error(s) after this one");
  });

  it("an unterminated quote names the line where it opened, not the end of the file", () => {
    const problems = problemsOf(withLine(3, '  currency: "USD'));
    expect(problems).toEqual([
      expect.stringMatching(
        /^workflows.yaml:3:13 {2}invalid YAML: the text opened with " here is never closed/,
      ),
    ]);
    expect(problemsOf(withLine(8, "    description: 'Classify tickets"))[0]).toMatch(
      /^workflows.yaml:8:18 {2}invalid YAML: the text opened with ' here/,
    );
  });

  it("a document that is not a mapping says what it holds: null, a list, a text", () => {
    expect(problemsOf("null")[0]).toContain("this file holds null (an empty value)");
    expect(problemsOf("")[0]).toContain("this file holds nothing (it is empty)");
    expect(problemsOf("- a\n- b\n")[0]).toContain("this file holds a list");
    expect(problemsOf("hello")[0]).toContain('this file holds the text "hello"');
    expect(problemsOf("null")[0]).not.toContain("object");
  });
});

describe("field messages say what is expected", () => {
  it.each([
    [
      "a list where the workflows mapping belongs",
      VALID.replace(/workflows:\n[\s\S]*?exemptions:/, "workflows: [support-triage]\nexemptions:"),
      "workflows.yaml:6:12  workflows: must be a mapping of workflow ids to workflows",
    ],
    [
      "a one-digit month",
      withLine(27, "    reviewBy: 2027-2-5"),
      'workflows.yaml:27:15  workflows.memo-pilot.reviewBy: "2027-2-5" needs two-digit months and days: write it as 2027-02-05',
    ],
    [
      "a year before 2000",
      withLine(27, "    reviewBy: 0099-01-01"),
      'workflows.yaml:27:15  workflows.memo-pilot.reviewBy: "0099-01-01" is before 2000, the earliest year a registry date may have',
    ],
    [
      "an impossible date is still called one",
      withLine(27, "    reviewBy: 2027-02-30"),
      'workflows.yaml:27:15  workflows.memo-pilot.reviewBy: "2027-02-30" is not a real calendar date',
    ],
    [
      "an empty owner",
      withLine(9, "    owner:"),
      "workflows.yaml:9:11  workflows.support-triage.owner: is empty: add an email address",
    ],
    [
      "a missing stage",
      VALID.replace("    stage: learning\n", ""),
      "workflows.yaml:23:3  workflows.memo-pilot.stage: is required: add `stage: run-rate` or `stage: learning`",
    ],
    [
      "a missing owner, at the workflow's key (not its description line)",
      VALID.replace("    owner: sam@example.com\n", ""),
      "workflows.yaml:23:3  workflows.memo-pilot.owner: is required",
    ],
  ])("%s", (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(
      problems.some((p) => p.startsWith(expected)),
      `problems were:\n${problems.join("\n")}`,
    ).toBe(true);
    expect(problems.join("\n")).not.toMatch(/undefined|"null"|record/);
  });
});

describe("numbers are bounded to what AWS and the report can carry", () => {
  it.each([
    [
      "a budget of 5e-324",
      withLine(14, "      monthly: 5e-324"),
      "budget.monthly: must be at least 0.01",
    ],
    [
      "a budget of 1e300",
      withLine(14, "      monthly: 1e300"),
      "budget.monthly: must be at most 1,000,000,000,000",
    ],
    [
      "an hourly rate of 1e300",
      withLine(18, "      hourlyRate: 1e300"),
      "review.hourlyRate: must be at most 1,000,000,000,000",
    ],
    [
      "a week-long review per item",
      withLine(17, "      minutesPerItem: 20000"),
      "review.minutesPerItem: must be at most 10,080 (a week)",
    ],
    [
      "a volume of 1e300",
      withLine(20, "      itemsPerMonth: 1e300"),
      "volume.itemsPerMonth: must be at most 1,000,000,000,000",
    ],
    [
      "a growth of 1e300",
      withLine(22, "      growth: 1e300"),
      "triggers.growth: must be at most 1000",
    ],
    ["an infinite budget", withLine(14, "      monthly: .inf"), "budget.monthly: must be"],
  ])("%s is refused with the bound", (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(
      problems.some((p) => p.includes(expected)),
      problems.join("\n"),
    ).toBe(true);
  });

  it("the largest budget is accepted", () => {
    expect(checkRegistry(withLine(14, `      monthly: ${MAX_AMOUNT}`), "w.yaml").ok).toBe(true);
  });
});

describe("tag keys: what AWS tag keys and Cost Explorer group keys can carry", () => {
  const withTagKey = (key: string) =>
    VALID.replace("settings:\n", `settings:\n  tagKeys: { workflow: "${key}" }\n`);

  it("refuses $ (Cost Explorer returns groups as <key>$<value>)", () => {
    const problems = problemsOf(withTagKey("work$flow"));
    expect(problems[0]).toMatch(
      /settings.tagKeys.workflow: "work\$flow" holds "\$", which AWS tag keys cannot/,
    );
    expect(problems[0]).toContain("<key>$<value>");
  });

  it.each([
    "acme:workflow",
    "cost-center/team",
    "user@team",
    "Équipe_1 +=.",
    "app.kubernetes.io/name",
  ])("accepts %j", (key) => {
    expect(checkRegistry(withTagKey(key), "w.yaml").ok).toBe(true);
  });

  it.each(["work*flow", "a,b", "tab\\there", "semi;colon"])("refuses %j", (key) => {
    expect(problemsOf(withTagKey(key))[0]).toContain("which AWS tag keys cannot");
  });
});

describe("exemptions for every resource", () => {
  const withExemption = (resource: string, extra = "") =>
    VALID.replace(
      '  - resource: "urn:pulumi:*::*::aws:sagemaker/notebookInstance:NotebookInstance::scratch-*"',
      `  - resource: "${resource}"${extra}`,
    );

  it.each(["*", "**", "urn:pulumi:*", "urn:pulumi:*::*::*::*"])(
    "%j is refused without allResources: true",
    (glob) => {
      const problems = problemsOf(withExemption(glob));
      expect(problems[0]).toMatch(/exemptions\[0\].resource: ".*" matches every resource/);
      expect(problems[0]).toContain("allResources: true");
    },
  );

  it("is accepted with allResources: true, and then warned about", () => {
    const registry = parseRegistry(withExemption("*", "\n    allResources: true"), "w.yaml");
    expect(registryWarnings(registry, "2026-11-30")).toContainEqual({
      path: "exemptions[0].allResources",
      message: expect.stringContaining(
        "waives ai-resource-tags for every resource until 2027-01-31",
      ),
    });
  });

  it("a glob that is not a URN is warned about: it can match nothing", () => {
    const registry = parseRegistry(withExemption("aws:iam/role:Role::deployer"), "w.yaml");
    expect(registryWarnings(registry, "2026-11-30")).toContainEqual({
      path: "exemptions[0].resource",
      message: expect.stringContaining("does not start with urn:pulumi:"),
    });
  });
});

describe("warnings at validate", () => {
  it("a model glob that matches no known Bedrock model id", () => {
    const registry = parseRegistry(
      withLine(12, '    models: ["anthropic.claud-*", "us.amazon.nova-*"]'),
      "w.yaml",
    );
    const warnings = registryWarnings(registry, "2026-11-30");
    expect(warnings).toContainEqual({
      path: "workflows.support-triage.models[0]",
      message: expect.stringContaining('"anthropic.claud-*" matches none of the'),
    });
    // A geographic (cross-region) prefix is known.
    expect(warnings.some((w) => w.path === "workflows.support-triage.models[1]")).toBe(false);
  });

  it("a non-USD currency with budgets, in the words the stack refuses it with", () => {
    const registry = parseRegistry(withLine(3, "  currency: EUR"), "w.yaml");
    expect(registryWarnings(registry, "2026-11-30")).toContainEqual({
      path: "settings.currency",
      message: expect.stringContaining("is EUR, but AWS Budgets only accepts budget limits in USD"),
    });
    const noBudgets = parseRegistry(
      withLine(3, "  currency: EUR")
        .replace("    stage: run-rate\n", "    stage: learning\n    reviewBy: 2027-01-01\n")
        .replace(/ {4}budget:\n {6}monthly: 1200\n/, ""),
      "w.yaml",
    );
    expect(
      registryWarnings(noBudgets, "2026-11-30").some((w) => w.path === "settings.currency"),
    ).toBe(false);
  });
});

describe("hostile documents", () => {
  it("a registry that reuses one anchor 102 times is accepted (the parser's default refused it)", () => {
    const many = Array.from(
      { length: 102 },
      (_, i) =>
        `  wf-${i}:\n    description: Generated\n    owner: *owner\n    stage: learning\n    reviewBy: 2027-01-15\n    risk: low\n`,
    ).join("");
    const registry = `version: 1
settings:
  currency: USD
  unownedSpendContact: &contact finops@example.com
workflows:
  first:
    description: Anchors the owner
    owner: &owner dana@example.com
    stage: learning
    reviewBy: 2027-01-15
    risk: low
${many}`;
    const result = checkRegistry(registry, "w.yaml");
    expect(result.ok, result.ok ? "" : result.problems.map(formatProblem).join("\n")).toBe(true);
  });

  it("an alias bomb is refused with a position, as a problem (so --json prints it)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const problems = problemsOf(`${levels.join("\n")}\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^workflows.yaml:2:\d+ {2}the document's \d+ alias\(es\)/);
  });

  it.each([
    ["JSON", `{"version": 1, "settings": ${"[".repeat(5000)}${"]".repeat(5000)}}`],
    ["YAML flow", `version: 1\nsettings: ${"{a: ".repeat(3000)}1${"}".repeat(3000)}\n`],
    [
      "YAML blocks",
      Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n",
    ],
  ])("deep %s nesting is a clear error, not a stack overflow", (_name, text) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("nests deeper than 32 levels");
    expect(problems[0]).not.toContain("Maximum call stack");
  });
});
