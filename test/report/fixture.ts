/**
 * A small, realistic report to render: five workflows of four owners, flags of every severity,
 * a credit (a workflow whose refunds exceed its spend), untagged AI spend, spend attributed by
 * the caller's principal tag, attribution conflicts, and unregistered tag values that try to
 * inject markup, script and spreadsheet formulas.
 */
import type { CurReport, DailyAmount, Report, WorkflowReport } from "../../src/reconciler";

/** Attack strings an unregistered tag value may carry (anyone who can tag a resource). */
export const INJECTION = {
  markup: "<img src=x onerror=alert(1)>",
  script: '</script><script>window.__pwned = "script"</script>',
  formula: '=HYPERLINK("http://attacker.example/","fix")',
  command: "-2+3+cmd|' /C calc'!A0",
} as const;

const PERIOD = { start: "2026-11-01", end: "2026-11-28" } as const;

/** 27 days of spend: a base rate, a weekday wobble, and a factor from a given day on. */
function series(base: number, opts: { from?: number; factor?: number; credit?: number } = {}) {
  const daily: DailyAmount[] = [];
  for (let day = 1; day <= 27; day++) {
    const wobble = [1, 1.08, 0.96, 1.04, 0.92, 0.7, 0.66][day % 7]!;
    let amount = base * wobble * (opts.from !== undefined && day >= opts.from ? opts.factor! : 1);
    if (opts.credit !== undefined && day === 12) amount -= opts.credit;
    daily.push({
      date: `2026-11-${String(day).padStart(2, "0")}`,
      amount: Math.round(amount * 100) / 100,
    });
  }
  return daily;
}

const total = (daily: readonly DailyAmount[]) =>
  Math.round(daily.reduce((sum, d) => sum + d.amount * 100, 0)) / 100;

function workflow(
  fields: Omit<
    WorkflowReport,
    "spend" | "fullyLoaded" | "costPerItem" | "budgetUsed" | "attribution" | "outcomes" | "models"
  > & {
    readonly outcomes?: WorkflowReport["outcomes"];
    readonly models?: WorkflowReport["models"];
    readonly spendByService: Readonly<Record<string, number>>;
    /** Share of the spend attributed by the caller's principal tag (default none). */
    readonly principalShare?: number;
  },
): WorkflowReport {
  const { principalShare = 0, ...rest } = fields;
  const spend = total(fields.daily);
  const fullyLoaded = Math.round((spend + fields.reviewCost) * 100) / 100;
  const principalTag = Math.round(spend * principalShare * 100) / 100 || 0;
  return {
    outcomes: null,
    models: [],
    ...rest,
    spend,
    attribution: { resourceTag: Math.round((spend - principalTag) * 100) / 100 || 0, principalTag },
    budgetUsed: fields.budget === null ? null : spend / fields.budget,
    fullyLoaded,
    costPerItem: fields.items === null || fields.items === 0 ? null : fullyLoaded / fields.items,
  };
}

const supportDaily = series(38, { from: 20, factor: 2.1 });
const contractDaily = series(27.5);
const invoiceDaily = series(4.2, { credit: 25 });
const memoDaily = series(0.9, { credit: 40 });
const fraudDaily = series(0);

const round = (n: number) => Math.round(n * 100) / 100;
const UNOWNED_SPEND = 210.44;
const UNREGISTERED_SPEND = 96.3 + 41.7 + 12.5 + 7.25 + 3.1 + 1.05;
const attributed = round(
  [supportDaily, contractDaily, invoiceDaily, memoDaily, fraudDaily].reduce(
    (s, d) => s + total(d),
    0,
  ),
);
const aiSpend = round(attributed + UNOWNED_SPEND + UNREGISTERED_SPEND);

/** support-triage's model calls through its role (75%), and two unregistered caller tags. */
const PRINCIPAL_SPEND = round(round(total(supportDaily) * 0.75) + 96.3 + 7.25);

