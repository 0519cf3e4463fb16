/**
 * The registry's cross-field rules at their edges: the exact limits AWS sets (ids of 2 and 63
 * characters, profile names of 64, five notifications per budget), several allowed email
 * domains, values that are null or of the wrong type (the rules read the raw YAML and must not
 * throw on it), and the dates at which a review or an exemption warning starts.
 */
import { describe, expect, it } from "vitest";
import {
  checkRegistry,
  inferenceProfileNameProblem,
  parseRegistry,
  registryWarnings,
  workflowIdProblem,
} from "../../src/registry";
import type { RegistryProblem } from "../../src/registry";
import { crossFieldProblems } from "../../src/registry/rules";

/** A valid registry with one run-rate workflow; `budget`, `owner` and `settings` are replaceable. */
function registryText(
  options: {
    id?: string;
    budget?: string;
    owner?: string;
    domains?: string;
    extraWorkflow?: string;
    extra?: string;
  } = {},
): string {
  const {
    id = "support-triage",
    budget = "    budget:\n      monthly: 1200\n",
    owner = "dana@example.com",
    domains = "[example.com]",
    extraWorkflow = "",
    extra = "",
  } = options;
  return `version: 1
settings:
  currency: USD
  allowedEmailDomains: ${domains}
  unownedSpendContact: finops@example.com
workflows:
  ${id}:
    description: Classify tickets
    owner: ${owner}
    stage: run-rate
    risk: medium
${budget}${extraWorkflow}${extra}`;
}

function problems(text: string): readonly RegistryProblem[] {
  const result = checkRegistry(text, "workflows.yaml");
  return result.ok ? [] : result.problems;
}

function problemAt(text: string, path: string): RegistryProblem | undefined {
  return problems(text).find((p) => p.path === path);
}

describe("workflow ids: 2-63 characters of lowercase kebab-case", () => {
  it("accepts exactly 2 and exactly 63 characters, refuses 1 and 64", () => {
    expect(workflowIdProblem("ab")).toBeUndefined();
    expect(workflowIdProblem("a".repeat(63))).toBeUndefined();
    expect(workflowIdProblem("a")).toMatch(/2-63 characters long \(it is 1\)/);
    expect(workflowIdProblem("a".repeat(64))).toMatch(/2-63 characters long \(it is 64\)/);
  });

  it("validates a registry whose workflow id has exactly 2 or 63 characters", () => {
    expect(checkRegistry(registryText({ id: "ab" }), "w.yaml").ok).toBe(true);
    expect(checkRegistry(registryText({ id: "a".repeat(63) }), "w.yaml").ok).toBe(true);
    const long = "a".repeat(64);
    expect(problemAt(registryText({ id: long }), `workflows.${long}`)?.message).toMatch(/it is 64/);
  });

  it("suggests the kebab-case form, with runs of other characters folded into one hyphen", () => {
    expect(workflowIdProblem("__Support  Triage__")).toContain('e.g. "support-triage"');
    expect(workflowIdProblem("-Memo.Pilot-")).toContain('e.g. "memo-pilot"');
  });
});

describe("inference profile names: 1-64 characters", () => {
  it("accepts exactly 64 characters and refuses 65 and the empty name, by length", () => {
    expect(inferenceProfileNameProblem("p".repeat(64))).toBeUndefined();
    expect(inferenceProfileNameProblem("p".repeat(65))).toMatch(
      /1-64 characters long \(it is 65\)/,
    );
    expect(inferenceProfileNameProblem("")).toMatch(/1-64 characters long \(it is 0\)/);
  });

  it("reports a profile name in the registry that is too long, at its key", () => {
    const name = "p".repeat(65);
    const profiles = `    inferenceProfiles:\n      ${name}: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0\n      ${"q".repeat(64)}: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0\n`;
    const found = problems(registryText({ extraWorkflow: profiles }));
    expect(found.map((p) => p.path)).toEqual([
      `workflows.support-triage.inferenceProfiles.${name}`,
    ]);
    expect(found[0]!.message).toMatch(/becomes a Bedrock inference profile name/);
  });
});

