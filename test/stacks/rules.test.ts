import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRegistry } from "../../src/registry";
import type { Workflow } from "../../src/registry";
import {
  anomalyThreshold,
  budgetNotifications,
  checkAnomalyMinimumImpact,
  limitAmount,
  tagKeyValue,
} from "../../stacks/components/budget-spec";
import { digestRecipients } from "../../stacks/components/digest-recipients";
import {
  budgetName,
  inferenceProfileDescription,
  inferenceProfileNameProblem,
} from "../../stacks/components/naming";
import { alertsTopicPolicy, arnParts } from "../../stacks/components/policy-documents";
import { parseReconcilerOptions } from "../../stacks/components/reconciler-options";
import { guardTags } from "../../stacks/components/tags";
import { checkInferenceProfiles } from "../../stacks/components/workflow-budget";

const registry = parseRegistry(
  `version: 1
settings:
  currency: USD
  unownedSpendContact: dana@example.com
workflows:
  one:
    description: d
    owner: dana@example.com
    financePartner: dana@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 40, alerts: [100, 20] }
  two:
    description: d
    owner: ben@example.com
    stage: learning
    reviewBy: 2027-01-01
    risk: low
  ai-spend-guard:
    description: d
    owner: ben@example.com
    stage: learning
    reviewBy: 2027-01-01
    risk: low
`,
  "inline.yaml",
);
const [first, second] = registry.workflows as [Workflow, Workflow];

