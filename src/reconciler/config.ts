/**
 * The Lambda's configuration, from environment variables, validated once at cold start. A bad
 * value fails the function's init with one line per variable naming it and what to write.
 */
import { z } from "zod";
import type { CostMetric } from "./types";

export interface HandlerConfig {
  readonly bucket: string;
  /** Ends with "/" (or is empty: the bucket's root). */
  readonly prefix: string;
  readonly topicArn: string;
  readonly metric: CostMetric;
  readonly groupByAccount: boolean;
  readonly metricsNamespace: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Unset and empty mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema);

const envSchema = z.object({
  AI_SPEND_GUARD_REPORT_BUCKET: z
    .string({ error: "is required: the S3 bucket that receives reports" })
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" }),
  AI_SPEND_GUARD_REPORT_PREFIX: optional(
    z
      .string()
      .max(512)
      .default("reports/")
      .transform((prefix) => (prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`)),
  ),
  AI_SPEND_GUARD_OWNER_TOPIC_ARN: z
    .string({ error: "is required: the SNS topic owners subscribe to" })
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
      error: "must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:ai-spend-owners",
    }),
  AI_SPEND_GUARD_COST_METRIC: optional(
    z
      .enum(["UnblendedCost", "AmortizedCost", "NetAmortizedCost"], {
        error: "must be one of UnblendedCost, AmortizedCost, NetAmortizedCost",
      })
      .default("UnblendedCost"),
  ),
  AI_SPEND_GUARD_GROUP_BY_ACCOUNT: optional(
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("false"),
  ),
  AI_SPEND_GUARD_METRICS_NAMESPACE: optional(
    z
      .string()
      .max(255, { error: "must be at most 255 characters" })
      .regex(/^[^:]/, { error: "must not start with a colon" })
      .default("AiSpendGuard"),
  ),
});

export function readConfig(env: Readonly<Record<string, string | undefined>>): HandlerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`invalid reconciler configuration:\n${lines.join("\n")}`);
  }
  const value = parsed.data;
  return {
    bucket: value.AI_SPEND_GUARD_REPORT_BUCKET,
    prefix: value.AI_SPEND_GUARD_REPORT_PREFIX,
    topicArn: value.AI_SPEND_GUARD_OWNER_TOPIC_ARN,
    metric: value.AI_SPEND_GUARD_COST_METRIC,
    groupByAccount: value.AI_SPEND_GUARD_GROUP_BY_ACCOUNT === "true",
    metricsNamespace: value.AI_SPEND_GUARD_METRICS_NAMESPACE,
  };
}
