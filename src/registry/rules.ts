/**
 * Rules that span several fields of the registry. They read the raw YAML value defensively
 * (any field may have the wrong type, which the schema reports separately) so that one run
 * reports every problem in the file.
 */
import { globMatch } from "../util/glob";
import { daysBetween } from "../util/dates";
import { BEDROCK_GEO_PREFIXES, KNOWN_BEDROCK_MODEL_IDS } from "./bedrock-models";
import { DEFAULT_BUDGET_ALERTS, MAX_BUDGET_NOTIFICATIONS, REVIEW_WARNING_DAYS } from "./schema";
import type { Registry } from "./types";

export type Path = readonly (string | number)[];

export interface RuleProblem {
  readonly path: Path;
  readonly message: string;
  /** Point at the key itself rather than its value (e.g. a bad workflow id). */
  readonly atKey?: boolean;
}

/** Workflow ids are tag values, budget name parts and URL-safe: lowercase kebab-case, 2-63. */
export const WORKFLOW_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function workflowIdProblem(id: string): string | undefined {
  if (id.length < 2 || id.length > 63) {
    return `workflow id "${id}" must be 2-63 characters long (it is ${id.length})`;
  }
  if (!WORKFLOW_ID.test(id)) {
    const fixed = id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, ""); // runs are folded into one hyphen above
    return `workflow id "${id}" must be lowercase kebab-case (letters, digits and single hyphens), e.g. "${fixed}"`;
  }
  return undefined;
}

/** Bedrock inference profile names: letters, digits, and single ` `, `_` or `-` separators, 1-64. */
const INFERENCE_PROFILE_NAME = /^([0-9a-zA-Z][ _-]?)+$/;

/** Why `name` cannot be a Bedrock inference profile name, or undefined when it can. */
export function inferenceProfileNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 64) {
    return `"${name}" must be 1-64 characters long (it is ${name.length})`;
  }
  if (!INFERENCE_PROFILE_NAME.test(name)) {
    return `"${name}" may only contain letters, digits and single spaces, "_" or "-" between them`;
  }
  return undefined;
}

/** The only unit AWS Budgets accepts for a cost budget's limit. */
export const BUDGET_CURRENCY = "USD";

/**
 * Why AWS Budgets would refuse `currency` (the registry's settings.currency) for a workflow
 * budget, if it would ("EUR is not in the supported unit set: [USD]"). The one statement of the
 * rule: `validate` warns with it, the stack refuses to deploy with it.
 */
export function budgetCurrencyProblem(currency: string): string | undefined {
  if (currency === BUDGET_CURRENCY) return undefined;
  return (
    `is ${currency}, but AWS Budgets only accepts budget limits in ${BUDGET_CURRENCY}: ` +
    `set settings.currency to ${BUDGET_CURRENCY} and give the monthly budgets in ${BUDGET_CURRENCY}`
  );
}

/**
 * True for a URN glob that matches every resource: `*`, `urn:pulumi:*`, `*::*::*::*`... (only
 * stars, URN separators and the URN prefix). Such an exemption waives its policy for the whole
 * organisation, so it must say so with `allResources: true`.
 */
export function matchesEveryUrn(glob: string): boolean {
  return glob.includes("*") && /^(urn:pulumi:)?[*:]*$/.test(glob);
}

