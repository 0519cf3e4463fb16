import { describe, expect, it } from "vitest";
import { parseRegistry } from "../../src/registry";
import { problemsOf } from "./registry-text";

/** A valid registry using every outcome field; each case below breaks one thing in it. */
const VALID = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  support-triage:
    description: Draft replies to tickets
    owner: dana@example.com
    team: support-eng
    stage: run-rate
    reviewBy: 2027-03-31
    risk: medium
    budget: { monthly: 1200 }
    volume: { itemsPerMonth: 30000 }
    outcomes:
      metrics: { namespace: Support/Triage, accepted: RepliesAccepted, reworked: RepliesReworked, escalated: TicketsEscalated, modelDimension: ModelId }
      expected: { acceptedShare: 0.85, reworkShare: 0.10, escalationShare: 0.05 }
    review:
      reviewer: support-lead@example.com
      team: support-ops
      share: 0.2
      minutesPerItem: 2
      reworkMinutes: 6
      hourlyRate: 65
    exceptions:
      minutesPerItem: 20
      hourlyRate: 90
      team: tier2-support
    triggers:
      reviewQueue: { metric: { namespace: Support/Triage, name: ReviewQueueDepth }, max: 200, growth: 2 }
      unitPrice: 0.1
      reworkMargin: 0.05
    renewals:
      - date: 2026-09-30
        decision: renew
        until: 2027-03-31
        result: "Median first reply fell from 4 h to 25 min"
        lesson: "Haiku needed 3x the rework of Sonnet on refund tickets"
        decidedBy: cfo@example.com