export const FIXTURE_REPORT: Report = {
  period: PERIOD,
  generatedAt: "2026-11-28T06:00:12.345Z",
  currency: "USD",
  metric: "UnblendedCost",
  source: "cost-explorer",
  ceRequests: 3,
  workflows: [
    workflow({
      id: "support-triage",
      owner: "dana@example.com",
      stage: "run-rate",
      daily: supportDaily,
      principalShare: 0.75,
      spendByService: { "Amazon Bedrock": total(supportDaily) - 112.4, "Amazon CloudWatch": 112.4 },
      lastMonthSpend: 903.18,
      projectedSpend: 1874.6,
      budget: 1200,
      growth: 2.04,
      reviewCost: 13104,
      reviewCostBasis: "measured",
      items: 30240,
      flags: [
        {
          kind: "over-budget",
          severity: "critical",
          message: "support-triage has spent 102% of its 1,200.00 USD monthly budget.",
        },
        {
          kind: "growth",
          severity: "warning",
          message: "support-triage spent 2.0x in the last 7 days what it spent the 7 days before.",
        },
      ],
    }),
    workflow({
      id: "contract-review",
      owner: "priya@example.com",
      stage: "run-rate",
      daily: contractDaily,
      spendByService: {
        "Claude Sonnet 4.5 (Amazon Bedrock Edition)": total(contractDaily),
      },
      lastMonthSpend: 588.4,
      projectedSpend: 741.3,
      budget: 700,
      growth: 1.01,
      reviewCost: 9100,
      reviewCostBasis: "estimated",
      items: 1400,
      flags: [
        {
          kind: "forecast-over-budget",
          severity: "warning",
          message:
            "contract-review is projected to reach 741.30 USD by month end, above its 700.00 USD budget.",
        },
      ],
    }),
    workflow({
      id: "invoice-matching",
      owner: "dana@example.com",
      stage: "run-rate",
      daily: invoiceDaily,
      spendByService: { "Amazon Bedrock": total(invoiceDaily) + 25, "Amazon Textract": -25 },
      lastMonthSpend: 122.9,
      projectedSpend: 86.27,
      budget: 300,
      growth: 0.98,
      reviewCost: 420,
      reviewCostBasis: "estimated",
      items: 5200,
      flags: [],
    }),
    workflow({
      id: "memo-pilot",
      owner: "sam@example.com",
      stage: "learning",
      daily: memoDaily,
      spendByService: { "Amazon Bedrock": total(memoDaily) + 40, Refund: -40 },
      lastMonthSpend: 18.75,
      projectedSpend: -20.02,
      budget: null,
      growth: null,
      reviewCost: 0,
      reviewCostBasis: "estimated",
      items: null,
      flags: [
        {
          kind: "past-review-date",
          severity: "critical",
          message:
            "memo-pilot passed its review date 2026-10-31 and is still spending: renew or retire it.",
        },
      ],
    }),
    workflow({
      id: "fraud-screening",
      owner: "lee@example.com",
      stage: "run-rate",
      daily: fraudDaily,
      spendByService: {},
      lastMonthSpend: 64.2,
      projectedSpend: 0,
      budget: 150,
      growth: null,
      reviewCost: 0,
      reviewCostBasis: "measured",
      items: 0,
      flags: [
        {
          kind: "no-spend",
          severity: "info",
          message: "fraud-screening is registered but no spend carries its tag: check its tagging.",
        },
      ],
    }),
  ],
  unowned: {
    spend: UNOWNED_SPEND,
    byService: {
      "Amazon Bedrock": 150.4,
      "Amazon SageMaker": 48.2,
      "Claude Haiku 4.5 (Amazon Bedrock Edition)": 11.84,
    },
  },
  unregistered: [
    {
      value: "Support-Triage",
      spend: 96.3,
      suggestion: "support-triage",
      caseOnly: true,
      route: "principalTag",
    },
    {
      value: "contract-reveiw",
      spend: 41.7,
      suggestion: "contract-review",
      caseOnly: false,
      route: "resourceTag",
    },
    {
      value: INJECTION.markup,
      spend: 12.5,
      suggestion: null,
      caseOnly: false,
      route: "resourceTag",
    },
    {
      value: INJECTION.script,
      spend: 7.25,
      suggestion: null,
      caseOnly: false,
      route: "principalTag",
    },
    {
      value: INJECTION.formula,
      spend: 3.1,
      suggestion: null,
      caseOnly: false,
      route: "resourceTag",
    },
    {
      value: INJECTION.command,
      spend: 1.05,
      suggestion: null,
      caseOnly: false,
      route: "resourceTag",
    },
  ],
  totals: {
    spend: round(aiSpend + 3642.11),
    aiSpend,
    attributedShare: attributed / aiSpend,
    byStage: {
      "run-rate": round(attributed - total(memoDaily)),
      learning: total(memoDaily),
    },
  },
  teams: [],
  attribution: {
    resourceTag: round(aiSpend - UNOWNED_SPEND - PRINCIPAL_SPEND),
    principalTag: PRINCIPAL_SPEND,
    none: UNOWNED_SPEND,
    conflicts: [
      { resourceTag: "support-triage", principalTag: "invoice-matching", spend: 42.18 },
      { resourceTag: "contract-drafting", principalTag: INJECTION.formula, spend: 3.4 },
    ],
  },
  flags: [
    {
      kind: "unowned-share",
      severity: "warning",
      message:
        "14.7% of AI spend has no registered owner (limit 5%): it was sent to finops@example.com.",
    },
    {
      kind: "estimated-data",
      severity: "info",
      message: "November's figures are estimated by AWS and may still change.",
    },
  ],
};

