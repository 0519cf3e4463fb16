/**
 * What the stack that deploys the reconciler and the function itself must agree on, written
 * once: the environment variables (names and defaults), the SNS message attributes the
 * subscriptions filter on, and where the handler's source is. The stack
 * (`stacks/components/reconciler*.ts`) and the handler (`./config`, `./sns-publisher`) both
 * import this module; it imports no SDK, so the Pulumi program loads it without the AWS SDK.
 */
import { DEFAULT_COST_METRIC } from "../cost-metrics";

/** The Lambda's environment: each variable's name and, when it may be left unset, its default. */
export const LAMBDA_ENVIRONMENT = {
  bucket: { name: "AI_SPEND_GUARD_REPORT_BUCKET" },
  prefix: { name: "AI_SPEND_GUARD_REPORT_PREFIX", default: "reports/" },
  topic: { name: "AI_SPEND_GUARD_OWNER_TOPIC_ARN" },
  metric: { name: "AI_SPEND_GUARD_COST_METRIC", default: DEFAULT_COST_METRIC },
  groupByAccount: { name: "AI_SPEND_GUARD_GROUP_BY_ACCOUNT", default: false },
  namespace: { name: "AI_SPEND_GUARD_METRICS_NAMESPACE", default: "AiSpendGuard" },
  /** Cost Explorer requests a run may make; default from the registry (`ceRequestBudget`). */
  maxRequests: { name: "AI_SPEND_GUARD_CE_MAX_REQUESTS" },
  /** Salt of the recipient hashes in logs and delivery record keys (the stack makes one). */
  hashSalt: { name: "AI_SPEND_GUARD_HASH_SALT" },
  /** Where spend is read from: `COST_SOURCES`. The four below are set only for `cur`. */
  costSource: { name: "AI_SPEND_GUARD_COST_SOURCE", default: "cost-explorer" },
  /** The Glue database and table over the CUR 2.0 export, and the Athena workgroup to query. */
  curDatabase: { name: "AI_SPEND_GUARD_CUR_DATABASE" },
  curTable: { name: "AI_SPEND_GUARD_CUR_TABLE" },
  curWorkGroup: { name: "AI_SPEND_GUARD_CUR_WORKGROUP" },
  /** Run the audit and the doctor after each reconciliation (`audit`, `health` sections). */
  accountChecks: { name: "AI_SPEND_GUARD_ACCOUNT_CHECKS", default: true },
  /** S3 keys (comma-separated) in the report bucket of `pulumi stack export` files: IaC status. */
  stackExportKeys: { name: "AI_SPEND_GUARD_STACK_EXPORT_KEYS" },
  /** The CUR 2.0 export the doctor checks (cost source `cur`). */
  curExportArn: { name: "AI_SPEND_GUARD_CUR_EXPORT_ARN" },
} as const;

/** The reconciler's cost sources: Cost Explorer (the default), or the CUR 2.0 export on Athena. */
export const COST_SOURCES = ["cost-explorer", "cur"] as const;
export type CostSourceName = (typeof COST_SOURCES)[number];

type Environment = typeof LAMBDA_ENVIRONMENT;

/** The variables' names, by setting: `ENV.bucket` is `AI_SPEND_GUARD_REPORT_BUCKET`. */
export const ENV = Object.fromEntries(
  Object.entries(LAMBDA_ENVIRONMENT).map(([key, variable]) => [key, variable.name]),
) as { readonly [K in keyof Environment]: Environment[K]["name"] };

/**
 * The SNS message attributes the function sets on every message. Each owner's email
 * subscription filters on `owner` (the recipient's address), so each owner receives only their
 * own digest.
 */
export const MESSAGE_ATTRIBUTES = { owner: "owner", kind: "kind" } as const;

/** The message attribute the digest subscriptions filter on. */
export const OWNER_ATTRIBUTE = MESSAGE_ATTRIBUTES.owner;

/** The handler's source file, relative to the package root (bundled by the stack). */
export const HANDLER_SOURCE = ["src", "reconciler", "aws", "handler.ts"] as const;
/**
 * The handler as the package ships it (no TypeScript sources in the tarball): bundled without
 * its dependencies and with `handler-registry.js` beside it, so the stack's bundler can still
 * replace the registry module and include the AWS SDK it finds in the consumer's install.
 */
export const HANDLER_BUILT = ["dist", "lambda", "handler.js"] as const;
