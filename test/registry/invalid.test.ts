import { describe, expect, it } from "vitest";
import { checkRegistry, parseRegistry, RegistryValidationError } from "../../src/registry";
import { problemsOf, replaceLine } from "./registry-text";

/** A valid registry; each case below breaks one thing in it. Line numbers are 1-based. */
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
    budget:
      monthly: 1200
      alerts: [50, 80, 100]
      forecastAlert: 100
    review:
      share: 0.2
      minutesPerItem: 2
      hourlyRate: 65
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

interface Case {
  name: string;
  text: string;
  /** `workflows.yaml:LINE:COL  path: ` prefix and a fragment of the message. */
  expected: { at: string; message: string };
}

const cases: Case[] = [
  {
    name: "unknown key with did-you-mean",
    text: withLine(9, "    owners: dana@example.com"),
    expected: {
      at: "workflows.yaml:9:5  workflows.support-triage.owners: ",
      message: 'unknown key "owners" (did you mean "owner"?)',
    },
  },
  {
    name: "the owner that the unknown key displaced is reported missing, at the workflow's key",
    text: withLine(9, "    owners: dana@example.com"),
    expected: {
      at: "workflows.yaml:7:3  workflows.support-triage.owner: ",
      message: "is required: add the accountable owner's email",
    },
  },
  {
    name: "unknown top-level key",
    text: VALID + "workflow: {}\n",
    expected: {
      at: "workflows.yaml:34:1  workflow: ",
      message: 'unknown key "workflow" (did you mean "workflows"?)',
    },
  },
  {
    name: "duplicate workflow id",
    text: VALID.replace("  memo-pilot:", "  support-triage:"),
    expected: {
      at: "workflows.yaml:22:3  workflows.support-triage: ",
      message: 'workflow id "support-triage" is defined twice (first on line 7)',
    },
  },
  {
    name: "upper-case workflow id",
    text: withLine(7, "  Support-Triage:"),
    expected: {
      at: "workflows.yaml:7:3  workflows.Support-Triage: ",
      message:
        'must be lowercase kebab-case (letters, digits and single hyphens), e.g. "support-triage"',
    },
  },
  {
    name: "underscore in workflow id",
    text: withLine(7, "  support_triage:"),
    expected: {
      at: "workflows.yaml:7:3  workflows.support_triage: ",
      message: 'e.g. "support-triage"',
    },
  },
  {
    name: "one-character workflow id",
    text: withLine(7, "  s:"),
    expected: {
      at: "workflows.yaml:7:3  workflows.s: ",
      message: "must be 2-63 characters long (it is 1)",
    },
  },
  {
    name: "64-character workflow id",
    text: withLine(7, `  ${"a".repeat(64)}:`),
    expected: {
      at: `workflows.yaml:7:3  workflows.${"a".repeat(64)}: `,
      message: "must be 2-63 characters long (it is 64)",
    },
  },
  {
    name: "invalid owner email",
    text: withLine(9, "    owner: dana at example"),
    expected: {
      at: "workflows.yaml:9:12  workflows.support-triage.owner: ",
      message: '"dana at example" is not a valid email address',
    },
  },
  {
    name: "owner outside the allowed domains",
    text: withLine(9, "    owner: dana@gmail.com"),
    expected: {
      at: "workflows.yaml:9:12  workflows.support-triage.owner: ",
      message: '"dana@gmail.com" is outside settings.allowedEmailDomains (example.com)',
    },
  },
  {
    name: "unowned-spend contact outside the allowed domains",
    text: withLine(5, "  unownedSpendContact: finops@elsewhere.org"),
    expected: {
      at: "workflows.yaml:5:24  settings.unownedSpendContact: ",
      message: "is outside settings.allowedEmailDomains",
    },
  },
  {
    name: "learning workflow without reviewBy",
    text: withLine(26, "    risk: low").replace("    risk: low\n    risk: low", "    risk: low"),
    expected: {
      at: "workflows.yaml:23:5  workflows.memo-pilot: ",
      message: "a learning workflow needs reviewBy: add `reviewBy: YYYY-MM-DD`",
    },
  },
  {
    name: "run-rate workflow without budget",
    text: VALID.replace(
      "    budget:\n      monthly: 1200\n      alerts: [50, 80, 100]\n      forecastAlert: 100\n",
      "",
    ),
    expected: {
      at: "workflows.yaml:8:5  workflows.support-triage: ",
      message: "a run-rate workflow needs a budget",
    },
  },
  {
    name: "impossible calendar date",
    text: withLine(26, "    reviewBy: 2027-02-29"),
    expected: {
      at: "workflows.yaml:26:15  workflows.memo-pilot.reviewBy: ",
      message: '"2027-02-29" is not a real calendar date',
    },
  },
  {
    name: "date in the wrong format",
    text: withLine(26, "    reviewBy: 15/01/2027"),
    expected: {
      at: "workflows.yaml:26:15  workflows.memo-pilot.reviewBy: ",
      message: "write it as YYYY-MM-DD",
    },
  },
  {
    name: "too many budget notifications",
    text: withLine(14, "      alerts: [25, 50, 75, 90, 100]"),
    expected: {
      at: "workflows.yaml:14:15  workflows.support-triage.budget.alerts: ",
      message: "yields 6 budget notifications but AWS allows at most 5",
    },
  },
  {
    name: "duplicate alert threshold",
    text: withLine(14, "      alerts: [50, 80, 80]"),
    expected: {
      at: "workflows.yaml:14:24  workflows.support-triage.budget.alerts[2]: ",
      message: "threshold 80 is listed twice",
    },
  },
  {
    name: "negative budget",
    text: withLine(13, "      monthly: -5"),
    expected: {
      at: "workflows.yaml:13:16  workflows.support-triage.budget.monthly: ",
      message: "must be at least 0.01 (one cent)",
    },
  },
  {
    name: "budget given as text",
    text: withLine(13, "      monthly: lots"),
    expected: {
      at: "workflows.yaml:13:16  workflows.support-triage.budget.monthly: ",
      message: "must be a number",
    },
  },
  {
    name: "principalTags given as text",
    text: withLine(5, '  unownedSpendContact: finops@example.com\n  principalTags: "yes"'),
    expected: {
      at: "workflows.yaml:6:18  settings.principalTags: ",
      message:
        "must be true or false: true (the default) also attributes model calls by the caller's iamPrincipal/ tag, false reads resource tags only",
    },
  },
  {
    name: "review share above 1",
    text: withLine(17, "      share: 20"),
    expected: {
      at: "workflows.yaml:17:14  workflows.support-triage.review.share: ",
      message: "must be between 0 and 1",
    },
  },
  {
    name: "negative review minutes",
    text: withLine(18, "      minutesPerItem: -1"),
    expected: {
      at: "workflows.yaml:18:23  workflows.support-triage.review.minutesPerItem: ",
      message: "must be >= 0",
    },
  },
  {
    name: "negative hourly rate",
    text: withLine(19, "      hourlyRate: -65"),
    expected: {
      at: "workflows.yaml:19:19  workflows.support-triage.review.hourlyRate: ",
      message: "must be >= 0",
    },
  },
  {
    name: "growth trigger of 1",
    text: withLine(21, "      growth: 1"),
    expected: {
      at: "workflows.yaml:21:15  workflows.support-triage.triggers.growth: ",
      message: "must be greater than 1",
    },
  },
  {
    name: "stage with a typo",
    text: withLine(10, "    stage: runrate"),
    expected: {
      at: "workflows.yaml:10:12  workflows.support-triage.stage: ",
      message:
        'must be one of "run-rate", "learning", got the text "runrate" (did you mean "run-rate"?)',
    },
  },
  {
    name: "risk outside the scale",
    text: withLine(11, "    risk: critical"),
    expected: {
      at: "workflows.yaml:11:11  workflows.support-triage.risk: ",
      message: 'must be one of "low", "medium", "high"',
    },
  },
  {
    name: "lowercase currency",
    text: withLine(3, "  currency: usd"),
    expected: {
      at: "workflows.yaml:3:13  settings.currency: ",
      message: "must be an ISO 4217 currency code such as USD",
    },
  },
  {
    name: "wrong version",
    text: withLine(1, "version: 2"),
    expected: { at: "workflows.yaml:1:10  version: ", message: "must be 1" },
  },
  {
    name: "exemption without reason",
    text: withLine(31, '    reason: ""'),
    expected: {
      at: "workflows.yaml:31:13  exemptions[0].reason: ",
      message: "must say why the exemption is granted",
    },
  },
  {
    name: "exemption without approver",
    text: VALID.replace("    approvedBy: cto@example.com\n", ""),
    expected: {
      at: "workflows.yaml:29:5  exemptions[0].approvedBy: ",
      message: "is required: add the approver's email",
    },
  },
  {
    name: "exemption with an impossible expiry",
    text: withLine(33, "    expires: 2027-04-31"),
    expected: {
      at: "workflows.yaml:33:14  exemptions[0].expires: ",
      message: '"2027-04-31" is not a real calendar date',
    },
  },
  {
    name: "exemption naming an unknown policy",
    text: withLine(30, "    policy: ai-resource-tag"),
    expected: {
      at: "workflows.yaml:30:13  exemptions[0].policy: ",
      message: '(did you mean "ai-resource-tags"?)',
    },
  },
  {
    name: "reserved aws: tag key",
    text: withLine(3, '  currency: USD\n  tagKeys: { workflow: "aws:workflow" }'),
    expected: {
      at: "workflows.yaml:4:24  settings.tagKeys.workflow: ",
      message: 'must not start with "aws:"',
    },
  },
  {
    name: "inference profile name Bedrock would reject",
    text: withLine(
      21,
      "      growth: 2.0\n    inferenceProfiles:\n      triage/haiku: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
    ),
    expected: {
      at: "workflows.yaml:23:7  workflows.support-triage.inferenceProfiles.triage/haiku: ",
      message: '"triage/haiku" may only contain letters, digits and single spaces',
    },
  },
  {
    name: "inference profile that is not a Bedrock model ARN",
    text: withLine(
      21,
      "      growth: 2.0\n    inferenceProfiles:\n      triage-haiku: anthropic.claude-3-haiku",
    ),
    expected: {
      at: "workflows.yaml:23:21  workflows.support-triage.inferenceProfiles.triage-haiku: ",
      message: "must be a Bedrock model ARN",
    },
  },
  {
    name: "missing settings block",
    text: VALID.replace(/settings:\n( {2}.*\n)+/, ""),
    expected: {
      at: "workflows.yaml:1:1  settings: ",
      message: "is required: add a settings block",
    },
  },
  {
    name: "invalid YAML",
    text: withLine(9, "    owner: [dana@example.com"),
    expected: { at: "workflows.yaml:", message: "invalid YAML" },
  },
  {
    name: "a list where a mapping belongs",
    text: withLine(20, "    triggers: [2.0]").replace(
      "    triggers: [2.0]\n      growth: 2.0",
      "    triggers: [2.0]",
    ),
    expected: {
      at: "workflows.yaml:20:15  workflows.support-triage.triggers: ",
      message: "must be a mapping (indented `key: value` lines), got a list",
    },
  },
];