/**
 * The same report as it comes from CUR: the query's figures, an unread usage type, and models
 * per workflow (one with an injection for a name, one with credits only).
 */
export const CUR_FIXTURE_REPORT: CurReport = {
  ...FIXTURE_REPORT,
  source: "cur",
  engine: "athena",
  ceRequests: 0,
  query: { engine: "athena", bytesScanned: 52_428_800, cost: 0.000238 },
  // The unowned AI spend by caller (an untagged gateway role, an injection for a name) and by
  // resource (SageMaker's endpoint); Bedrock's on-demand lines name no resource.
  unownedBy: {
    principals: [
      { principal: "arn:aws:sts::111122223333:assumed-role/ai-gateway/s1", spend: 150.4 },
      { principal: INJECTION.markup, spend: 11.84 },
    ],
    principalsRest: { count: 0, spend: 0 },
    withoutPrincipal: 48.2,
    resources: [
      {
        resourceId: "arn:aws:sagemaker:us-east-1:111122223333:endpoint/triage-eval",
        service: "Amazon SageMaker",
        spend: 48.2,
      },
    ],
    resourcesRest: { count: 0, spend: 0 },
    withoutResource: round(150.4 + 11.84),
  },
  unknownUsageTypes: [
    {
      usageType: "USE1-MP:USE1_Mystery_tokens-Units",
      service: INJECTION.markup,
      reason: 'token class not understood in "Mystery_tokens"',
      lineItems: 4,
      spend: 12.5,
    },
  ],
  workflows: FIXTURE_REPORT.workflows.map((w, i) => ({
    ...w,
    models:
      i === 0
        ? [
            {
              model: "Claude Sonnet 4.5",
              spend: 900.25,
              inputTokens: 210_000_000,
              outputTokens: 30_000_000,
              cacheReadTokens: 50_000_000,
              cacheWriteTokens: 4_000_000,
              costPerMillionTokens: 3.062075,
            },
            {
              model: "Nova2.0Lite",
              spend: 120.5,
              inputTokens: 1_500_000_000,
              outputTokens: 400_000_000,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              costPerMillionTokens: 0.063421,
            },
          ]
        : i === 1
          ? [
              {
                model: INJECTION.script,
                spend: 300,
                inputTokens: 100_000_000,
                outputTokens: 0,
                cacheReadTokens: 0,
                cacheWriteTokens: 0,
                costPerMillionTokens: 3,
              },
              {
                model: "Claude Sonnet 4.5",
                spend: -5,
                inputTokens: 0,
                outputTokens: 0,
                cacheReadTokens: 0,
                cacheWriteTokens: 0,
                costPerMillionTokens: null,
              },
            ]
          : [],
  })),
};

/**
 * The CUR report with outcome economics and the account checks: support-triage measured per
 * model (the cheap model dearer per accepted outcome, its flag), contract-review estimated (with
 * the reason), invoice-matching with nothing accepted, memo-pilot's metrics unreadable, the
 * others without outcomes; a team absorbing another owner's review; and an `audit` and a
 * `health` section whose ARNs, owners and messages carry attack strings.
 */
const perAccepted = (spend: number, human: number, accepted: number) =>
  Math.round(((Math.max(0, spend) + human) / accepted) * 1e6) / 1e6;