/** Every cross-field problem in a raw (parsed but unvalidated) registry document. */
export function crossFieldProblems(raw: unknown): RuleProblem[] {
  if (!isRecord(raw)) return [];
  const problems: RuleProblem[] = [];
  const settings = isRecord(raw.settings) ? raw.settings : {};
  const domains = Array.isArray(settings.allowedEmailDomains)
    ? settings.allowedEmailDomains.filter((d): d is string => typeof d === "string")
    : undefined;

  const checkDomain = (value: unknown, path: Path) => {
    if (domains === undefined || typeof value !== "string" || !value.includes("@")) return;
    const domain = value.slice(value.lastIndexOf("@") + 1).toLowerCase();
    if (!domains.some((d) => d.toLowerCase() === domain)) {
      problems.push({
        path,
        message: `"${value}" is outside settings.allowedEmailDomains (${domains.join(", ")}): use an address in one of them, or add its domain to the list`,
      });
    }
  };
  checkDomain(settings.unownedSpendContact, ["settings", "unownedSpendContact"]);

  const workflows = isRecord(raw.workflows) ? raw.workflows : {};
  for (const [id, workflow] of Object.entries(workflows)) {
    const base: Path = ["workflows", id];
    const idProblem = workflowIdProblem(id);
    if (idProblem !== undefined) problems.push({ path: base, message: idProblem, atKey: true });
    if (!isRecord(workflow)) continue;

    if (workflow.stage === "learning" && workflow.reviewBy === undefined) {
      problems.push({
        path: base,
        message:
          "a learning workflow needs reviewBy: add `reviewBy: YYYY-MM-DD`, the date by which it is renewed, promoted to run-rate or retired",
      });
    }
    if (workflow.stage === "run-rate" && workflow.budget === undefined) {
      problems.push({
        path: base,
        message:
          "a run-rate workflow needs a budget: add `budget: { monthly: <amount in settings.currency> }`",
      });
    }
    if (isRecord(workflow.budget)) {
      const alerts: readonly unknown[] = Array.isArray(workflow.budget.alerts)
        ? workflow.budget.alerts
        : DEFAULT_BUDGET_ALERTS;
      const count = alerts.length + (workflow.budget.forecastAlert === undefined ? 0 : 1);
      if (count > MAX_BUDGET_NOTIFICATIONS) {
        problems.push({
          path: [...base, "budget", "alerts"],
          message: `yields ${count} budget notifications but AWS allows at most ${MAX_BUDGET_NOTIFICATIONS} per budget (alerts + forecastAlert): drop ${count - MAX_BUDGET_NOTIFICATIONS}`,
        });
      }
      const seen = new Set<unknown>();
      alerts.forEach((alert, index) => {
        if (seen.has(alert)) {
          problems.push({
            path: [...base, "budget", "alerts", index],
            message: `threshold ${String(alert)} is listed twice: AWS rejects duplicate notifications, remove one`,
          });
        }
        seen.add(alert);
      });
    }
    if (isRecord(workflow.inferenceProfiles)) {
      for (const name of Object.keys(workflow.inferenceProfiles)) {
        const problem = inferenceProfileNameProblem(name);
        if (problem !== undefined) {
          problems.push({
            path: [...base, "inferenceProfiles", name],
            message: `${problem}: it becomes a Bedrock inference profile name`,
            atKey: true,
          });
        }
      }
    }
    problems.push(...outcomeProblems(workflow, base));
    problems.push(...renewalProblems(workflow, base));
    if (isRecord(workflow.triggers) && isRecord(workflow.triggers.reviewQueue)) {
      const queue = workflow.triggers.reviewQueue;
      if (queue.max === undefined && queue.growth === undefined) {
        problems.push({
          path: [...base, "triggers", "reviewQueue"],
          message:
            "says when the review queue needs a person with neither max nor growth: add `max: <most the metric may read>`, `growth: <multiple week on week>`, or both",
        });
      }
    }
    if (Array.isArray(workflow.renewals)) {
      workflow.renewals.forEach((renewal, index) => {
        if (isRecord(renewal))
          checkDomain(renewal.decidedBy, [...base, "renewals", index, "decidedBy"]);
      });
    }
    checkDomain(workflow.owner, [...base, "owner"]);
    checkDomain(workflow.financePartner, [...base, "financePartner"]);
    if (isRecord(workflow.review))
      checkDomain(workflow.review.reviewer, [...base, "review", "reviewer"]);
  }

  if (Array.isArray(raw.exemptions)) {
    raw.exemptions.forEach((exemption, index) => {
      if (!isRecord(exemption)) return;
      checkDomain(exemption.approvedBy, ["exemptions", index, "approvedBy"]);
      if (
        typeof exemption.resource === "string" &&
        matchesEveryUrn(exemption.resource) &&
        exemption.allResources !== true
      ) {
        problems.push({
          path: ["exemptions", index, "resource"],
          message: `"${exemption.resource}" matches every resource, so it would waive ${typeof exemption.policy === "string" ? exemption.policy : "its policy"} everywhere: name the resources (e.g. urn:pulumi:*::*::aws:sagemaker/endpoint:Endpoint::scratch-*), or add \`allResources: true\` to mean it`,
        });
      }
    });
  }
  return problems;
}