`;

const replace = (from: string, to: string) => {
  if (!VALID.includes(from)) throw new Error(`case does not apply: ${from}`);
  return VALID.replace(from, to);
};

describe("registry: outcomes, review team, exceptions, triggers and renewals", () => {
  it("reads every field into the typed workflow", () => {
    const [w] = parseRegistry(VALID, "workflows.yaml").workflows;
    expect(w?.team).toBe("support-eng");
    expect(w?.outcomes?.metrics?.accepted).toBe("RepliesAccepted");
    expect(w?.outcomes?.metrics?.modelDimension).toBe("ModelId");
    expect(w?.outcomes?.expected).toEqual({
      acceptedShare: 0.85,
      reworkShare: 0.1,
      escalationShare: 0.05,
    });
    expect(w?.review).toMatchObject({ team: "support-ops", reworkMinutes: 6 });
    expect(w?.exceptions).toEqual({ minutesPerItem: 20, hourlyRate: 90, team: "tier2-support" });
    expect(w?.triggers).toMatchObject({ unitPrice: 0.1, reworkMargin: 0.05 });
    expect(w?.triggers.reviewQueue).toEqual({
      metric: { namespace: "Support/Triage", name: "ReviewQueueDepth" },
      max: 200,
      growth: 2,
    });
    expect(w?.renewals).toHaveLength(1);
    expect(w?.renewals[0]?.decision).toBe("renew");
  });

  it("gives a workflow without renewals an empty list", () => {
    const text = VALID.slice(0, VALID.indexOf("    renewals:"));
    expect(parseRegistry(text, "workflows.yaml").workflows[0]?.renewals).toEqual([]);
  });

  const cases: { name: string; text: string; at: string; message: string }[] = [
    {
      name: "expected shares summing above 1",
      text: replace("escalationShare: 0.05", "escalationShare: 0.15"),
      at: "workflows.yaml:17:17  workflows.support-triage.outcomes.expected: ",
      message: "shares sum to 1.1, above 1",
    },
    {
      name: "a share outside 0..1",
      text: replace("acceptedShare: 0.85", "acceptedShare: 1.5"),
      at: "workflows.yaml:17:34  workflows.support-triage.outcomes.expected.acceptedShare: ",
      message: "must be between 0 and 1",
    },
    {
      name: "a negative rework time",
      text: replace("reworkMinutes: 6", "reworkMinutes: -6"),
      at: "workflows.yaml:23:22  workflows.support-triage.review.reworkMinutes: ",
      message: "must be >= 0",
    },
    {
      name: "a negative exception rate",
      text: replace("hourlyRate: 90", "hourlyRate: -90"),
      at: "workflows.yaml:27:19  workflows.support-triage.exceptions.hourlyRate: ",
      message: "must be >= 0",
    },
    {
      name: "a team that is not kebab-case",
      text: replace("team: tier2-support", "team: Tier2 Support"),
      at: "workflows.yaml:28:13  workflows.support-triage.exceptions.team: ",
      message:
        '"Tier2 Support" must be lowercase kebab-case (letters, digits and single hyphens), e.g. "tier2-support"',
    },
    {
      name: "exceptions without a team",
      text: replace("      team: tier2-support\n", ""),
      at: "workflows.yaml:25:5  workflows.support-triage.exceptions.team: ",
      message: "is required: add the team that pays for escalated items",
    },
    {
      name: "outcomes with neither metrics nor expected",
      text: replace(
        VALID.slice(VALID.indexOf("    outcomes:"), VALID.indexOf("    review:")),
        "    outcomes: {}\n",
      ),
      at: "workflows.yaml:15:15  workflows.support-triage.outcomes: ",
      message: "names neither metrics nor expected",
    },
    {
      name: "expected outcomes without a volume",
      text: replace("    volume: { itemsPerMonth: 30000 }\n", ""),
      at: "workflows.yaml:16:17  workflows.support-triage.outcomes.expected: ",
      message: "the workflow has no volume",
    },
    {
      name: "rework counted with no rework minutes",
      text: replace("      reworkMinutes: 6\n", ""),
      at: "workflows.yaml:19:7  workflows.support-triage.review: ",
      message: "reworkMinutes: <minutes to redo one output>",
    },
    {
      name: "escalations counted with no exception path",
      text: replace(
        VALID.slice(VALID.indexOf("    exceptions:"), VALID.indexOf("    triggers:")),
        "",
      ),
      at: "workflows.yaml:7:5  workflows.support-triage: ",
      message: "add `exceptions: { minutesPerItem, hourlyRate, team }`",
    },
    {
      name: "a review queue trigger with no limit",
      text: replace(", max: 200, growth: 2 }", " }"),
      at: "workflows.yaml:30:20  workflows.support-triage.triggers.reviewQueue: ",
      message: "neither max nor growth",
    },
    {
      name: "a rework margin with nothing expected to compare",
      text: replace(", reworkShare: 0.10", ""),
      at: "workflows.yaml:32:21  workflows.support-triage.triggers.reworkMargin: ",
      message: "needs both `outcomes.metrics.reworked` and `outcomes.expected.reworkShare`",
    },
    {
      name: "a unit price share of zero",
      text: replace("unitPrice: 0.1", "unitPrice: 0"),
      at: "workflows.yaml:31:18  workflows.support-triage.triggers.unitPrice: ",
      message: "must be greater than 0",
    },
    {
      name: "a renewal that ends before it starts",
      text: replace("until: 2027-03-31", "until: 2026-09-01").replace(
        "reviewBy: 2027-03-31",
        "reviewBy: 2026-09-01",
      ),
      at: "workflows.yaml:36:16  workflows.support-triage.renewals[0].until: ",
      message: "2026-09-01 is before the renewal's date 2026-09-30",
    },
    {
      name: "a review date the latest renewal did not set",
      text: replace("reviewBy: 2027-03-31", "reviewBy: 2027-09-30"),
      at: "workflows.yaml:11:15  workflows.support-triage.reviewBy: ",
      message: "must equal the latest renewal's until (2027-03-31, renewals[0])",
    },
    {
      name: "an empty lesson",
      text: replace('"Haiku needed 3x the rework of Sonnet on refund tickets"', '"  "'),
      at: "workflows.yaml:38:17  workflows.support-triage.renewals[0].lesson: ",
      message: "must not be empty: one cost lesson learned",
    },
    {
      name: "an unknown decision",
      text: replace("decision: renew", "decision: extend"),
      at: "workflows.yaml:35:19  workflows.support-triage.renewals[0].decision: ",
      message: "must be renew, graduate (learning -> run-rate) or retire",
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const problems = problemsOf(c.text);
      const found = problems.find((p) => p.startsWith(c.at));
      expect(found, `no problem at ${c.at} in:\n${problems.join("\n")}`).toBeDefined();
      expect(found).toContain(c.message);
    });
  }
});
