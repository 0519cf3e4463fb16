import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cheapModelFinding,
  costPerAccepted,
  marketplaceModelSpend,
  modelEconomics,
  outcomeQueries,
  outcomeQueryId,
  readOutcomes,
  teamsAbsorbing,
  workflowOutcomes,
} from "../../src/reconciler";
import type { MetricResult, ModelSpend, OutcomeCounts } from "../../src/reconciler";
import { parseRegistry } from "../../src/registry";
import type { Workflow } from "../../src/registry";

const registryOf = (workflowYaml: string) =>
  parseRegistry(
    `version: 1
settings: { currency: USD, unownedSpendContact: finops@example.com }
workflows:
${workflowYaml}`,
    "workflows.yaml",
  );

const SUPPORT = `  support-triage:
    description: Draft replies
    owner: dana@example.com
    team: support-eng
    stage: run-rate
    risk: medium
    budget: { monthly: 5000 }
    volume: { itemsPerMonth: 1000 }
    outcomes:
      metrics: { namespace: Support/Triage, accepted: Accepted, reworked: Reworked, escalated: Escalated, modelDimension: ModelId }
      expected: { acceptedShare: 0.8, reworkShare: 0.15, escalationShare: 0.05 }
    review: { team: support-ops, share: 0.5, minutesPerItem: 2, reworkMinutes: 6, hourlyRate: 60 }
    exceptions: { minutesPerItem: 20, hourlyRate: 90, team: tier2-support }
`;

const support = (): Workflow => registryOf(SUPPORT).workflows[0]!;

const series = (byModel: Record<string, number[]>): MetricResult => ({
  kind: "read",
  series: Object.entries(byModel).map(([label, values]) => ({
    label,
    points: values.map((value, i) => ({
      date: `2026-11-${String(i + 1).padStart(2, "0")}`,
      value,
    })),
  })),
});

function results(entries: Partial<Record<"accepted" | "reworked" | "escalated", MetricResult>>) {
  return new Map(
    Object.entries(entries).map(([kind, result]) => [
      outcomeQueryId("support-triage", kind as "accepted"),
      result,
    ]),
  );
}