/** Largest sum of expected shares: the items cannot be accepted, redone and escalated twice. */
const SHARE_TOTAL_MAX = 1;

/**
 * The outcome block against the rest of the workflow: something to read outcomes from, shares
 * that fit in the items, and a rate for every outcome that costs time (a reworked output with no
 * reworkMinutes would silently cost nothing).
 */
function outcomeProblems(workflow: Record<string, unknown>, base: Path): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const outcomes = workflow.outcomes;
  const triggers = isRecord(workflow.triggers) ? workflow.triggers : {};
  const metrics = isRecord(outcomes) && isRecord(outcomes.metrics) ? outcomes.metrics : undefined;
  const expected =
    isRecord(outcomes) && isRecord(outcomes.expected) ? outcomes.expected : undefined;
  const review = isRecord(workflow.review) ? workflow.review : undefined;
  if (isRecord(outcomes) && outcomes.metrics === undefined && outcomes.expected === undefined) {
    problems.push({
      path: [...base, "outcomes"],
      message:
        "names neither metrics nor expected: add `metrics: { namespace, accepted }` (measured in CloudWatch) or `expected: { acceptedShare: 0.85 }` (an estimate), or both",
    });
  }
  if (expected !== undefined) {
    const shares = ["acceptedShare", "reworkShare", "escalationShare"]
      .map((key) => expected[key])
      .filter((v): v is number => typeof v === "number");
    const total = shares.reduce((sum, v) => sum + v, 0);
    // Rounded so that 0.85 + 0.1 + 0.05 (1.0000000000000002 in floating point) is 1.
    if (Math.round(total * 1e9) / 1e9 > SHARE_TOTAL_MAX) {
      problems.push({
        path: [...base, "outcomes", "expected"],
        message: `shares sum to ${Math.round(total * 1e6) / 1e6}, above 1: an item is accepted, reworked or escalated at most once, so lower them to sum to 1 or less`,
      });
    }
    if (workflow.volume === undefined) {
      problems.push({
        path: [...base, "outcomes", "expected"],
        message:
          "estimates outcomes as shares of the workflow's items, but the workflow has no volume: add `volume: { itemsPerMonth: <items> }`",
      });
    }
  }
  const reworkNamed =
    (metrics !== undefined && metrics.reworked !== undefined) ||
    (expected !== undefined && expected.reworkShare !== undefined);
  if (reworkNamed && (review === undefined || review.reworkMinutes === undefined)) {
    problems.push({
      path: review === undefined ? base : [...base, "review"],
      message:
        "counts reworked outputs, but nothing says what one costs: add `review: { ..., reworkMinutes: <minutes to redo one output> }` (rework is charged at review.hourlyRate)",
    });
  }
  const escalationNamed =
    (metrics !== undefined && metrics.escalated !== undefined) ||
    (expected !== undefined && expected.escalationShare !== undefined);
  if (escalationNamed && workflow.exceptions === undefined) {
    problems.push({
      path: base,
      message:
        "counts escalated items, but nothing says what one costs: add `exceptions: { minutesPerItem, hourlyRate, team }`",
    });
  }
  if (triggers.reworkMargin !== undefined) {
    if (metrics?.reworked === undefined || expected?.reworkShare === undefined) {
      problems.push({
        path: [...base, "triggers", "reworkMargin"],
        message:
          "compares the measured rework share with the expected one, so it needs both `outcomes.metrics.reworked` and `outcomes.expected.reworkShare`",
      });
    }
  }
  return problems;
}

/** The latest renewal (by date; the later in the file on a tie), or undefined. */
export function latestRenewal<T extends { readonly date: string }>(
  renewals: readonly T[],
): T | undefined {
  let latest: T | undefined;
  for (const renewal of renewals)
    if (latest === undefined || renewal.date >= latest.date) latest = renewal;
  return latest;
}

