/**
 * The workflow registry's schema: the user-facing contract of `workflows.yaml`.
 *
 * The zod schema checks the shape of each field; rules that span fields (stage vs budget,
 * email domains, notification limits) live in `rules.ts` so that every problem is reported in
 * one pass, even when the shape is wrong elsewhere in the file.
 */
import { z } from "zod";
import { isCalendarDate } from "../util/dates";

/** Policy names of the pack: exemptions must name one of these. */
export const POLICY_NAMES = [
  "ai-resource-tags",
  "ai-workflow-registered",
  "ai-workflow-review-date",
  "ai-model-allowed",
  "ai-invoker-attributable",
  "ai-owner-from-registry",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const STAGES = ["run-rate", "learning"] as const;
export const RISKS = ["low", "medium", "high"] as const;

/** AWS allows at most 5 notifications per budget. */
export const MAX_BUDGET_NOTIFICATIONS = 5;

export { REVIEW_WARNING_DAYS } from "../rules/review-date";

/** Registry dates are review dates and expiries: none is before this year (0099 is a typo). */
export const MIN_DATE_YEAR = 2000;

/** Why `value` is not a registry date, or undefined when it is one. */
export function dateProblem(value: string): string | undefined {
  const loose = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (loose !== null && !isCalendarDate(value)) {
    const [, y, m, d] = loose;
    const padded = `${y}-${m!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
    if (padded !== value && isCalendarDate(padded)) {
      return `"${value}" needs two-digit months and days: write it as ${padded}`;
    }
  }
  if (!isCalendarDate(value)) {
    return `"${value}" is not a real calendar date: write it as YYYY-MM-DD, e.g. 2027-03-31`;
  }
  if (Number(value.slice(0, 4)) < MIN_DATE_YEAR) {
    return `"${value}" is before ${MIN_DATE_YEAR}, the earliest year a registry date may have (review dates and expiries are recent or to come): check the year, e.g. ${value.replace(/^\d{2}/, "20")}`;
  }
  return undefined;
}
/** The actual-spend alert percentages of a budget that lists none. */
export const DEFAULT_BUDGET_ALERTS: readonly number[] = [50, 80, 100];

const calendarDate = z
  .string({ error: "must be a date written as YYYY-MM-DD, e.g. 2027-03-31" })
  .superRefine((value, ctx) => {
    const problem = dateProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, input: value });
  });

const email = z.email({
  error: (issue) =>
    issue.input === undefined
      ? "is required: add an email address"
      : issue.input === null || issue.input === ""
        ? "is empty: add an email address, written as name@domain"
        : typeof issue.input !== "string"
          ? `must be an email address written as name@domain, got ${typeof issue.input} ${String(issue.input)}`
          : `"${issue.input}" is not a valid email address: write it as name@domain`,
});

/**
 * Characters AWS allows in a tag key (letters, digits, spaces and `_ . : / = + - @`, in any
 * script). `$` is not one of them, and must not be: Cost Explorer returns a tag group as
 * `<key>$<value>`, so a key holding `$` could not be told from its value.
 */
const TAG_KEY_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

/** AWS tag keys: 1-128 characters of the allowed set, not in the reserved `aws:` namespace. */
const tagKey = z
  .string({ error: "must be a tag key (text), e.g. workflow" })
  .min(1, { error: "must not be empty" })
  .max(128, { error: "must be at most 128 characters (AWS tag key limit)" })
  .refine((key) => !key.toLowerCase().startsWith("aws:"), {
    error: 'must not start with "aws:" (a namespace AWS reserves for itself)',
  })
  .refine((key) => TAG_KEY_CHARACTERS.test(key), {
    error: (issue) => {
      const key = String(issue.input);
      const bad = [...new Set([...key].filter((c) => !TAG_KEY_CHARACTERS.test(c)))];
      const dollar = bad.includes("$")
        ? ' ("$" also separates a tag\'s key from its value in Cost Explorer\'s "<key>$<value>" groups)'
        : "";
      return `"${key}" holds ${bad.map((c) => JSON.stringify(c)).join(", ")}, which AWS tag keys cannot${dollar}: use letters, digits, spaces and _ . : / = + - @`;
    },
  });

const glob = z.string().min(1, { error: "must not be empty" });

/**
 * The largest amount of money the registry takes (a monthly budget, an hourly rate), in
 * settings.currency: a trillion, far above any workflow, and small enough that every sum of
 * cents the reconciler makes stays exact (amounts below 2^53 cents). Without a bound, `1e300`
 * validated and turned the report's figures into Infinity.
 */
export const MAX_AMOUNT = 1e12;
/** The smallest budget: one cent (AWS Budgets takes limits to the cent; 5e-324 is 0.00). */
export const MIN_BUDGET = 0.01;
/** Most minutes a review of one item may take: a week. */
export const MAX_MINUTES_PER_ITEM = 10_080;
/** Most items a month (volume): a trillion, as for money. */
export const MAX_ITEMS_PER_MONTH = 1e12;
/** Largest growth trigger: a thousandfold week on week. */
export const MAX_GROWTH = 1000;

const percent = z
  .number({ error: "must be a number: a percentage such as 80" })
  .gt(0, { error: "must be greater than 0 (a percentage such as 80)" })
  .max(1000, { error: "must be at most 1000 (a percentage such as 80)" });

const nonNegative = (what: string, max: number, unit = "") =>
  z
    .number({ error: `must be a number (${what})` })
    .min(0, { error: `must be >= 0 (${what})` })
    .max(max, { error: `must be at most ${max.toLocaleString("en-US")}${unit} (${what})` });

const budgetSchema = z.strictObject({
  monthly: z
    .number({ error: "must be a number: the monthly budget in settings.currency, e.g. 1200" })
    .min(MIN_BUDGET, {
      error: `must be at least ${MIN_BUDGET} (one cent): the monthly budget in settings.currency`,
    })
    .max(MAX_AMOUNT, {
      error: `must be at most ${MAX_AMOUNT.toLocaleString("en-US")}: the monthly budget in settings.currency`,
    }),
  alerts: z.array(percent).default([...DEFAULT_BUDGET_ALERTS]),
  forecastAlert: percent.optional(),
});

/**
 * A team: the cost centre that carries a workflow's human time (review, rework, the exception
 * path). Kebab-case like workflow ids, so it reads the same in a report, a CSV and a chargeback.
 */
export const TEAM_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const teamName = z
  .string({ error: "must be a team name (kebab-case text), e.g. support-ops" })
  .min(2, { error: "must be 2-63 characters long: a team name such as support-ops" })
  .max(63, { error: "must be 2-63 characters long: a team name such as support-ops" })
  .regex(TEAM_NAME, {
    error: (issue) =>
      `"${String(issue.input)}" must be lowercase kebab-case (letters, digits and single hyphens), e.g. "${String(
        issue.input,
      )
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")}"`,
  });

/** A share of a workflow's items, 0..1. */
const itemShare = (what: string) =>
  z
    .number({ error: `must be a number between 0 and 1 (${what})` })
    .min(0, { error: `must be between 0 and 1 (${what})` })
    .max(1, { error: `must be between 0 and 1 (${what})` });

const minutes = (what: string) => nonNegative(what, MAX_MINUTES_PER_ITEM, " (a week)");

const reviewSchema = z.strictObject({
  reviewer: email.optional(),
  /** Who absorbs the review and rework time; absent = the workflow's own team. */
  team: teamName.optional(),
  share: z
    .number({ error: "must be a number between 0 and 1 (0.2 = one output in five is checked)" })
    .min(0, { error: "must be between 0 and 1 (0.2 = one output in five is checked)" })
    .max(1, { error: "must be between 0 and 1 (0.2 = one output in five is checked)" }),
  minutesPerItem: nonNegative(
    "minutes a reviewer spends per checked item",
    MAX_MINUTES_PER_ITEM,
    " (a week)",
  ),
  hourlyRate: nonNegative("the reviewer's loaded hourly cost in settings.currency", MAX_AMOUNT),
  reworkMinutes: minutes("minutes a person spends redoing one reworked output").optional(),
});

/** The exception path: what an escalated item costs, and which team pays for it. */
const exceptionsSchema = z.strictObject({
  minutesPerItem: minutes("minutes a person spends on one escalated item"),
  hourlyRate: nonNegative(
    "the loaded hourly cost of the people who handle escalations, in settings.currency",
    MAX_AMOUNT,
  ),
  team: teamName,
});

const metricName = (what: string) =>
  z
    .string({ error: `must be a CloudWatch metric name (${what})` })
    .min(1, { error: `must not be empty: the CloudWatch metric name (${what})` });

/** Outcomes measured in CloudWatch: one metric per outcome, summed over the month (like volume). */
const outcomeMetricsSchema = z.strictObject({
  namespace: z.string().min(1, { error: "must not be empty: the CloudWatch namespace" }),
  accepted: metricName("outputs accepted as they were"),
  reworked: metricName("outputs a person had to redo").optional(),
  escalated: metricName("items sent down the exception path").optional(),
  /** The dimension that names the model, for outcomes per model. */
  modelDimension: z
    .string()
    .min(1, { error: "must not be empty: the CloudWatch dimension naming the model" })
    .optional(),
  /** Dimensions every outcome metric carries (e.g. the environment). */
  dimensions: z.record(z.string(), z.string()).optional(),
});

/** Outcomes estimated as shares of the workflow's items, until something is measured. */
const expectedOutcomesSchema = z.strictObject({
  acceptedShare: itemShare("0.85 = 85 items in 100 are accepted as they are"),
  reworkShare: itemShare("0.10 = 10 items in 100 are redone by a person").optional(),
  escalationShare: itemShare("0.05 = 5 items in 100 go down the exception path").optional(),
});

const outcomesSchema = z.strictObject({
  metrics: outcomeMetricsSchema.optional(),
  expected: expectedOutcomesSchema.optional(),
});

export const RENEWAL_DECISIONS = ["renew", "graduate", "retire"] as const;

const statement = (what: string) =>
  z
    .string({ error: `must be text: ${what}` })
    .refine((value) => value.trim() !== "", { error: `must not be empty: ${what}` });

/** A renewal: the decision that moves a workflow's review date, with what it showed. */
const renewalSchema = z.strictObject({
  date: calendarDate,
  decision: z.enum(RENEWAL_DECISIONS, {
    error: "must be renew, graduate (learning -> run-rate) or retire",
  }),
  until: calendarDate,
  result: statement("one workflow result the renewal rests on, e.g. a measured improvement"),
  lesson: statement("one cost lesson learned, e.g. which model needed more rework"),
  decidedBy: email,
});

const metricSchema = z.strictObject({
  namespace: z.string().min(1, { error: "must not be empty: the CloudWatch namespace" }),
  name: z.string().min(1, { error: "must not be empty: the CloudWatch metric name" }),
  dimensions: z.record(z.string(), z.string()).optional(),
});

const volumeSchema = z.strictObject({
  itemsPerMonth: nonNegative("expected items per month", MAX_ITEMS_PER_MONTH),
  metric: metricSchema.optional(),
});

const growthMultiple = (what: string) =>
  z
    .number({ error: `must be a number greater than 1, e.g. 2.0 (${what} doubled week on week)` })
    .gt(1, { error: `must be greater than 1, e.g. 2.0 (${what} doubled week on week)` })
    .max(MAX_GROWTH, { error: `must be at most ${MAX_GROWTH} (a thousandfold week on week)` });

/** Most a unit price may be expected to change before the trigger fires: tenfold. */
export const MAX_UNIT_PRICE_SHARE = 10;

/** A review queue (depth or oldest-item age) in CloudWatch, and when it needs a person. */
const reviewQueueSchema = z.strictObject({
  metric: metricSchema,
  /** Flag when the queue's latest daily maximum is above this. */
  max: z
    .number({ error: "must be a number: the most the queue metric may read, e.g. 200" })
    .min(0, { error: "must be >= 0: the most the queue metric may read, e.g. 200" })
    .max(MAX_ITEMS_PER_MONTH, {
      error: `must be at most ${MAX_ITEMS_PER_MONTH.toLocaleString("en-US")}: the most the queue metric may read`,
    })
    .optional(),
  /** Flag when the last 7 days' mean daily maximum is this multiple of the 7 days before. */
  growth: growthMultiple("the review queue").optional(),
});

const triggersSchema = z.strictObject({
  growth: growthMultiple("spend").optional(),
  reviewQueue: reviewQueueSchema.optional(),
  /** Flag a usage type whose unit cost moved by at least this share since last month. */
  unitPrice: z
    .number({ error: "must be a number: the share a unit price may move, e.g. 0.1 (10%)" })
    .gt(0, { error: "must be greater than 0: the share a unit price may move, e.g. 0.1 (10%)" })
    .max(MAX_UNIT_PRICE_SHARE, {
      error: `must be at most ${MAX_UNIT_PRICE_SHARE} (a tenfold change): the share a unit price may move, e.g. 0.1`,
    })
    .optional(),
  /** Flag when the measured rework share exceeds outcomes.expected.reworkShare by this much. */
  reworkMargin: itemShare("0.05 = five points above the expected rework share").optional(),
});

const inferenceProfileArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d{0,12}:(foundation-model|inference-profile)\/.+$/, {
    error:
      "must be a Bedrock model ARN, e.g. arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
  });

export const workflowSchema = z.strictObject({
  description: z.string().min(1, { error: "must not be empty: say what the workflow does" }),
  owner: email,
  financePartner: email.optional(),
  stage: z.enum(STAGES),
  reviewBy: calendarDate.optional(),
  risk: z.enum(RISKS),
  models: z.array(glob).optional(),
  instanceTypes: z.array(glob).optional(),
  budget: budgetSchema.optional(),
  review: reviewSchema.optional(),
  volume: volumeSchema.optional(),
  triggers: triggersSchema.optional(),
  /** The owner's own team: review or exception time another team carries is "absorbed". */
  team: teamName.optional(),
  outcomes: outcomesSchema.optional(),
  exceptions: exceptionsSchema.optional(),
  renewals: z.array(renewalSchema).optional(),
  inferenceProfiles: z.record(z.string(), inferenceProfileArn).optional(),
});

export const exemptionSchema = z.strictObject({
  resource: z.string().min(1, { error: "must be a Pulumi URN or URN glob" }),
  policy: z.enum(POLICY_NAMES),
  reason: z.string().min(1, { error: "must say why the exemption is granted" }),
  approvedBy: email,
  expires: calendarDate,
  /** Says on purpose that the glob waives the policy for every resource (`resource: "*"`). */
  allResources: z.boolean({ error: "must be true or false" }).optional(),
});

export const settingsSchema = z.strictObject({
  tagKeys: z
    .strictObject({ workflow: tagKey.default("workflow"), owner: tagKey.default("owner") })
    .default({ workflow: "workflow", owner: "owner" }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: "must be an ISO 4217 currency code such as USD" }),
  allowedEmailDomains: z.array(z.string().min(1)).optional(),
  unownedSpendContact: email,
  /** Flag unowned AI spend when it exceeds this share of all AI spend (0..1). */
  unownedShareAlert: z
    .number()
    .min(0, { error: "must be between 0 and 1 (0.05 = 5% of AI spend)" })
    .max(1, { error: "must be between 0 and 1 (0.05 = 5% of AI spend)" })
    .default(0.05),
  /**
   * Attribute spend without a resource tag by the calling IAM principal's tags
   * (`iamPrincipal/<workflow key>`). Off: one Cost Explorer query, resource tags only.
   */
  principalTags: z
    .boolean({
      error:
        "must be true or false: true (the default) also attributes model calls by the caller's iamPrincipal/ tag, false reads resource tags only",
    })
    .default(true),
});

export const registrySchema = z.strictObject({
  version: z.literal(1, { error: "must be 1 (the only registry format version so far)" }),
  settings: settingsSchema,
  workflows: z.record(z.string(), workflowSchema),
  exemptions: z.array(exemptionSchema).default([]),
});

export type RawRegistry = z.output<typeof registrySchema>;
export type RawWorkflow = z.output<typeof workflowSchema>;