describe("budget names", () => {
  it("are the prefix and the workflow id", () => {
    expect(budgetName("ai-spend-guard", "support-triage")).toBe("ai-spend-guard-support-triage");
  });

  it("stay within AWS's 100 characters, without : or \\, and distinct, for any id", () => {
    const id = fc
      .stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      .filter((s) => s.length >= 2 && s.length <= 63);
    const prefix = fc.string({ minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(prefix, id, id, (p, a, b) => {
        const name = budgetName(p, a);
        expect(name.length).toBeLessThanOrEqual(100);
        expect(name).not.toMatch(/[:\\]/);
        if (a !== b) expect(budgetName(p, b)).not.toBe(name);
      }),
    );
  });

  it("keep a readable start and a hash when a long id is cut", () => {
    const name = budgetName("my-org:ai\\guard-production-account-budgets", "x".repeat(63));
    expect(name).toHaveLength(100);
    expect(name.startsWith("my-org-ai-guard-production")).toBe(true);
    expect(name).toMatch(/-[0-9a-f]{8}$/);
  });
});

describe("budget contents", () => {
  it("uses the user: prefixed TagKeyValue form", () => {
    expect(tagKeyValue("workflow", "support-triage")).toBe("user:workflow$support-triage");
  });

  it("sends sorted ACTUAL alerts to the owner once, even when they are also the finance partner", () => {
    expect(budgetNotifications(first, first.budget!)).toEqual([
      {
        notificationType: "ACTUAL",
        comparisonOperator: "GREATER_THAN",
        threshold: 20,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: ["dana@example.com"],
      },
      {
        notificationType: "ACTUAL",
        comparisonOperator: "GREATER_THAN",
        threshold: 100,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: ["dana@example.com"],
      },
    ]);
  });

  it.each([
    [1200, "1200"],
    [1234.5, "1234.5"],
    [99.999, "100"],
    [1e21, "1000000000000000000000"],
  ])("writes the limit %s as %s", (monthly, text) => {
    expect(limitAmount(monthly)).toBe(text);
  });

  it("alerts on anomalies above a tenth of the budget, never below the minimum", () => {
    expect(anomalyThreshold(first, 1)).toBe(4);
    expect(anomalyThreshold(first, 10)).toBe(10);
    expect(anomalyThreshold(second, 7)).toBe(7);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects the minimum impact %s", (value) => {
    expect(() => checkAnomalyMinimumImpact(value, "USD")).toThrow(
      /anomalyMinimumImpact must be a number >= 0 \(in USD\)/,
    );
  });
});

describe("digest recipients", () => {
  it("lists each owner once with a filter on their own address, the contact included once", () => {
    expect(digestRecipients(registry)).toEqual([
      {
        email: "ben@example.com",
        workflows: ["two", "ai-spend-guard"],
        filterPolicy: '{"owner":["ben@example.com"]}',
      },
      {
        email: "dana@example.com",
        workflows: ["one"],
        filterPolicy: '{"owner":["dana@example.com"]}',
      },
    ]);
  });
});

describe("guard tags", () => {
  it("come from the registry's guard workflow", () => {
    expect(guardTags(registry)).toEqual({ workflow: "ai-spend-guard", owner: "ben@example.com" });
  });

  it("fail with a did-you-mean when the guard workflow is not registered", () => {
    expect(() => guardTags(registry, "ai-spend-gaurd")).toThrow(
      'inline.yaml: no workflow "ai-spend-gaurd" (did you mean "ai-spend-guard"?)',
    );
  });
});

describe("inference profiles", () => {
  it.each([
    ["support-triage-haiku", undefined],
    ["a", undefined],
    [
      "bad--name",
      '"bad--name" may only contain letters, digits and single spaces, "_" or "-" between them',
    ],
    ["x".repeat(65), `"${"x".repeat(65)}" must be 1-64 characters long (it is 65)`],
  ])("name %s", (name, problem) => {
    expect(inferenceProfileNameProblem(name)).toBe(problem);
  });

  it("rejects a bad name naming the registry field", () => {
    const workflow = {
      ...first,
      inferenceProfiles: { "my profile!": "arn:aws:bedrock:us-east-1::foundation-model/x" },
    };
    expect(() => checkInferenceProfiles(workflow)).toThrow(
      'workflows.one.inferenceProfiles: "my profile!" may only contain',
    );
  });

  it("turns any description into one Bedrock accepts", () => {
    const text = inferenceProfileDescription(
      "board-memo-pilot Experiment - summarise KPIs (monthly)!",
    );
    expect(text).toBe("board memo pilot Experiment summarise KPIs monthly");
    expect(text).toMatch(/^([0-9a-zA-Z:.][ _-]?)+$/);
  });
});

describe("policy documents", () => {
  it("reads partition, region and account from an ARN, and rejects what is not one", () => {
    expect(arnParts("arn:aws-cn:sns:cn-north-1:111122223333:t")).toEqual({
      partition: "aws-cn",
      region: "cn-north-1",
      account: "111122223333",
    });
    expect(() => arnParts("my-topic")).toThrow('"my-topic" is not an ARN');
  });

  it("scopes the budgets publisher to this account's budgets", () => {
    const policy = alertsTopicPolicy("arn:aws:sns:eu-west-1:111122223333:alerts");
    expect(policy.Statement[0]).toEqual({
      Sid: "AllowBudgetsPublish",
      Effect: "Allow",
      Principal: { Service: "budgets.amazonaws.com" },
      Action: "SNS:Publish",
      Resource: "arn:aws:sns:eu-west-1:111122223333:alerts",
      Condition: {
        StringEquals: { "aws:SourceAccount": "111122223333" },
        ArnLike: { "aws:SourceArn": "arn:aws:budgets::111122223333:*" },
      },
    });
  });
});

describe("reconciler options", () => {
  it("defaults to a daily run and a year of reports", () => {
    expect(parseReconcilerOptions({})).toEqual({
      schedule: "cron(0 6 * * ? *)",
      scheduleTimezone: "UTC",
      reportPrefix: "reports/",
      reportRetentionDays: 400,
      costMetric: "UnblendedCost",
      groupByAccount: false,
      metricsNamespace: "AiSpendGuard",
      logRetentionDays: 90,
      accountChecks: true,
      costSource: "cost-explorer",
      curExportName: "ai-spend-guard-cur",
      curBytesScannedCutoffPerQuery: 10_737_418_240,
    });
  });

  it("names every bad setting at once", () => {
    expect(() =>
      parseReconcilerOptions(
        {
          schedule: "daily",
          reportPrefix: "reports",
          costMetric: "BlendedCost",
          logRetentionDays: 10,
          metricsNamespace: "AWS/Lambda",
        },
        "ai-spend-guard:",
      ),
    ).toThrow(
      [
        "invalid reconciler settings:",
        '  ai-spend-guard:schedule: must be an EventBridge Scheduler expression: "rate(1 day)", "cron(0 6 * * ? *)" or "at(2027-01-01T06:00:00)", got "daily"',
        '  ai-spend-guard:reportPrefix: must be an S3 key prefix ending in "/" and not starting with "/", e.g. "reports/" (the IAM grant is scoped to it), got "reports"',
        '  ai-spend-guard:costMetric: must be one of UnblendedCost, AmortizedCost, NetAmortizedCost, NetUnblendedCost, got "BlendedCost"',
        '  ai-spend-guard:metricsNamespace: must not start with "AWS/" (reserved for AWS services), got "AWS/Lambda"',
      ].join("\n"),
    );
  });
});
