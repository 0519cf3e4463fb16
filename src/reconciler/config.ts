/**
 * The Lambda's configuration, from environment variables, validated once at cold start. A bad
 * value fails the function's init with one line per variable naming it and what to write.
 *
 * Checked by hand rather than with zod: this module is in the Lambda bundle, and six variables
 * do not justify shipping a schema library to every cold start.
 */
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

const COST_METRICS: readonly CostMetric[] = ["UnblendedCost", "AmortizedCost", "NetAmortizedCost"];
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

type Env = Readonly<Record<string, string | undefined>>;

export function readConfig(env: Env): HandlerConfig {
  // Every bad variable is collected, so one failed cold start reports them all.
  const problems: string[] = [];
  const fail = (name: string, message: string) => problems.push(`  ${name}: ${message}`);
  // Unset and empty mean the same: the default, or "is required" when there is none.
  const given = (name: string): string | undefined => env[name] || undefined;

  const required = (name: string, why: string, pattern: RegExp, mistake: string): string => {
    const value = given(name);
    if (value === undefined) fail(name, `is required: ${why}`);
    else if (!pattern.test(value)) fail(name, mistake);
    return value ?? "";
  };
  const oneOf = <T extends string>(
    name: string,
    allowed: readonly T[],
    fallback: T,
    mistake: string,
  ): T => {
    const value = given(name) ?? fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    fail(name, mistake);
    return fallback;
  };

  const bucket = required(
    "AI_SPEND_GUARD_REPORT_BUCKET",
    "the S3 bucket that receives reports",
    BUCKET_NAME,
    "must be an S3 bucket name",
  );
  let prefix = given("AI_SPEND_GUARD_REPORT_PREFIX") ?? "reports/";
  if (prefix.length > 512) fail("AI_SPEND_GUARD_REPORT_PREFIX", "must be at most 512 characters");
  if (!prefix.endsWith("/")) prefix = `${prefix}/`;
  const topicArn = required(
    "AI_SPEND_GUARD_OWNER_TOPIC_ARN",
    "the SNS topic owners subscribe to",
    SNS_TOPIC_ARN,
    "must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:ai-spend-owners",
  );
  const metric = oneOf(
    "AI_SPEND_GUARD_COST_METRIC",
    COST_METRICS,
    "UnblendedCost",
    `must be one of ${COST_METRICS.join(", ")}`,
  );
  const groupByAccount = oneOf(
    "AI_SPEND_GUARD_GROUP_BY_ACCOUNT",
    ["true", "false"],
    "false",
    'must be "true" or "false"',
  );
  const metricsNamespace = given("AI_SPEND_GUARD_METRICS_NAMESPACE") ?? "AiSpendGuard";
  if (metricsNamespace.length > 255) {
    fail("AI_SPEND_GUARD_METRICS_NAMESPACE", "must be at most 255 characters");
  } else if (metricsNamespace.startsWith(":")) {
    fail("AI_SPEND_GUARD_METRICS_NAMESPACE", "must not start with a colon");
  }

  if (problems.length > 0) {
    throw new ConfigError(`invalid reconciler configuration:\n${problems.join("\n")}`);
  }
  return {
    bucket,
    prefix,
    topicArn,
    metric,
    groupByAccount: groupByAccount === "true",
    metricsNamespace,
  };
}