export const OUTCOMES_FIXTURE_REPORT: CurReport = {
  ...CUR_FIXTURE_REPORT,
  workflows: CUR_FIXTURE_REPORT.workflows.map((w) => {
    switch (w.id) {
      case "support-triage":
        return {
          ...w,
          outcomes: {
            basis: "measured",
            basisReason: null,
            accepted: 25_000,
            reworked: 3_000,
            escalated: 500,
            reviewCost: 13_104,
            reworkCost: 1_950,
            exceptionCost: 15_000,
            costPerAccepted: perAccepted(w.spend, 13_104 + 1_950 + 15_000, 25_000),
          },
          models: [
            {
              ...w.models[0]!,
              accepted: 20_000,
              reworked: 1_000,
              escalated: 300,
              reviewCost: 9_800,
              reworkCost: 650,
              exceptionCost: 9_000,
              costPerAccepted: 1.0175,
            },
            {
              ...w.models[1]!,
              accepted: 5_000,
              reworked: 2_000,
              escalated: 200,
              reviewCost: 3_304,
              reworkCost: 1_300,
              exceptionCost: 6_000,
              costPerAccepted: 2.1449,
            },
          ],
          flags: [
            ...w.flags,
            {
              kind: "cheap-model-dearer",
              severity: "warning",
              message:
                "Nova2.0Lite has the lowest cost per million tokens (0.06 USD against 3.06 USD), but Claude Sonnet 4.5 has the lowest cost per accepted outcome.",
            },
          ],
        };
      case "contract-review":
        return {
          ...w,
          outcomes: {
            basis: "estimated",
            basisReason: `the registry names no outcome metrics: estimated from outcomes.expected ${INJECTION.markup}`,
            accepted: 1_190,
            reworked: 140,
            escalated: 70,
            reviewCost: 9_100,
            reworkCost: 910,
            exceptionCost: 2_100,
            costPerAccepted: perAccepted(w.spend, 9_100 + 910 + 2_100, 1_190),
          },
        };
      case "invoice-matching":
        return {
          ...w,
          outcomes: {
            basis: "measured",
            basisReason: null,
            accepted: 0,
            reworked: 10,
            escalated: 0,
            reviewCost: 420,
            reworkCost: 6.5,
            exceptionCost: 0,
            costPerAccepted: null,
          },
          flags: [
            ...w.flags,
            {
              kind: "nothing-accepted",
              severity: "warning",
              message:
                "No output was accepted this month (measured) although it cost 426.50 USD with its human time.",
            },
          ],
        };
      case "memo-pilot":
        return {
          ...w,
          flags: [
            ...w.flags,
            {
              kind: "outcomes-unmeasured",
              severity: "warning",
              message:
                "No outcome figures this month: the metric Memo/Accepted has no data points.",
            },
          ],
        };
      default:
        return w;
    }
  }),
  teams: [
    {
      team: "support-ops",
      absorbs: 2_515.5,
      workflows: [
        {
          id: "invoice-matching",
          owner: "dana@example.com",
          review: 420,
          rework: 6.5,
          exceptions: 0,
        },
        {
          id: "contract-review",
          owner: "priya@example.com",
          review: 1_800,
          rework: 289,
          exceptions: 0,
        },
      ],
    },
    {
      team: "tier2-support",
      absorbs: 2_100,
      workflows: [
        {
          id: "contract-review",
          owner: "priya@example.com",
          review: 0,
          rework: 0,
          exceptions: 2_100,
        },
      ],
    },
  ],
  audit: {
    source: "tagging-api",
    complete: false,
    resources: 7,
    unrecognised: 1,
    iacChecked: true,
    needsAction: [
      {
        arn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${INJECTION.script}`,
        type: "aws:sagemaker/endpoint:Endpoint",
        region: "us-east-1",
        owner: null,
        outsideIac: true,
        findings: [
          {
            policy: "ai-resource-tags",
            enforcement: "mandatory",
            message: "The endpoint has no workflow tag.",
          },
        ],
      },
      {
        arn: "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123",
        type: "aws:bedrock/inferenceProfile:InferenceProfile",
        region: "us-west-2",
        owner: INJECTION.markup,
        outsideIac: false,
        findings: [
          {
            policy: "ai-workflow-registered",
            enforcement: "mandatory",
            message: `Workflow tag "${INJECTION.formula}" is not registered.`,
          },
        ],
      },
    ],
    notes: [
      "Inventory from the Resource Groups Tagging API: it returns only resources that carry tags or once did",
      "eu-west-3: could not check: tag:GetResources denied",
    ],
  },
  health: {
    complete: false,
    items: [
      {
        check: "tag-activation",
        status: "ok",
        subject: "workflow",
        message: "Active since 2026-01-03.",
        fix: null,
      },
      {
        check: "tag-activation",
        status: "error",
        subject: "iamPrincipal/workflow",
        message: "The principal tag key is inactive: spend by the caller's tag is invisible.",
        fix: "aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=iamPrincipal/workflow,Status=Active",
      },
      {
        check: "invokers",
        status: "warning",
        subject: `arn:aws:iam::123456789012:role/${INJECTION.markup}`,
        message: "May invoke Bedrock but carries no workflow tag.",
        fix: "aws iam tag-role --role-name gateway --tags Key=workflow,Value=<workflow>",
      },
      {
        check: "cur-export",
        status: "unchecked",
        subject: "CUR export",
        message: "could not check: bcm-data-exports:GetExport denied",
        fix: null,
      },
    ],
  },
};