describe("registry validation: every problem named with its file position and a fix", () => {
  it("accepts the base registry the cases start from", () => {
    expect(checkRegistry(VALID, "workflows.yaml").ok).toBe(true);
  });

  it.each(cases)("$name", ({ text, expected }) => {
    const problems = problemsOf(text);
    const match = problems.find((p) => p.startsWith(expected.at) && p.includes(expected.message));
    expect(match, `problems were:\n${problems.join("\n")}`).toBeDefined();
  });

  it("reports all problems at once, in file order", () => {
    let text = withLine(9, "    owners: dana@example.com");
    text = withLine(17, "      share: 20", text);
    text = withLine(26, "    reviewBy: 2027-02-29", text);
    const problems = problemsOf(text);
    expect(problems.length).toBe(4); // unknown key, missing owner, share, date
    const lines = problems.map((p) => Number(p.split(":")[1]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it("still validates a workflow that a duplicate id shadows", () => {
    const text = VALID.replace("  memo-pilot:", "  support-triage:").replace(
      "    owner: dana@example.com",
      "    owner: dana@gmail.com",
    );
    const problems = problemsOf(text);
    expect(
      problems.some((p) => p.startsWith("workflows.yaml:9:12  workflows.support-triage.owner: ")),
    ).toBe(true);
  });

  it("throws one error that lists every problem", () => {
    const text = withLine(17, "      share: 20", withLine(11, "    risk: critical"));
    let caught: unknown;
    try {
      parseRegistry(text, "workflows.yaml");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegistryValidationError);
    const error = caught as RegistryValidationError;
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain("workflows.yaml is invalid (2 problems)");
    expect(error.message).toContain("workflows.yaml:11:11  workflows.support-triage.risk:");
  });

  it("rejects a document that is not a mapping", () => {
    expect(problemsOf("- just\n- a list\n")[0]).toMatch(
      /^workflows.yaml:1:1 {2}the registry must be a YAML mapping/,
    );
  });
});