describe("outcome economics", () => {
  it("asks for one daily Sum per named outcome metric, split by the model dimension", () => {
    const queries = outcomeQueries([support()]);
    expect(queries.map((q) => [q.id, q.name, q.stat, q.splitBy])).toEqual([
      ["outcome:support-triage:accepted", "Accepted", "Sum", "ModelId"],
      ["outcome:support-triage:reworked", "Reworked", "Sum", "ModelId"],
      ["outcome:support-triage:escalated", "Escalated", "Sum", "ModelId"],
    ]);
  });

  it("measures outcomes from the series, per model and in all", () => {
    const reading = readOutcomes(
      support(),
      results({
        accepted: series({ haiku: [100, 200], sonnet: [300] }),
        reworked: series({ haiku: [90] }),
        escalated: { kind: "read", series: [] },
      }),
    );
    expect(reading).toEqual({
      kind: "measured",
      counts: { accepted: 600, reworked: 90, escalated: 0 },
      byModel: new Map([
        ["haiku", { accepted: 300, reworked: 90, escalated: 0 }],
        ["sonnet", { accepted: 300, reworked: 0, escalated: 0 }],
      ]),
    });
  });

  it("prices review, rework and exceptions, and divides the whole by accepted outcomes", () => {
    const { outcomes, flags } = workflowOutcomes({
      workflow: support(),
      spend: 100,
      items: 1000,
      reviewCost: 500, // 1000 x 0.5 x 2 / 60 x 60
      reading: {
        kind: "measured",
        counts: { accepted: 800, reworked: 150, escalated: 50 },
        byModel: new Map(),
      },
      currency: "USD",
    });
    expect(outcomes).toEqual({
      basis: "measured",
      basisReason: null,
      accepted: 800,
      reworked: 150,
      escalated: 50,
      reviewCost: 500,
      reworkCost: 900, // 150 x 6 / 60 x 60
      exceptionCost: 1500, // 50 x 20 / 60 x 90
      costPerAccepted: 3.75, // (100 + 500 + 900 + 1500) / 800
    });
    expect(flags).toEqual([]);
  });

  it("falls back to the expected shares when the accepted metric has no data, and says why", () => {
    const { outcomes } = workflowOutcomes({
      workflow: support(),
      spend: 100,
      items: 500,
      reviewCost: 250,
      reading: readOutcomes(support(), results({ accepted: { kind: "read", series: [] } })),
      currency: "USD",
    });
    expect(outcomes?.basis).toBe("estimated");
    expect(outcomes?.basisReason).toBe(
      "Support/Triage/Accepted has no data points this month: estimated from outcomes.expected",
    );
    expect([outcomes?.accepted, outcomes?.reworked, outcomes?.escalated]).toEqual([400, 75, 25]);
  });

  it("names the failed read in the basis, and keeps all three counts on one basis", () => {
    const reading = readOutcomes(
      support(),
      results({
        accepted: series({ haiku: [10] }),
        reworked: { kind: "failed", reason: "AccessDenied" },
      }),
    );
    expect(reading).toEqual({
      kind: "unmeasured",
      reason: "reading Support/Triage/Reworked failed: AccessDenied",
    });
  });

  it("flags a workflow whose outcomes cannot be had at all", () => {
    const workflow = registryOf(`  w1:
    description: d
    owner: a@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 10 }
    outcomes: { metrics: { namespace: N, accepted: A } }
`).workflows[0]!;
    const { outcomes, flags } = workflowOutcomes({
      workflow,
      spend: 5,
      items: null,
      reviewCost: 0,
      reading: { kind: "unmeasured", reason: "reading N/A failed: throttled" },
      currency: "USD",
    });
    expect(outcomes).toBeNull();
    expect(flags.map((f) => [f.kind, f.message])).toEqual([
      [
        "outcomes-unmeasured",
        expect.stringContaining(
          "reading N/A failed: throttled, and outcomes.expected gives no estimate",
        ),
      ],
    ]);
  });

  it("has no cost per accepted outcome when nothing was accepted, and flags the spend", () => {
    const { outcomes, flags } = workflowOutcomes({
      workflow: support(),
      spend: 40,
      items: 10,
      reviewCost: 5,
      reading: {
        kind: "measured",
        counts: { accepted: 0, reworked: 10, escalated: 0 },
        byModel: new Map(),
      },
      currency: "USD",
    });
    expect(outcomes?.costPerAccepted).toBeNull();
    expect(flags.map((f) => f.kind)).toEqual(["nothing-accepted"]);
    expect(flags[0]?.message).toContain("105.00 USD"); // 40 + 5 + 10 x 6 / 60 x 60
  });

  it("never makes an accepted outcome negative from credits alone (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (spend, human, accepted) => {
          const value = costPerAccepted(spend, human, accepted);
          if (accepted === 0) return value === null;
          return value !== null && value >= 0 && (spend > 0 || value <= human / accepted + 1e-6);
        },
      ),
    );
  });
});

describe("who absorbs the human cost", () => {
  it("charges review and rework to the review team and escalations to the exception team", () => {
    const teams = teamsAbsorbing([
      { workflow: support(), review: 500, rework: 900, exceptions: 1500 },
    ]);
    expect(teams).toEqual([
      {
        team: "tier2-support",
        absorbs: 1500,
        workflows: [
          {
            id: "support-triage",
            owner: "dana@example.com",
            review: 0,
            rework: 0,
            exceptions: 1500,
          },
        ],
      },
      {
        team: "support-ops",
        absorbs: 1400,
        workflows: [
          {
            id: "support-triage",
            owner: "dana@example.com",
            review: 500,
            rework: 900,
            exceptions: 0,
          },
        ],
      },
    ]);
  });

  it("leaves out the time a team spends on its own workflows", () => {
    const own = registryOf(SUPPORT.replace("team: support-eng", "team: support-ops")).workflows[0]!;
    const teams = teamsAbsorbing([{ workflow: own, review: 500, rework: 900, exceptions: 0 }]);
    expect(teams).toEqual([]);
  });
});

