/**
 * The Lambda's configuration, from environment variables, validated once at cold start. A bad
 * value fails the function's init with one line per variable naming it and what to write.
 *
 * Checked by hand rather than with zod: this module is in the Lambda bundle, and a dozen
 * variables do not justify shipping a schema library to every cold start.
 */
import { COST_METRICS, CUR_COST_COLUMNS } from "../cost-metrics";
import type { CostMetric } from "../cost-metrics";
import { COST_SOURCES, LAMBDA_ENVIRONMENT as VARS } from "./deployment-contract";
import type { CostSourceName } from "./deployment-contract";

/** Where the function reads spend: Cost Explorer, or the CUR 2.0 export's table on Athena. */
export type CostSourceConfig =
  | { readonly kind: "cost-explorer" }
  | {
      readonly kind: "cur";
      /** The Glue database and table over the export, and the workgroup that runs the query. */
      readonly database: string;
      readonly table: string;
      readonly workGroup: string;
    };

export interface HandlerConfig {
  readonly bucket: string;
  /** Ends with "/" (or is empty: the bucket's root). */
  readonly prefix: string;
  readonly topicArn: string;
  readonly metric: CostMetric;
  readonly groupByAccount: boolean;
  readonly metricsNamespace: string;
  /** Cost Explorer requests a run may make; undefined: derived from the registry. */
  readonly maxRequests: number | undefined;
  /** Salt of the recipient hashes ("" when unset: a local run). */
  readonly hashSalt: string;
  readonly costSource: CostSourceConfig;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Glue database and table names; Athena workgroup names (letters, digits, `.`, `_`, `-`). */
const GLUE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;
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
    VARS.bucket.name,
    "the S3 bucket that receives reports",
    BUCKET_NAME,
    "must be an S3 bucket name",
  );
  let prefix = given(VARS.prefix.name) ?? VARS.prefix.default;
  if (prefix.length > 512) fail(VARS.prefix.name, "must be at most 512 characters");
  if (!prefix.endsWith("/")) prefix = `${prefix}/`;
  const topicArn = required(
    VARS.topic.name,
    "the SNS topic owners subscribe to",
    SNS_TOPIC_ARN,
    "must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:ai-spend-owners",
  );
  const metric = oneOf<CostMetric>(
    VARS.metric.name,
    COST_METRICS,
    VARS.metric.default,
    `must be one of ${COST_METRICS.join(", ")}`,
  );
  const groupByAccount = oneOf(
    VARS.groupByAccount.name,
    ["true", "false"],
    String(VARS.groupByAccount.default) as "true" | "false",
    'must be "true" or "false"',
  );
  const metricsNamespace = given(VARS.namespace.name) ?? VARS.namespace.default;
  if (metricsNamespace.length > 255) {
    fail(VARS.namespace.name, "must be at most 255 characters");
  } else if (metricsNamespace.startsWith(":")) {
    fail(VARS.namespace.name, "must not start with a colon");
  }

  const maxRequestsText = given(VARS.maxRequests.name);
  const maxRequests = maxRequestsText === undefined ? undefined : Number(maxRequestsText);
  if (
    maxRequests !== undefined &&
    (!/^[0-9]+$/.test(maxRequestsText ?? "") || maxRequests < 1 || maxRequests > 1_000_000)
  ) {
    fail(VARS.maxRequests.name, "must be a whole number of requests from 1 to 1,000,000");
  }

  const sourceName = oneOf<CostSourceName>(
    VARS.costSource.name,
    COST_SOURCES,
    VARS.costSource.default,
    `must be one of ${COST_SOURCES.join(", ")}`,
  );
  let costSource: CostSourceConfig = { kind: "cost-explorer" };
  if (sourceName === "cur") {
    const why = `the CUR source (${VARS.costSource.name}=cur) queries it`;
    costSource = {
      kind: "cur",
      database: required(
        VARS.curDatabase.name,
        `${why}: the Glue database`,
        GLUE_NAME,
        "must be a Glue database name",
      ),
      table: required(
        VARS.curTable.name,
        `${why}: the Glue table`,
        GLUE_NAME,
        "must be a Glue table name",
      ),
      workGroup: required(
        VARS.curWorkGroup.name,
        `${why}: the Athena workgroup`,
        WORKGROUP,
        "must be an Athena workgroup name",
      ),
    };
    const column = CUR_COST_COLUMNS[metric];
    if (column.kind === "refused")
      fail(VARS.metric.name, `${metric} with the CUR source: ${column.reason}`);
    if (groupByAccount === "true") {
      fail(
        VARS.groupByAccount.name,
        "must be false with the CUR source (its query does not group by linked account)",
      );
    }
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
    maxRequests,
    hashSalt: given(VARS.hashSalt.name) ?? "",
    costSource,
  };
}