/** Renewals: each ends after it starts, and the latest one set the review date. */
function renewalProblems(workflow: Record<string, unknown>, base: Path): RuleProblem[] {
  if (!Array.isArray(workflow.renewals)) return [];
  const problems: RuleProblem[] = [];
  const dated: { date: string; until: string; index: number }[] = [];
  workflow.renewals.forEach((renewal, index) => {
    if (!isRecord(renewal)) return;
    const { date, until } = renewal;
    if (typeof date !== "string" || typeof until !== "string") return;
    if (until < date) {
      problems.push({
        path: [...base, "renewals", index, "until"],
        message: `${until} is before the renewal's date ${date}: until is the new review date, on or after the decision`,
      });
    }
    dated.push({ date, until, index });
  });
  const latest = latestRenewal(dated);
  if (latest !== undefined && workflow.reviewBy !== latest.until) {
    problems.push({
      path: workflow.reviewBy === undefined ? base : [...base, "reviewBy"],
      message: `must equal the latest renewal's until (${latest.until}, renewals[${latest.index}]): the review date moves only through a renewal, so set \`reviewBy: ${latest.until}\` or add the renewal that moved it`,
    });
  }
  return problems;
}

export interface RegistryWarning {
  readonly path: string;
  readonly message: string;
}

/**
 * Things that are valid but deserve attention today: review dates passed or near, expired
 * exemptions (which no longer apply). `today` is `YYYY-MM-DD`.
 */
export function registryWarnings(
  registry: Registry,
  today: string,
  nearDays = REVIEW_WARNING_DAYS,
): RegistryWarning[] {
  const warnings: RegistryWarning[] = [];
  for (const workflow of registry.workflows) {
    if (workflow.reviewBy === undefined) continue;
    const days = daysBetween(today, workflow.reviewBy);
    if (days < 0) {
      warnings.push({
        path: `workflows.${workflow.id}.reviewBy`,
        message: `review date ${workflow.reviewBy} has passed: renew it in the registry or retire the workflow`,
      });
    } else if (days <= nearDays) {
      warnings.push({
        path: `workflows.${workflow.id}.reviewBy`,
        message: `review date ${workflow.reviewBy} is in ${days} day(s)`,
      });
    }
  }
  registry.exemptions.forEach((exemption, index) => {
    // `expires` is the last day it applies; ISO dates compare as strings.
    if (exemption.expires < today) {
      warnings.push({
        path: `exemptions[${index}].expires`,
        message: `expired on ${exemption.expires}: it no longer applies; renew it (with approval) or remove it`,
      });
    }
    if (exemption.allResources === true) {
      warnings.push({
        path: `exemptions[${index}].allResources`,
        message: `waives ${exemption.policy} for every resource until ${exemption.expires} (allResources: true): narrow the URN glob when you can`,
      });
    } else if (
      !exemption.resource.startsWith("urn:pulumi:") &&
      !exemption.resource.startsWith("*")
    ) {
      warnings.push({
        path: `exemptions[${index}].resource`,
        message: `"${exemption.resource}" does not start with urn:pulumi: (or *), so it can match no resource: write the resource's URN, e.g. urn:pulumi:*::*::aws:iam/role:Role::deployer`,
      });
    }
  });
  if (registry.workflows.some((w) => w.budget !== undefined)) {
    const problem = budgetCurrencyProblem(registry.settings.currency);
    if (problem !== undefined) {
      warnings.push({
        path: "settings.currency",
        message: `${problem} (the stack refuses to deploy the budgets until then)`,
      });
    }
  }
  for (const workflow of registry.workflows) {
    (workflow.models ?? []).forEach((glob, index) => {
      if (!matchesKnownModel(glob)) {
        warnings.push({
          path: `workflows.${workflow.id}.models[${index}]`,
          message: `"${glob}" matches none of the ${KNOWN_BEDROCK_MODEL_IDS.length} Bedrock model ids this version knows (e.g. anthropic.claude-haiku-4-5-20251001-v1:0, amazon.nova-lite-v1:0): check the spelling; a model newer than the list can be ignored here`,
        });
      }
    });
  }
  return warnings;
}

/** Whether a `models` glob matches a known model id, bare or behind a geographic prefix. */
export function matchesKnownModel(glob: string): boolean {
  return KNOWN_BEDROCK_MODEL_IDS.some(
    (id) =>
      globMatch(glob, id) || BEDROCK_GEO_PREFIXES.some((geo) => globMatch(glob, `${geo}.${id}`)),
  );
}