describe("allowed email domains", () => {
  it("accepts an address in any of several allowed domains, case-insensitively", () => {
    const text = registryText({
      domains: "[example.com, Partner.Example.org]",
      owner: "lee@partner.example.ORG",
    });
    expect(checkRegistry(text, "w.yaml").ok).toBe(true);
  });

  it("refuses an address in none of them and lists them all", () => {
    const text = registryText({
      domains: "[example.com, partner.example.org]",
      owner: "lee@elsewhere.net",
    });
    const problem = problemAt(text, "workflows.support-triage.owner");
    expect(problem?.message).toContain("(example.com, partner.example.org)");
  });

  it("leaves a value that is not an address to the schema's email check", () => {
    const text = registryText({ owner: "dana" });
    const found = problems(text).filter((p) => p.path === "workflows.support-triage.owner");
    expect(found.map((p) => p.message)).toEqual([
      '"dana" is not a valid email address: write it as name@domain',
    ]);
  });

  it("judges the domain after the last @", () => {
    const text = registryText({ owner: '"lee@example.com@elsewhere.net"' });
    expect(problemAt(text, "workflows.support-triage.owner")).toBeDefined();
  });

  it("checks the finance partner, the reviewer and each exemption's approver", () => {
    const text = registryText({
      extraWorkflow:
        "    financePartner: fin@elsewhere.net\n    review:\n      reviewer: rev@elsewhere.net\n      share: 0.2\n      minutesPerItem: 2\n      hourlyRate: 60\n",
      extra:
        'exemptions:\n  - resource: "urn:pulumi:*::*::aws:sagemaker/endpoint:Endpoint::scratch"\n    policy: ai-resource-tags\n    reason: Scratch\n    approvedBy: cto@elsewhere.net\n    expires: 2027-01-31\n',
    });
    const paths = problems(text).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "workflows.support-triage.financePartner",
        "workflows.support-triage.review.reviewer",
        "exemptions[0].approvedBy",
      ]),
    );
  });

  it("ignores entries of the wrong type in the list (the schema reports them) without throwing", () => {
    const text = registryText({ domains: "[42, example.com]", owner: "lee@elsewhere.net" });
    const paths = problems(text).map((p) => p.path);
    expect(paths).toContain("settings.allowedEmailDomains[0]");
    expect(paths).toContain("workflows.support-triage.owner");
  });
});

describe("budget notifications: AWS allows 5 per budget", () => {
  const budget = (alerts: string, forecast?: number) =>
    `    budget:\n      monthly: 1200\n      alerts: ${alerts}\n${forecast === undefined ? "" : `      forecastAlert: ${forecast}\n`}`;

  it("accepts exactly 5 alerts, and 4 alerts with a forecast alert", () => {
    expect(checkRegistry(registryText({ budget: budget("[10, 20, 30, 40, 50]") }), "w").ok).toBe(
      true,
    );
    expect(checkRegistry(registryText({ budget: budget("[10, 20, 30, 40]", 90) }), "w").ok).toBe(
      true,
    );
  });

  it("accepts the default alerts (three) with a forecast alert", () => {
    const text = registryText({
      budget: "    budget:\n      monthly: 1200\n      forecastAlert: 100\n",
    });
    const registry = parseRegistry(text, "w");
    expect(registry.workflows[0]!.budget?.alerts).toEqual([50, 80, 100]);
    expect(registry.workflows[0]!.budget?.forecastAlert).toBe(100);
  });

  it("refuses 5 alerts plus a forecast alert: 6, drop 1", () => {
    const problem = problemAt(
      registryText({ budget: budget("[10, 20, 30, 40, 50]", 90) }),
      "workflows.support-triage.budget.alerts",
    );
    expect(problem?.message).toMatch(/yields 6 budget notifications .* at most 5 .*drop 1$/);
  });

  it("refuses 7 alerts: drop 2", () => {
    const problem = problemAt(
      registryText({ budget: budget("[10, 20, 30, 40, 50, 60, 70]") }),
      "workflows.support-triage.budget.alerts",
    );
    expect(problem?.message).toMatch(/yields 7 .*drop 2$/);
  });

  it("names the second of two equal thresholds, not the first", () => {
    const found = problems(registryText({ budget: budget("[50, 80, 50]") }));
    expect(found.map((p) => p.path)).toEqual(["workflows.support-triage.budget.alerts[2]"]);
  });
});

describe("stage rules", () => {
  it("a learning workflow without reviewBy and a run-rate workflow without budget", () => {
    const text = registryText({
      budget: "",
      extra:
        "  memo-pilot:\n    description: Memo\n    owner: sam@example.com\n    stage: learning\n    risk: low\n",
    });
    const found = problems(text);
    expect(found.find((p) => p.path === "workflows.support-triage")?.message).toMatch(
      /needs a budget/,
    );
    expect(found.find((p) => p.path === "workflows.memo-pilot")?.message).toMatch(/needs reviewBy/);
  });
});