describe("outcome economics per model", () => {
  const model = (name: string, spend: number, perMillion: number | null): ModelSpend => ({
    model: name,
    spend,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    costPerMillionTokens: perMillion,
  });

  it("names Marketplace models from their SERVICE values, and nothing else", () => {
    expect(
      marketplaceModelSpend({
        "Amazon Bedrock": 10,
        "Claude 3 Haiku (Amazon Bedrock Edition)": 4,
        "Claude Sonnet 4.5 (Amazon Bedrock Edition)": 9,
      }).map((m) => [m.model, m.spend]),
    ).toEqual([
      ["Claude 3 Haiku", 4],
      ["Claude Sonnet 4.5", 9],
    ]);
  });

  it("finds the cheap model that is dearer per accepted outcome, per 1,000", () => {
    const byModel = new Map<string, OutcomeCounts>([
      ["haiku", { accepted: 500, reworked: 300, escalated: 50 }],
      ["sonnet", { accepted: 900, reworked: 50, escalated: 10 }],
    ]);
    const outcomes = workflowOutcomes({
      workflow: support(),
      spend: 300,
      items: 1810,
      reviewCost: 905,
      reading: {
        kind: "measured",
        counts: { accepted: 1400, reworked: 350, escalated: 60 },
        byModel,
      },
      currency: "USD",
    }).outcomes;
    const models = modelEconomics(
      support(),
      [model("haiku", 40, 1.5), model("sonnet", 260, 9)],
      byModel,
      outcomes,
    );
    const haiku = models[0]!;
    const sonnet = models[1]!;
    // haiku: review 905 x 850/1810 = 425; rework 300 x 6 = 1800; exceptions 50 x 30 = 1500.
    expect(haiku).toMatchObject({ reviewCost: 425, reworkCost: 1800, exceptionCost: 1500 });
    expect("costPerAccepted" in haiku && haiku.costPerAccepted).toBe(7.53); // 3765 / 500
    expect("costPerAccepted" in sonnet && sonnet.costPerAccepted).toBe(1.488889); // (260 + 480 + 300 + 300) / 900
    const flag = cheapModelFinding(models, "USD");
    expect(flag?.kind).toBe("cheap-model-dearer");
    expect(flag?.message).toContain(
      "haiku has the lowest cost per million tokens (1.50 USD against 9.00 USD)",
    );
    expect(flag?.message).toContain(
      "1,000 accepted outcomes cost 7,530.00 USD with haiku and 1,488.89 USD with sonnet, 6,041.11 USD more",
    );
  });

  it("says nothing when the cheapest model is also the cheapest per accepted outcome", () => {
    const byModel = new Map<string, OutcomeCounts>([
      ["haiku", { accepted: 900, reworked: 0, escalated: 0 }],
      ["sonnet", { accepted: 900, reworked: 0, escalated: 0 }],
    ]);
    const outcomes = workflowOutcomes({
      workflow: support(),
      spend: 300,
      items: 1800,
      reviewCost: 0,
      reading: { kind: "measured", counts: { accepted: 1800, reworked: 0, escalated: 0 }, byModel },
      currency: "USD",
    }).outcomes;
    const models = modelEconomics(
      support(),
      [model("haiku", 40, 1.5), model("sonnet", 260, 9)],
      byModel,
      outcomes,
    );
    expect(cheapModelFinding(models, "USD")).toBeUndefined();
  });

  it("sums per-model human costs and spend to the workflow's, never negative from credits (property)", () => {
    const counts = fc.record({
      accepted: fc.integer({ min: 0, max: 10_000 }),
      reworked: fc.integer({ min: 0, max: 10_000 }),
      escalated: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(counts, fc.double({ min: -500, max: 5000, noNaN: true })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (entries, reviewCost) => {
          const byModel = new Map(entries.map(([c], i) => [`m${i}`, c]));
          const total = entries.reduce(
            (s, [c]) => ({
              accepted: s.accepted + c.accepted,
              reworked: s.reworked + c.reworked,
              escalated: s.escalated + c.escalated,
            }),
            { accepted: 0, reworked: 0, escalated: 0 },
          );
          const spend = entries.reduce((s, [, v]) => s + v, 0);
          const { outcomes } = workflowOutcomes({
            workflow: support(),
            spend,
            items: total.accepted + total.reworked + total.escalated,
            reviewCost,
            reading: { kind: "measured", counts: total, byModel },
            currency: "USD",
          });
          const models = modelEconomics(
            support(),
            entries.map(([, v], i) => model(`m${i}`, v, null)),
            byModel,
            outcomes,
          );
          const sum = (key: "reviewCost" | "reworkCost" | "exceptionCost" | "spend") =>
            models.reduce(
              (s, m) => s + (key in m ? (m as unknown as Record<string, number>)[key]! : 0),
              0,
            );
          const handled = total.accepted + total.reworked + total.escalated;
          const close = (a: number, b: number) =>
            Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
          return (
            close(sum("spend"), spend) &&
            close(sum("reviewCost"), handled > 0 ? reviewCost : 0) &&
            close(sum("reworkCost"), outcomes!.reworkCost) &&
            close(sum("exceptionCost"), outcomes!.exceptionCost) &&
            models.every(
              (m) =>
                !("costPerAccepted" in m) || m.costPerAccepted === null || m.costPerAccepted >= 0,
            )
          );
        },
      ),
    );
  });
});
