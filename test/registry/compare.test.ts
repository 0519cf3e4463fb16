import { describe, expect, it } from "vitest";
import { compareRegistries, formatProblem, parseRegistry } from "../../src/registry";

const BASE = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  support-triage:
    description: Draft replies
    owner: dana@example.com
    stage: run-rate
    reviewBy: 2026-12-31
    risk: medium
    budget: { monthly: 1000 }
  memo-pilot:
    description: Board memo experiment
    owner: sam@example.com
    stage: learning
    reviewBy: 2026-12-15
    risk: low
`;

const RENEWAL = (decision: string, until: string) => `    renewals:
      - date: 2026-12-01
        decision: ${decision}
        until: ${until}
        result: "Replies in 25 min"
        lesson: "Haiku needs more rework"
        decidedBy: cfo@example.com
`;

const insertAfter = (text: string, anchor: string, extra: string) => {
  if (!text.includes(anchor)) throw new Error(`no ${anchor}`);
  return text.replace(anchor, `${anchor}\n${extra.replace(/\n$/, "")}`);
};

function changes(head: string) {
  const result = compareRegistries(
    parseRegistry(BASE, "base.yaml"),
    parseRegistry(head, "workflows.yaml"),
    head,
  );
  return { errors: result.errors.map(formatProblem), notices: result.notices.map(formatProblem) };
}

interface Case {
  readonly name: string;
  readonly head: string;
  readonly errors: readonly string[];
  readonly notices?: readonly string[];
}

const cases: Case[] = [
  { name: "an unchanged registry", head: BASE, errors: [] },
  {
    name: "reviewBy moved later without a renewal",
    head: BASE.replace("reviewBy: 2026-12-31", "reviewBy: 2027-06-30"),
    errors: [
      "workflows.yaml:10:15  workflows.support-triage.reviewBy: moved from 2026-12-31 to 2027-06-30 without a renewal",
    ],
  },
  {
    name: "reviewBy moved later with a new renewal to that date",
    head: insertAfter(
      BASE.replace("reviewBy: 2026-12-31", "reviewBy: 2027-06-30"),
      "    budget: { monthly: 1000 }",
      RENEWAL("renew", "2027-06-30"),
    ),
    errors: [],
  },
  {
    name: "reviewBy moved earlier",
    head: BASE.replace("reviewBy: 2026-12-31", "reviewBy: 2026-12-20"),
    errors: [],
  },
  {
    name: "learning turned run-rate without a graduate renewal",
    head: insertAfter(
      BASE.replace("stage: learning", "stage: run-rate").replace(
        "reviewBy: 2026-12-15",
        "reviewBy: 2027-03-31",
      ),
      "    risk: low",
      `    budget: { monthly: 200 }\n${RENEWAL("renew", "2027-03-31")}`,
    ),
    errors: [
      "workflows.yaml:16:12  workflows.memo-pilot.stage: turned from learning to run-rate without a graduate renewal",
    ],
  },
  {
    name: "learning turned run-rate with a graduate renewal",
    head: insertAfter(
      BASE.replace("stage: learning", "stage: run-rate").replace(
        "reviewBy: 2026-12-15",
        "reviewBy: 2027-03-31",
      ),
      "    risk: low",
      `    budget: { monthly: 200 }\n${RENEWAL("graduate", "2027-03-31")}`,
    ),
    errors: [],
  },
  {
    name: "a budget raised by more than half without a renewal",
    head: BASE.replace("monthly: 1000", "monthly: 1501"),
    errors: [
      "workflows.yaml:12:24  workflows.support-triage.budget.monthly: raised from 1000 to 1501 (+50%, more than 50%) without a renewal",
    ],
  },
  {
    name: "a budget raised by exactly half",
    head: BASE.replace("monthly: 1000", "monthly: 1500"),
    errors: [],
  },
  {
    name: "an owner change (reported, not an error)",
    head: BASE.replace("owner: dana@example.com", "owner: lee@example.com"),
    errors: [],
    notices: [
      "workflows.yaml:8:12  workflows.support-triage.owner: owner changes from dana@example.com to lee@example.com",
    ],
  },
  {
    name: "a new workflow (nothing to compare)",
    head: `${BASE}  new-one:\n    description: New\n    owner: a@example.com\n    stage: learning\n    reviewBy: 2030-01-01\n    risk: low\n`,
    errors: [],
  },
];

describe("compareRegistries: a change against the version it replaces", () => {
  for (const c of cases) {
    it(`${c.name}`, () => {
      const found = changes(c.head);
      expect(found.errors).toHaveLength(c.errors.length);
      c.errors.forEach((prefix, i) => expect(found.errors[i]).toContain(prefix));
      expect(found.notices).toHaveLength(c.notices?.length ?? 0);
      (c.notices ?? []).forEach((prefix, i) => expect(found.notices[i]).toContain(prefix));
    });
  }
});