describe("null and wrongly typed values: every problem reported, nothing thrown", () => {
  it("a null settings block", () => {
    const text =
      "version: 1\nsettings:\nworkflows:\n  support-triage:\n    description: x\n    owner: dana@example.com\n    stage: learning\n    reviewBy: 2027-01-01\n    risk: low\n";
    expect(() => checkRegistry(text, "w")).not.toThrow();
    expect(problems(text).map((p) => p.path)).toContain("settings");
  });

  it("a null workflow, a null budget, a null review and a null exemption", () => {
    const text = registryText({
      budget: "    budget:\n    review:\n",
      extra: "  memo-pilot:\nexemptions:\n  - \n",
    });
    expect(() => checkRegistry(text, "w")).not.toThrow();
    const paths = problems(text).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "workflows.support-triage.budget",
        "workflows.memo-pilot",
        "exemptions[0]",
      ]),
    );
  });

  it("null workflows and exemptions lists", () => {
    const text = "version: 1\nsettings:\n  currency: USD\nworkflows:\nexemptions:\n";
    expect(() => checkRegistry(text, "w")).not.toThrow();
    expect(problems(text).length).toBeGreaterThan(0);
  });

  it("a document that is not a mapping has no cross-field problems", () => {
    expect(crossFieldProblems(null)).toEqual([]);
    expect(crossFieldProblems([{ workflows: { x: {} } }])).toEqual([]);
    expect(crossFieldProblems("workflows")).toEqual([]);
  });

  it("a list where a mapping belongs is not read as one", () => {
    const found = crossFieldProblems({
      settings: [{ allowedEmailDomains: ["example.com"] }],
      workflows: {
        "ok-id": [{ stage: "learning" }],
        x: { stage: "learning", reviewBy: "2027-01-01", budget: [50] },
      },
    });
    // Only the id is wrong: a list is neither settings with domains nor a workflow.
    expect(found.map((p) => p.path)).toEqual([["workflows", "x"]]);
  });
});

describe("registry warnings", () => {
  const withReview = (reviewBy: string, expires = "2030-01-01") =>
    parseRegistry(
      `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  memo-pilot:
    description: Memo
    owner: sam@example.com
    stage: learning
    reviewBy: ${reviewBy}
    risk: low
  steady:
    description: Steady
    owner: sam@example.com
    stage: run-rate
    risk: low
    budget:
      monthly: 100
exemptions:
  - resource: "urn:pulumi:*::*::aws:sagemaker/endpoint:Endpoint::scratch"
    policy: ai-resource-tags
    reason: Scratch
    approvedBy: cto@example.com
    expires: ${expires}
`,
      "w",
    );

  it("a review date that has passed", () => {
    expect(registryWarnings(withReview("2026-05-31"), "2026-06-01")).toEqual([
      {
        path: "workflows.memo-pilot.reviewBy",
        message:
          "review date 2026-05-31 has passed: renew it in the registry or retire the workflow",
      },
    ]);
  });

  it("a review date today is near, not passed", () => {
    const [warning] = registryWarnings(withReview("2026-06-01"), "2026-06-01");
    expect(warning).toEqual({
      path: "workflows.memo-pilot.reviewBy",
      message: "review date 2026-06-01 is in 0 day(s)",
    });
  });

  it("near means within 14 days by default, or the days given", () => {
    expect(registryWarnings(withReview("2026-06-15"), "2026-06-01")[0]?.message).toMatch(
      /is in 14 day\(s\)$/,
    );
    expect(registryWarnings(withReview("2026-06-16"), "2026-06-01")).toEqual([]);
    expect(registryWarnings(withReview("2026-06-16"), "2026-06-01", 15)[0]?.message).toMatch(
      /in 15 day/,
    );
    expect(registryWarnings(withReview("2026-06-04"), "2026-06-01", 2)).toEqual([]);
  });

  it("an exemption expired yesterday warns; one that expires today still applies", () => {
    expect(registryWarnings(withReview("2027-01-01", "2026-06-01"), "2026-06-01")).toEqual([]);
    expect(registryWarnings(withReview("2027-01-01", "2026-05-31"), "2026-06-01")).toEqual([
      {
        path: "exemptions[0].expires",
        message:
          "expired on 2026-05-31: it no longer applies; renew it (with approval) or remove it",
      },
    ]);
  });
});
