/**
 * zod issues -> the registry's problems: a path, a message that says how to fix it, and whether
 * to point at the key or at its value. The wording lives here; the positions are added by
 * `yaml-positions.ts`, and the keys a schema accepts come from `zod-internals.ts`.
 */
import type { z } from "zod";
import { describeSuggestion } from "../util/suggest";
import type { Path } from "./rules";
import { registrySchema } from "./schema";
import { allowedKeysAt } from "./zod-internals";

export type Issue = z.core.$ZodIssue;

export interface Described {
  readonly path: Path;
  readonly message: string;
  readonly atKey: boolean;
}

const REQUIRED_HINTS: Record<string, string> = {
  version: "add `version: 1` at the top",
  settings: "add a settings block with currency and unownedSpendContact",
  workflows: "add a workflows mapping (id -> workflow)",
  currency: "add the ISO currency of your AWS bill, e.g. `currency: USD`",
  unownedSpendContact: "add the email that receives unowned AI spend, e.g. finops@example.com",
  description: "say in one line what the workflow does",
  owner: "add the accountable owner's email (the value of the owner tag)",
  stage: "add `stage: run-rate` or `stage: learning`",
  risk: "add `risk: low`, `medium` or `high` (what a mistake costs)",
  monthly: "add the monthly budget in settings.currency, e.g. `monthly: 1200`",
  share: "add the fraction of outputs a person checks, 0..1",
  minutesPerItem: "add the minutes a reviewer spends per checked item",
  hourlyRate: "add the reviewer's loaded hourly cost",
  itemsPerMonth: "add the expected number of items per month",
  resource: "add the URN glob the exemption covers",
  policy: "add the policy name the exemption covers",
  reason: "say why the exemption is granted",
  approvedBy: "add the approver's email",
  expires: "add the last day it applies, YYYY-MM-DD",
  namespace: "add the CloudWatch namespace",
  name: "add the CloudWatch metric name",
  team: "add the team that pays for escalated items (a kebab-case cost centre name)",
  accepted: "add the CloudWatch metric counting accepted outputs",
  acceptedShare: "add the share of items accepted as they are, 0..1",
  date: "add the day of the decision, YYYY-MM-DD",
  decision: "add `decision: renew`, `graduate` or `retire`",
  until: "add the new review date, YYYY-MM-DD",
  result: "add one workflow result the renewal rests on",
  lesson: "add one cost lesson learned",
  decidedBy: "add the email of the person who decided",
  metric: "add the CloudWatch metric: { namespace, name }",
};

export function describeIssue(issue: Issue): Described[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(registrySchema, path);
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message:
          `unknown key "${key}"${describeSuggestion(key, allowed)}` +
          (allowed.length > 0 ? `; allowed keys here: ${allowed.join(", ")}` : ""),
      }));
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        const field = String(path[path.length - 1] ?? "");
        const hint = REQUIRED_HINTS[field];
        return [{ path, atKey: false, message: `is required${hint ? `: ${hint}` : ""}` }];
      }
      // Custom messages (set in the schema) explain the expected value; keep them.
      const custom = !issue.message.startsWith("Invalid input");
      return [
        {
          path,
          atKey: false,
          message: custom
            ? issue.message
            : `must be ${expectedAt(path, issue.expected)}, got ${describeValue(issue.input)}`,
        },
      ];
    }
    case "invalid_value": {
      const options = issue.values.map((v) => String(v));
      if (issue.input === undefined) {
        const field = String(path[path.length - 1] ?? "");
        const hint =
          REQUIRED_HINTS[field] ?? `add one of ${options.map((o) => `"${o}"`).join(", ")}`;
        return [{ path, atKey: false, message: `is required: ${hint}` }];
      }
      const got = String(issue.input);
      if (issue.message.startsWith("Invalid")) {
        return [
          {
            path,
            atKey: false,
            message: `must be one of ${options.map((o) => `"${o}"`).join(", ")}, got ${describeValue(issue.input)}${describeSuggestion(got, options)}`,
          },
        ];
      }
      return [{ path, atKey: false, message: issue.message }];
    }
    default:
      return [{ path, atKey: false, message: issue.message }];
  }
}

/** What a field expects, in the registry's words (zod says "record" and "object"). */
const EXPECTED: Record<string, string> = {
  record: "a mapping (indented `key: value` lines)",
  object: "a mapping (indented `key: value` lines)",
  array: "a list (`[a, b]` or `- item` lines)",
  string: "text",
  number: "a number",
  boolean: "true or false",
};

/** Fields whose expected shape deserves its own words. */
const EXPECTED_AT: Record<string, string> = {
  workflows: "a mapping of workflow ids to workflows (`support-triage:` and its fields, indented)",
  exemptions: "a list of exemptions (`- resource: ...` items)",
  settings: "a mapping with currency and unownedSpendContact",
  inferenceProfiles: "a mapping of profile names to Bedrock model ARNs",
  dimensions: "a mapping of CloudWatch dimension names to values",
};

function expectedAt(path: Path, expected: string): string {
  const field = String(path[path.length - 1] ?? "");
  return EXPECTED_AT[field] ?? EXPECTED[expected] ?? `${article(expected)} ${expected}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text "${value}"`;
  return `${typeof value} ${String(value)}`;
}
