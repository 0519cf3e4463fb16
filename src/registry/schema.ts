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

/** The actual-spend alert percentages of a budget that lists none. */
export const DEFAULT_BUDGET_ALERTS: readonly number[] = [50, 80, 100];

const calendarDate = z
  .string({ error: "must be a date written as YYYY-MM-DD, e.g. 2027-03-31" })
  .refine(isCalendarDate, {
    error: (issue) =>
      `"${String(issue.input)}" is not a real calendar date: write it as YYYY-MM-DD, e.g. 2027-03-31`,
  });

const email = z.email({
  error: (issue) =>
    issue.input === undefined
      ? "is required: add an email address"
      : `"${String(issue.input)}" is not a valid email address: write it as name@domain`,
});

/** AWS tag keys: 1-128 characters, not in the reserved `aws:` namespace. */
const tagKey = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(128, { error: "must be at most 128 characters (AWS tag key limit)" })
  .refine((key) => !key.toLowerCase().startsWith("aws:"), {
    error: 'must not start with "aws:" (a namespace AWS reserves for itself)',
  });

const glob = z.string().min(1, { error: "must not be empty" });

const percent = z
  .number({ error: "must be a number: a percentage such as 80" })
  .gt(0, { error: "must be greater than 0 (a percentage such as 80)" })
  .max(1000, { error: "must be at most 1000 (a percentage such as 80)" });

const nonNegative = (what: string) =>
  z.number({ error: `must be a number (${what})` }).min(0, { error: `must be >= 0 (${what})` });

const budgetSchema = z.strictObject({
  monthly: z
    .number({ error: "must be a number: the monthly budget in settings.currency, e.g. 1200" })
    .positive({ error: "must be greater than 0: the monthly budget in settings.currency" }),
  alerts: z.array(percent).default([...DEFAULT_BUDGET_ALERTS]),
  forecastAlert: percent.optional(),
});

const reviewSchema = z.strictObject({
  reviewer: email.optional(),
  share: z
    .number({ error: "must be a number between 0 and 1 (0.2 = one output in five is checked)" })
    .min(0, { error: "must be between 0 and 1 (0.2 = one output in five is checked)" })
    .max(1, { error: "must be between 0 and 1 (0.2 = one output in five is checked)" }),
  minutesPerItem: nonNegative("minutes a reviewer spends per checked item"),
  hourlyRate: nonNegative("the reviewer's loaded hourly cost in settings.currency"),
});

const metricSchema = z.strictObject({
  namespace: z.string().min(1, { error: "must not be empty: the CloudWatch namespace" }),
  name: z.string().min(1, { error: "must not be empty: the CloudWatch metric name" }),
  dimensions: z.record(z.string(), z.string()).optional(),
});

const volumeSchema = z.strictObject({
  itemsPerMonth: nonNegative("expected items per month"),
  metric: metricSchema.optional(),
});

const triggersSchema = z.strictObject({
  growth: z
    .number({ error: "must be a number greater than 1, e.g. 2.0 (spend doubled week on week)" })
    .gt(1, { error: "must be greater than 1, e.g. 2.0 (spend doubled week on week)" })
    .optional(),
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
  inferenceProfiles: z.record(z.string(), inferenceProfileArn).optional(),
});

export const exemptionSchema = z.strictObject({
  resource: z.string().min(1, { error: "must be a Pulumi URN or URN glob" }),
  policy: z.enum(POLICY_NAMES),
  reason: z.string().min(1, { error: "must say why the exemption is granted" }),
  approvedBy: email,
  expires: calendarDate,
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
});

export const registrySchema = z.strictObject({
  version: z.literal(1, { error: "must be 1 (the only registry format version so far)" }),
  settings: settingsSchema,
  workflows: z.record(z.string(), workflowSchema),
  exemptions: z.array(exemptionSchema).default([]),
});

export type RawRegistry = z.output<typeof registrySchema>;
export type RawWorkflow = z.output<typeof workflowSchema>;
